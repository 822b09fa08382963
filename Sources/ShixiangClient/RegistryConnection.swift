#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShixiangJSON
import ShixiangRPC

/// A notification received from the daemon (e.g. `events.event` of a subscription).
public struct RPCNotification: Sendable {
    public var method: String
    public var params: JSONValue
}

/// One blocking connection to the daemon: every method does its socket I/O on the calling thread
/// and returns when the answer is there. No event loop and no Swift concurrency.
///
/// For threads that may block (a command-line tool, a benchmark's client threads). From async code
/// use ``RegistryClient``, which runs one of these on a thread of its own instead of blocking the
/// cooperative pool.
///
/// Calls are answered in order, one at a time; use one connection per thread (it is not `Sendable`).
/// Notifications that arrive while waiting for a response are kept for ``nextNotification(timeout:)``.
/// Writes never raise SIGPIPE. Failures of the connection throw ``ClientError``; errors the daemon
/// answers with throw `RPCError`.
public final class RegistryConnection {
    /// The socket this connection reached.
    public let socketPath: String
    private let socket: LineSocket
    private var pending: [RPCNotification] = []
    private var pendingStart = 0
    private var nextID: Int64 = 1
    /// The expected start of the next response line (see ``readResult(of:)``).
    private var prefix: [UInt8] = []

    /// Connects to the daemon at `socketPath`. Response lines longer than `maxLineBytes` throw
    /// ``ClientError/invalidResponse(_:)``. Throws ``ClientError/cannotConnect(path:reason:)``
    /// saying why (no socket file, nothing listening, permission denied).
    public init(socketPath: String, maxLineBytes: Int = 64 << 20) throws {
        self.socketPath = socketPath
        socket = try LineSocket(path: socketPath, maxLineBytes: maxLineBytes)
    }

    /// Connects, runs `body` with the connection, then closes it.
    public static func withConnection<R>(socketPath: String, maxLineBytes: Int = 64 << 20,
                                         _ body: (RegistryConnection) throws -> R) throws -> R {
        let connection = try RegistryConnection(socketPath: socketPath, maxLineBytes: maxLineBytes)
        defer { connection.close() }
        return try body(connection)
    }

    /// Closes the connection (idempotent; also done when the connection is released).
    public func close() { socket.close() }

    /// Calls `method` and returns its result. Throws `RPCError` when the daemon answers with an error,
    /// ``ClientError`` when the connection fails or the answer is not the response to this request.
    public func call(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let id = try sendRequest(method, params)
        return try readResult(of: id)
    }

    /// Calls `method` and reads its result with `decode`, a pull parser over the result's bytes
    /// in the response line: no `JSONValue` tree is built. For calls made often whose result has
    /// a known shape (``ping()``). `decode` must read exactly one value; whatever it throws (or a
    /// value it leaves unread) is reported as ``ClientError/invalidResponse(_:)``. Errors the daemon
    /// answers with throw `RPCError`, as with ``call(_:_:)``.
    public func call<T>(_ method: String, _ params: JSONValue? = nil,
                        decoding decode: (inout JSONReader) throws -> T) throws -> T {
        let id = try sendRequest(method, params)
        func read(_ bytes: UnsafeRawBufferPointer) throws -> T {
            var reader = JSONReader(bytes, limits: Self.resultLimits)
            let value = try decode(&reader)
            try reader.end()
            return value
        }
        return try readResult(of: id, fast: { bytes in try? read(bytes) }, general: { result in
            let bytes = result.canonicalBytes()
            do {
                return try bytes.withUnsafeBytes { try read($0) }
            } catch {
                throw ClientError.invalidResponse("\(method) answered an unexpected result (\(error)): \(result.compactString.prefix(200))")
            }
        })
    }

    /// `system.ping`: the daemon's version and the log's head.
    public func ping() throws -> PingResult {
        try call("system.ping", decoding: PingResult.init(reading:))
    }

    /// Calls `method`, handing every notification that arrives before the response to
    /// `onNotification` (progress of long work) instead of keeping it.
    public func call(_ method: String, _ params: JSONValue? = nil,
                     onNotification: (RPCNotification) throws -> Void) throws -> JSONValue {
        let id = try sendRequest(method, params)
        while let message = try readMessage() {
            if let n = Self.notification(message) { try onNotification(n); continue }
            return try Self.checked(message, id: id)
        }
        throw ClientError.connectionClosed
    }

