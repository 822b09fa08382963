import Foundation
import Testing
import ShixiangTestSupport
@testable import EventLog

@Suite struct TimeOrderedIDTests {
    func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test func idsAreVersion7WithTheTimeInTheirFirst48Bits() {
        let time = Timestamp(microseconds: 1_795_531_234_567_891)  // 2026-11-24T…, ms 1795531234567
        for _ in 0..<200 {
            let b = bytes(TimeOrderedID.make(at: time))
            let ms = b[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(ms == 1_795_531_234_567)
            #expect(b[6] >> 4 == 7)          // version 7
            #expect(b[8] >> 6 == 0b10)       // RFC 9562 variant
        }
        // The text form says the same.
        let text = TimeOrderedID.make(at: time).uuidString.lowercased()
        #expect(text.hasPrefix(String(1_795_531_234_567, radix: 16).leftPadded(12).prefix(8)))
        #expect(Array(text)[14] == "7")
        // Before 1970 counts as 1970; the random bits differ from id to id.
        #expect(bytes(TimeOrderedID.make(at: .earliest))[0..<6].allSatisfy { $0 == 0 })
        let many = Set((0..<1000).map { _ in TimeOrderedID.make(at: time) })
        #expect(many.count == 1000)
    }

    @Test func laterMillisecondsSortAfterEarlierOnes() {
        var previous: [UInt8] = []
        for ms in stride(from: Int64(1_700_000_000_000), to: 1_700_000_000_000 + 5_000, by: 7) {
            let b = bytes(TimeOrderedID.make(at: Timestamp(microseconds: ms * 1000 + 999)))
            if !previous.isEmpty { #expect(previous.lexicographicallyPrecedes(b)) }
            previous = b
        }
    }

    @Test func eventsAppendedWithoutAnIDGetOneOfTheirRecordingTime() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let given = UUID()
        let outcome = try await store.append(stream: "ids", expected: .any, events: [event(), event(id: given), event()])
        let ids = outcome.events.map(\.id)
        #expect(ids[1] == given)  // a client's own id is kept as it is
        for e in [outcome.events[0], outcome.events[2]] {
            let b = bytes(e.id)
            #expect(b[6] >> 4 == 7)
            #expect(b[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == UInt64(e.recordedAt.microseconds / 1000))
        }
        // Found by id like any other.
        let found = try store.read { txn in try store.queries.seq(txn, id: ids[0]) }
        #expect(found == outcome.events[0].seq)
        #expect(try store.verify().ok)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
