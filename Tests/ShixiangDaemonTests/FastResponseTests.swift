@testable import EventLog
import Foundation
import ShixiangJSON
import ShixiangRPC
import Testing

@testable import ShixiangServer

/// The fast path writes its responses field by field; they must be the bytes the general
/// encoder makes of the same objects.
@Suite struct FastResponseTests {
    func envelope(seq: UInt64, stream: String) -> EventEnvelope {
        EventEnvelope(seq: seq, id: UUID(), stream: stream, version: seq % 5, type: "t", recordedAt: Timestamp(microseconds: Int64(seq) * 1_234_567),
                      effectiveAt: nil, actor: .null, data: [:], prevHash: [], hash: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seq)) })
    }

    @Test func appendResultBytesEqualTheGeneralEncoding() {
        for (count, stream, duplicate) in [(1, "s", false), (3, "unit/广安\"q\"", true), (0, "x", false)] {
            let events = (0..<count).map { envelope(seq: UInt64(100 + $0), stream: stream) }
            let outcome = AppendOutcome(events: events, duplicate: duplicate)
            #expect(EventMethods.appendResultBytes(stream: stream, outcome) == EventMethods.appendResult(stream: stream, outcome).compactBytes())
        }
    }

    @Test func resultLinesEqualTheGeneralEncoding() {
        let result: JSONValue = ["head": ["seq": 3, "hash": "ab"], "version": "1.0"]
        for id: JSONValue in [0, 1, 9, 10, 1234567890, .int(-5), .int(.max), .int(.min), "a\"b", .string("长"), .null] {
            #expect(RPCResponse.resultLine(id: id, encodedResult: result.compactBytes()) == RPCResponse.result(id: id, result).compactBytes() + [10])
        }
    }
}
