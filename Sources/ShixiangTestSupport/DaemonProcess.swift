import Foundation
import ShixiangClient

/// The real `shixiangd`, started as a separate process on a temporary data directory and socket.
///
/// Tests drive it through `RegistryClient`, the library the CLI uses. Stopping sends SIGTERM and
/// waits; killing sends SIGKILL (for crash tests); either can be followed by ``start()`` again on
/// the same data.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` is only replaced by start/stop/kill, which tests call from one task.
    public let directory: TemporaryDirectory
    public let dataDirectory: String
    public let socketPath: String
    public let extraArguments: [String]
    public private(set) var process: Process?
    private var logFile: FileHandle?

    /// Starts a daemon on a fresh temporary directory.
    public init(label: String = "d", arguments: [String] = [], start: Bool = true) async throws {
        directory = try TemporaryDirectory(label)
        dataDirectory = directory.file("data")
        socketPath = directory.file("s.sock")
        extraArguments = arguments
        if start { try await self.start() }
    }

    /// The daemon's stderr so far.
    public var log: String {
        (try? String(contentsOfFile: directory.file("daemon.log"), encoding: .utf8)) ?? ""
    }

    /// Launches the daemon and waits until it answers `system.ping`.
    public func start(timeout: Duration = .seconds(20)) async throws {
        let p = try launch(arguments: ["--data-dir", dataDirectory, "--socket", socketPath] + extraArguments)
        process = p
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !p.isRunning {
                throw TestSupportError("shixiangd exited with status \(p.terminationStatus) before serving:\n\(log)")
            }
            if (try? await RegistryClient.withConnection(socketPath: socketPath, { try await $0.call("system.ping") })) != nil {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("shixiangd did not answer within \(timeout):\n\(log)")
    }

    /// Runs another `shixiangd` with `arguments` (appending to the same log file) and returns the process.
    public func launch(arguments: [String]) throws -> Process {
        let path = directory.file("daemon.log")
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        log.seekToEndOfFile()
        logFile = log
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("shixiangd"))
        p.arguments = arguments
        p.standardOutput = log
        p.standardError = log
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SHIXIANG_CONFIG")
        p.environment = environment
        try p.run()
        return p
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    public func stop() async throws -> Int32 {
        guard let p = process else { return 0 }
        p.terminate()
        let status = try await Self.waitForExit(p)
        process = nil
        return status
    }

    /// SIGKILL: the daemon dies at once, as in a power cut of the process.
    public func kill() async throws {
        guard let p = process else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        _ = try await Self.waitForExit(p)
        process = nil
    }

    /// Waits (polling, so no thread blocks) for `p` to exit and returns its status.
    public static func waitForExit(_ p: Process, timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while p.isRunning {
            guard ContinuousClock.now < deadline else { throw TestSupportError("process \(p.processIdentifier) did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return p.terminationStatus
    }

    /// Connects a client and runs `body`.
    public func withClient<R>(_ body: (RegistryClient) async throws -> R) async throws -> R {
        try await RegistryClient.withConnection(socketPath: socketPath, body)
    }

    deinit {
        if let p = process, p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) }
    }
}
