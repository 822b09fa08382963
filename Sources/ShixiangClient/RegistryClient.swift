import NIOCore
import NIOPosix
import ShixiangJSON
import ShixiangRPC

/// A notification received from the daemon (e.g. `events.event` of a subscription).
public struct RPCNotification: Sendable {
    public var method: String
    public var params: JSONValue
}

/// One connection to the daemon, lent to a closure by ``withConnection(socketPath:maxLineBytes:group:_:)``.
///
/// Calls on one connection are answered in order, one at a time; use several connections for
/// parallel work (a connection belongs to the task that opened it: it is not `Sendable`).
/// Notifications that arrive while waiting for a response are kept for ``nextNotification()``.
public final class RegistryClient {
    private var inbound: NIOAsyncChannelInboundStream<LineFrame>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let allocator = ByteBufferAllocator()
    private var pending: [RPCNotification] = []
    private var nextID: Int64 = 1

    init(inbound: NIOAsyncChannelInboundStream<LineFrame>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects to the daemon at `socketPath`, runs `body` with the connection, then closes it.
    public static func withConnection<R>(
        socketPath: String, maxLineBytes: Int = 64 << 20,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (RegistryClient) async throws -> R
    ) async throws -> R {
        let channel: NIOAsyncChannel<LineFrame, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
                        return try NIOAsyncChannel<LineFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ClientError.cannotConnect(path: socketPath, reason: Self.explain(error))
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RegistryClient(inbound: inbound, outbound: outbound))
        }
    }

    /// Calls `method` and returns its result. Throws `RPCError` when the daemon answers with an error,
    /// ``ClientError`` when the connection fails.
    public func call(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        let id = nextID
        nextID += 1
        try await send(RPCRequest(id: .int(id), method: method, params: params).json)
        let response = try await readResponse()
        guard response["id"] == .int(id) else {
            throw ClientError.invalidResponse("expected the response to request \(id), got \(response.compactString.prefix(200))")
        }
        return try Self.unwrap(response)
    }

    /// Calls `method`, handing every notification that arrives before the response to
    /// `onNotification` (progress of long work) instead of keeping it.
    public func call(_ method: String, _ params: JSONValue? = nil, onNotification: (RPCNotification) -> Void) async throws -> JSONValue {
        let id = nextID
        nextID += 1
        try await send(RPCRequest(id: .int(id), method: method, params: params).json)
        while let message = try await readMessage() {
            if let n = Self.notification(message) { onNotification(n); continue }
            guard message["id"] == .int(id) else {
                throw ClientError.invalidResponse("expected the response to request \(id), got \(message.compactString.prefix(200))")
            }
            return try Self.unwrap(message)
        }
        throw ClientError.connectionClosed
    }

    /// Sends a notification (a request without id): the daemon runs it and answers nothing.
    public func notify(_ method: String, _ params: JSONValue? = nil) async throws {
        try await send(RPCRequest(id: nil, method: method, params: params).json)
    }

    /// Sends `requests` as one batch and returns the daemon's responses in its order (absent for notifications).
    public func batch(_ requests: [RPCRequest]) async throws -> [JSONValue] {
        try await send(.array(requests.map(\.json)))
        guard requests.contains(where: { !$0.isNotification }) else { return [] }
        let response = try await readResponse()
        guard case .array(let items) = response else {
            throw ClientError.invalidResponse("expected a batch response (an array)")
        }
        return items
    }

    /// The next notification, waiting for one if none is buffered; `nil` when the connection closes.
    public func nextNotification() async throws -> RPCNotification? {
        if !pending.isEmpty { return pending.removeFirst() }
        while let message = try await readMessage() {
            if let n = Self.notification(message) { return n }
        }
        return nil
    }

    // MARK: Raw access, for tests of the protocol itself

    /// Writes raw bytes (they need not be valid JSON, nor end with a newline).
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await outbound.write(allocator.buffer(bytes: bytes))
    }

    /// Reads the next line that is not a notification, as JSON; `nil` if the connection closed.
    public func readRawResponse() async throws -> JSONValue? {
        do { return try await readResponse() } catch ClientError.connectionClosed { return nil }
    }

    // MARK: Internals

    private func send(_ value: JSONValue) async throws {
        var bytes = value.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        try await outbound.write(allocator.buffer(bytes: bytes))
    }

    private func readMessage() async throws -> JSONValue? {
        guard let frame = try await inbound.next() else { return nil }
        switch frame {
        case .oversized(let limit):
            throw ClientError.invalidResponse("a response line exceeded \(limit) bytes")
        case .line(let line):
            do {
                return try line.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue.parse(bytes) }
            } catch {
                throw ClientError.invalidResponse(error.message)
            }
        }
    }

    private func readResponse() async throws -> JSONValue {
        while let message = try await readMessage() {
            if let n = Self.notification(message) { pending.append(n); continue }
            return message
        }
        throw ClientError.connectionClosed
    }

    private static func notification(_ message: JSONValue) -> RPCNotification? {
        guard message["id"] == nil, let method = message["method"]?.stringValue else { return nil }
        return RPCNotification(method: method, params: message["params"] ?? .null)
    }

    /// The result of a response object, or its error thrown as `RPCError`.
    public static func unwrap(_ response: JSONValue) throws -> JSONValue {
        if let error = response["error"] {
            throw RPCError(json: error) ?? ClientError.invalidResponse("malformed error object")
        }
        guard let result = response["result"] else { throw ClientError.invalidResponse("no result and no error") }
        return result
    }

    private static func explain(_ error: any Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ENOENT: return "no socket file there"
            case ECONNREFUSED: return "nothing is listening (a stale socket file?)"
            case EACCES: return "permission denied (are you in the daemon's group?)"
            default: return io.description
            }
        }
        return "\(error)"
    }
}
