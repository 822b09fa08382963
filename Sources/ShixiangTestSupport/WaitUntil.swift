/// Polls `condition` until it holds; fails (naming `what`) after `timeout`. For waiting on other
/// tasks' or threads' progress, never for asserting speed.
public func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else { throw TestSupportError("gave up waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
