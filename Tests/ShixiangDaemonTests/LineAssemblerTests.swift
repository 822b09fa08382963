import Testing

@testable import ShixiangServer

/// Framing of the connection threads, byte by byte, without sockets.
@Suite struct LineAssemblerTests {
    enum Out: Equatable {
        case line(String)
        case oversized
    }

    func drain(_ a: inout LineAssembler) -> [Out] {
        var out: [Out] = []
        while a.nextFrame({ frame in
            switch frame {
            case .line(let bytes): out.append(.line(String(decoding: bytes, as: UTF8.self)))
            case .oversized: out.append(.oversized)
            }
        }) {}
        return out
    }

    @Test func splitsAtNewlinesAndDropsATrailingCR() {
        var a = LineAssembler(maxLength: 100)
        a.append(Array("one\ntwo\r\nthr".utf8))
        #expect(drain(&a) == [.line("one"), .line("two")])
        a.append(Array("ee\n\n".utf8))
        #expect(drain(&a) == [.line("three"), .line("")])
        #expect(a.buffered == 0)
    }

    @Test func eachLineSaysHowManyBytesCameAfterIt() {
        var a = LineAssembler(maxLength: 100)
        a.append(Array("one\ntwo\r\nthr".utf8))
        var seen: [(String, Int)] = []
        while a.nextFrame({ frame, after in
            if case .line(let bytes) = frame { seen.append((String(decoding: bytes, as: UTF8.self), after)) }
        }) {}
        // "two\r\nthr" follows "one"; the unfinished "thr" follows "two": a pipelining peer.
        #expect(seen.map(\.0) == ["one", "two"] && seen.map(\.1) == [8, 3])
        a.append(Array("ee\n".utf8))
        seen = []
        while a.nextFrame({ frame, after in
            if case .line(let bytes) = frame { seen.append((String(decoding: bytes, as: UTF8.self), after)) }
        }) {}
        // The last line received: nothing after it, the peer waits for its answer.
        #expect(seen.map(\.0) == ["three"] && seen.map(\.1) == [0])
    }

    @Test func linesLongerThanTheStartingBufferGrowIt() {
        var a = LineAssembler(maxLength: 1 << 20, initialCapacity: 1024)
        let long = String(repeating: "长", count: 100_000)  // 300,000 bytes
        for chunk in Array(long.utf8).chunked(by: 4096) { a.append(chunk) }
        #expect(drain(&a) == [])
        a.append([10])
        #expect(drain(&a) == [.line(long)])
    }

    @Test func aLineAtTheLimitPassesAndOneByteMoreIsRefused() {
        var a = LineAssembler(maxLength: 2000, initialCapacity: 1024)
        a.append(Array(String(repeating: "x", count: 2000).utf8) + [13, 10])
        #expect(drain(&a) == [.line(String(repeating: "x", count: 2000))])
        var b = LineAssembler(maxLength: 2000, initialCapacity: 1024)
        b.append(Array(String(repeating: "x", count: 2001).utf8) + [10])
        #expect(drain(&b) == [.oversized])
        b.append(Array("after\n".utf8))
        #expect(drain(&b) == [], "nothing is framed after an oversized line")
    }

    @Test func theLimitHoldsWithoutAnyNewline() {
        var a = LineAssembler(maxLength: 3000, initialCapacity: 1024)
        for _ in 0..<10 { a.append(Array(repeating: UInt8(ascii: "y"), count: 1000)) }
        #expect(drain(&a) == [.oversized])
        #expect(a.overflowed)
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
