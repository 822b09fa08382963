import ShixiangJSON
import ShixiangRPC

/// One connection to the daemon for async code, lent to a closure by ``withConnection(socketPath:maxLineBytes:_:)``.
///
/// Built on the blocking ``RegistryConnection``: each `RegistryClient` owns a thread of its own
/// that does the socket I/O, so a call (or a wait for a notification) suspends the task and never
/// blocks Swift's cooperative pool; any number of connections may wait at once. Each call costs a
/// hop to that thread and back: code that may block (a command-line tool, a benchmark's client
/// threads) should use ``RegistryConnection`` directly.
///
/// Calls on one connection are answered in order, one at a time; use several connections for
/// parallel work (a connection belongs to the task that opened it: it is not `Sendable`).
/// Notifications that arrive while waiting for a response are kept for ``nextNotification()``.
/// Cancelling the task during a call shuts the connection down: the call throws
/// ``ClientError/connectionClosed`` (``nextNotification()`` returns `nil`).
public final class RegistryClient {
    private let thread: ConnectionThread

    private init(thread: ConnectionThread) { self.thread = thread }

    /// Connects to the daemon at `socketPath`, runs `body` with the connection, then closes it.
    /// Throws ``ClientError/cannotConnect(path:reason:)`` saying why no daemon was reached.
    public static func withConnection<R>(
        socketPath: String, maxLineBytes: Int = 64 << 20,
        _ body: (RegistryClient) async throws -> R
    ) async throws -> R {
        let thread = ConnectionThread(name: "shixiang-client")
        do {
            try await thread.connect(socketPath: socketPath, maxLineBytes: maxLineBytes)
            let result = try await body(RegistryClient(thread: thread))
            await thread.finish()
            return result
        } catch {
            await thread.finish()
            throw error
        }
    }

    /// Calls `method` and returns its result. Throws `RPCError` when the daemon answers with an error,
    /// ``ClientError`` when the connection fails.
    public func call(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        try await thread.run { try $0.call(method, params) }
    }

    /// Calls `method`, handing every notification that arrives before the response to
    /// `onNotification` (progress of long work) instead of keeping it.
    public func call(_ method: String, _ params: JSONValue? = nil, onNotification: (RPCNotification) -> Void) async throws -> JSONValue {
        let id = try await thread.run { try $0.sendRequest(method, params) }
        while let message = try await thread.run({ try $0.readMessage() }) {
            if let n = RegistryConnection.notification(message) { onNotification(n); continue }
            return try RegistryConnection.checked(message, id: id)
        }
        throw ClientError.connectionClosed
    }

    /// Sends a notification (a request without id): the daemon runs it and answers nothing.
    public func notify(_ method: String, _ params: JSONValue? = nil) async throws {
        try await thread.run { try $0.notify(method, params) }
    }

    /// Sends `requests` as one batch and returns the daemon's responses in its order (absent for notifications).
    public func batch(_ requests: [RPCRequest]) async throws -> [JSONValue] {
        try await thread.run { try $0.batch(requests) }
    }

    /// The next notification, waiting for one if none is kept; `nil` when the connection closes,
    /// or when `timeout` (if given) passes first.
    public func nextNotification(timeout: Duration? = nil) async throws -> RPCNotification? {
        try await thread.run { try $0.nextNotification(timeout: timeout) }
    }

    // MARK: Raw access, for tests of the protocol itself

    /// Writes raw bytes (they need not be valid JSON, nor end with a newline).
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await thread.run { try $0.sendRaw(bytes) }
    }

    /// Reads the next line that is not a notification, as JSON; `nil` if the connection closed, or
    /// if `timeout` (when given) passed first.
    public func readRawResponse(timeout: Duration? = nil) async throws -> JSONValue? {
        try await thread.run { try $0.readRawResponse(timeout: timeout) }
    }

    /// The result of a response object, or its error thrown as `RPCError`.
    public static func unwrap(_ response: JSONValue) throws -> JSONValue {
        try RegistryConnection.unwrap(response)
    }
}
