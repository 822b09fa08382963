import NIOCore

/// One inbound frame of the newline-delimited protocol.
public enum LineFrame: Sendable {
    /// A complete line without its `\n` (and without a trailing `\r`).
    case line(ByteBuffer)
    /// The peer sent more than the limit without a newline. Nothing more is read afterwards.
    case oversized(limit: Int)
}

/// Splits the byte stream into lines at `\n`, refusing any line longer than `maxLength`.
///
/// Framing only: no parsing, no business logic. After an oversized line it discards all further
/// input, so a peer cannot make the server buffer without bound; the handler answers and closes.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = LineFrame

    public let maxLength: Int
    private var scanned = 0
    private var discarding = false

    public init(maxLength: Int) { self.maxLength = maxLength }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        if let newline = view[(view.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - view.startIndex
            scanned = 0
            if length > maxLength { return overflow(context: context, buffer: &buffer) }
            // `length` is within the readable bytes (the newline is among them), so the slice exists.
            guard var line = buffer.readSlice(length: length) else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") { line.moveWriterIndex(to: line.writerIndex - 1) }
            context.fireChannelRead(wrapInboundOut(.line(line)))
            return .continue
        }
        scanned = view.count
        if view.count > maxLength { return overflow(context: context, buffer: &buffer) }
        return .needMoreData
    }

    private mutating func overflow(context: ChannelHandlerContext, buffer: inout ByteBuffer) -> DecodingState {
        discarding = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(wrapInboundOut(.oversized(limit: maxLength)))
        return .needMoreData
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A half-written last line (peer closed mid-line) is dropped: it was never a complete request.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
