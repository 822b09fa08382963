import Foundation
import Testing
import ShixiangDigest
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

@Suite struct RawEventTests {
    @Test func topLevelMembersAreFoundEvenWhenDataHasTheSameNames() async throws {
        let dir = try TemporaryDirectory("raw")
        let store = try EventStore(directory: dir.path)
        let tricky: JSONValue = ["stream": "fake/1", "type": "fake.v1", "prevHash": "00", "seq": 999,
                                 "nested": ["stream": "deeper", "text": "a,\"stream\":\"quoted\""]]
        _ = try await store.append(stream: "notes/真的", expected: .any, events: [event(tricky, type: "note.recorded.v1")])
        _ = try await store.append(stream: "notes/真的", expected: .any, events: [event()])
        let raw = try store.rawPage(fromSeq: 1, limit: 10)
        #expect(raw.map(\.seq) == [1, 2])
        #expect(raw[0].topLevelString("stream") == "notes/真的")
        #expect(raw[0].topLevelString("type") == "note.recorded.v1")
        #expect(raw[0].statedSeq == 1)
        #expect(raw[1].topLevelString("prevHash") == Digest.hex(raw[0].hash))
        #expect(Digest.sha256(raw[0].canonical) == raw[0].hash)
        #expect(try raw[1].envelope() == store.event(seq: 2))
        #expect(try store.rawPage(fromSeq: 2, limit: 10).map(\.seq) == [2])
    }
}
