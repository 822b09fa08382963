import NIOCore
import ShixiangJSON

/// Writes whole lines to one connection; shared by the request loop and its subscriptions.
///
/// NIO's outbound writer accepts writes from several tasks and delivers each element whole, so
/// lines from different tasks never interleave mid-line, without an actor hop per response.
/// Writes wait when the peer reads slowly (the channel's backpressure), so a slow subscriber
/// slows only itself.
public struct ConnectionWriter: Sendable {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let allocator: ByteBufferAllocator

    init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, allocator: ByteBufferAllocator) {
        self.outbound = outbound
        self.allocator = allocator
    }

    /// Sends one JSON value as a line.
    public func send(_ value: JSONValue) async throws {
        var bytes = value.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        try await outbound.write(allocator.buffer(bytes: bytes))
    }
}