    /// Sends a notification (a request without id): the daemon runs it and answers nothing.
    public func notify(_ method: String, _ params: JSONValue? = nil) throws {
        let line = Self.requestLine(id: nil, method: method, params: params)
        try line.withUnsafeBytes { try socket.write($0) }
    }

    /// Sends `requests` as one batch and returns the daemon's responses in its order (absent for notifications).
    public func batch(_ requests: [RPCRequest]) throws -> [JSONValue] {
        try send(.array(requests.map(\.json)))
        guard requests.contains(where: { !$0.isNotification }) else { return [] }
        guard case .array(let items) = try readResponse() else {
            throw ClientError.invalidResponse("expected a batch response (an array)")
        }
        return items
    }

    /// The next notification: a kept one, else the next to arrive. `nil` when the connection closes,
    /// or when `timeout` (if given) passes first; `.zero` only looks at what has already arrived.
    /// Responses read meanwhile (to requests sent raw) are dropped.
    public func nextNotification(timeout: Duration? = nil) throws -> RPCNotification? {
        if let kept = takePending() { return kept }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while let message = try readMessage(timeout: deadline.map { max(ContinuousClock.now.duration(to: $0), .zero) }) {
            if let n = Self.notification(message) { return n }
        }
        return nil
    }

    // MARK: Raw access, for tests of the protocol itself

