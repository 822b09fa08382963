import NIOCore
import NIOEmbedded
import Testing
@testable import ShixiangRPC

@Suite struct LineFrameDecoderTests {
    func channel(limit: Int) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: limit)))
        return channel
    }

    func lines(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        while let frame = try channel.readInbound(as: LineFrame.self) {
            switch frame {
            case .line(let buffer): out.append(String(buffer: buffer))
            case .oversized(let limit): out.append("<oversized \(limit)>")
            }
        }
        return out
    }

    @Test func splitsLinesAcrossAndWithinReads() throws {
        let c = try channel(limit: 100)
        try c.writeInbound(ByteBuffer(string: "{\"a\":1}\n{\"b\""))
        #expect(try lines(c) == ["{\"a\":1}"])
        try c.writeInbound(ByteBuffer(string: ":2}\r\n\n"))
        #expect(try lines(c) == ["{\"b\":2}", ""])
        try c.writeInbound(ByteBuffer(string: "x\ny\nz"))
        #expect(try lines(c) == ["x", "y"])
        // A half-written last line is dropped at close: it was never a complete request.
        _ = try c.finish()
        #expect(try lines(c).isEmpty)
    }

    @Test func lineOverTheLimitIsReportedOnceAndTheRestDiscarded() throws {
        let c = try channel(limit: 8)
        try c.writeInbound(ByteBuffer(string: "12345678\n"))
        #expect(try lines(c) == ["12345678"])
        try c.writeInbound(ByteBuffer(string: "123456789\nok\n"))
        #expect(try lines(c) == ["<oversized 8>"])
        try c.writeInbound(ByteBuffer(string: "more\n"))
        #expect(try lines(c).isEmpty)
    }

    @Test func limitAppliesBeforeAnyNewlineArrives() throws {
        let c = try channel(limit: 8)
        try c.writeInbound(ByteBuffer(string: "1234"))
        #expect(try lines(c).isEmpty)
        try c.writeInbound(ByteBuffer(string: "56789"))
        #expect(try lines(c) == ["<oversized 8>"])
    }

    @Test func scanningResumesWhereItStopped() throws {
        // Many small reads of one long line must still find its end (and not rescan from the start).
        let c = try channel(limit: 10_000)
        for _ in 0..<500 { try c.writeInbound(ByteBuffer(string: "ab")) }
        try c.writeInbound(ByteBuffer(string: "\n"))
        #expect(try lines(c) == [String(repeating: "ab", count: 500)])
    }
}