    /// Writes raw bytes (they need not be valid JSON, nor end with a newline).
    public func sendRaw(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try socket.write($0) }
    }

    /// Reads the next line that is not a notification, as JSON; `nil` if the connection closed, or
    /// if `timeout` (when given) passed first. Notifications read meanwhile are kept.
    public func readRawResponse(timeout: Duration? = nil) throws -> JSONValue? {
        guard let timeout else {
            do { return try readResponse() } catch ClientError.connectionClosed { return nil }
        }
        let deadline = ContinuousClock.now + timeout
        while let message = try readMessage(timeout: max(ContinuousClock.now.duration(to: deadline), .zero)) {
            if let n = Self.notification(message) { pending.append(n); continue }
            return message
        }
        return nil
    }

    /// The result of a response object, or its error thrown as `RPCError`.
    public static func unwrap(_ response: JSONValue) throws -> JSONValue {
        if let error = response["error"] {
            throw RPCError(json: error) ?? ClientError.invalidResponse("malformed error object")
        }
        guard let result = response["result"] else { throw ClientError.invalidResponse("no result and no error") }
        return result
    }

    // MARK: Internals (shared with RegistryClient, which runs them on its connection's thread)

    /// Sends a request with the next id and returns the id.
    func sendRequest(_ method: String, _ params: JSONValue?) throws -> Int64 {
        let id = nextID
        nextID += 1
        let line = Self.requestLine(id: id, method: method, params: params)
        try line.withUnsafeBytes { try socket.write($0) }
        return id
    }

    /// The canonical bytes of `RPCRequest(id:method:params:).json` and a newline, written directly
    /// (no dictionary to build, hash and sort on every call): the members are already in canonical order.
    static func requestLine(id: Int64?, method: String, params: JSONValue?) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(64)
        line.append(UInt8(ascii: "{"))
        if let id {
            line.append(contentsOf: #""id":"#.utf8)
            JSONValue.appendInteger(id, to: &line)
            line.append(UInt8(ascii: ","))
        }
        line.append(contentsOf: #""jsonrpc":"2.0","method":"#.utf8)
        JSONValue.string(method).writeCanonical(into: &line)
        if let params {
            line.append(contentsOf: #","params":"#.utf8)
            params.writeCanonical(into: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    /// The result of `response` if it answers request `id`.
    static func checked(_ response: JSONValue, id: Int64) throws -> JSONValue {
        guard response["id"] == .int(id) else {
            throw ClientError.invalidResponse("expected the response to request \(id), got \(response.compactString.prefix(200))")
        }
        return try unwrap(response)
    }

    private func send(_ value: JSONValue) throws {
        var bytes = value.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        try bytes.withUnsafeBytes { try socket.write($0) }
    }

    /// The next message, `nil` when the connection closed (or `timeout` passed).
    func readMessage(timeout: Duration? = nil) throws -> JSONValue? {
        let parsed: Result<JSONValue, JSONParseError>? = try socket.withNextLine(timeout: timeout) { line in
            do throws(JSONParseError) { return .success(try JSONValue.parse(line)) } catch { return .failure(error) }
        }
        switch parsed {
        case nil: return nil
        case .success(let value)?: return value
        case .failure(let error)?: throw ClientError.invalidResponse(error.message)
        }
    }

    /// The result of the response to request `id` (notifications before it are kept).
    ///
    /// The daemon writes a successful response as `{"id":N,"jsonrpc":"2.0","result":…}`, members
    /// in that (canonical) order: a line that starts with exactly those bytes for this `id` has
    /// only its result parsed, without building and searching the envelope. Any other line (an
    /// error, a notification, another shape) takes the general path, which checks everything.
    func readResult(of id: Int64) throws -> JSONValue {
        try readResult(of: id, fast: { try? JSONValue.parse($0, limits: Self.resultLimits) }, general: { $0 })
    }

    /// The result of the response to request `id`, read by `fast` from the result's bytes when the
    /// line has the daemon's shape (`nil` from `fast` sends the line to the general path), else by
    /// `general` from the parsed and checked result.
    private func readResult<T>(of id: Int64, fast: (UnsafeRawBufferPointer) -> T?,
                               general: (JSONValue) throws -> T) throws -> T {
        Self.resultPrefix(id: id, into: &prefix)
        while true {
            let line: ResponseLine<T>? = try socket.withNextLine { bytes in
                if let result = Self.resultBytes(bytes, prefix: prefix), let value = fast(result) { return .result(value) }
                do throws(JSONParseError) { return .message(try JSONValue.parse(bytes)) } catch { return .malformed(error) }
            }
            switch line {
            case nil:
                throw ClientError.connectionClosed
            case .result(let result)?:
                return result
            case .malformed(let error)?:
                throw ClientError.invalidResponse(error.message)
            case .message(let message)?:
                if let n = Self.notification(message) { pending.append(n); continue }
                return try general(try Self.checked(message, id: id))
            }
        }
    }

    /// `{"id":<id>,"jsonrpc":"2.0","result":`, written into `out` (reused from call to call).
    static func resultPrefix(id: Int64, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONValue.appendInteger(id, to: &out)
        out.append(contentsOf: #","jsonrpc":"2.0","result":"#.utf8)
    }

    /// The result of `line` if it is `prefix` (a result response's envelope up to its result), one
    /// JSON value and the closing brace; `nil` for anything else.
    static func resultOnly(_ line: UnsafeRawBufferPointer, prefix: [UInt8]) -> JSONValue? {
        guard let bytes = resultBytes(line, prefix: prefix) else { return nil }
        return try? JSONValue.parse(bytes, limits: resultLimits)
    }

    /// The bytes between `prefix` and the closing brace, if `line` starts with `prefix` and ends with `}`.
    static func resultBytes(_ line: UnsafeRawBufferPointer, prefix: [UInt8]) -> UnsafeRawBufferPointer? {
        guard line.count > prefix.count + 1, line[line.count - 1] == UInt8(ascii: "}"),
              prefix.withUnsafeBytes({ memcmp($0.baseAddress!, line.baseAddress!, prefix.count) == 0 })
        else { return nil }
        return UnsafeRawBufferPointer(rebasing: line[prefix.count..<(line.count - 1)])
    }

    private static let resultLimits = JSONLimits(maxDepth: JSONLimits.default.maxDepth - 1)

    /// The next message that is not a notification; notifications are kept.
    func readResponse() throws -> JSONValue {
        while let message = try readMessage() {
            if let n = Self.notification(message) { pending.append(n); continue }
            return message
        }
        throw ClientError.connectionClosed
    }

    /// A kept notification, oldest first.
    func takePending() -> RPCNotification? {
        guard pendingStart < pending.count else { return nil }
        let n = pending[pendingStart]
        pendingStart += 1
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        return n
    }

    static func notification(_ message: JSONValue) -> RPCNotification? {
        guard message["id"] == nil, let method = message["method"]?.stringValue else { return nil }
        return RPCNotification(method: method, params: message["params"] ?? .null)
    }

    /// Shuts the socket down from another thread, so a blocked read returns (see ``RegistryClient``).
    func interrupt() { socket.interrupt() }
}

/// One response line as ``RegistryConnection`` reads it: a result read on the fast path, or the
/// whole message parsed, or why it did not parse.
private enum ResponseLine<T> {
    case result(T)
    case message(JSONValue)
    case malformed(JSONParseError)
}
