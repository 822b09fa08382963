import Foundation
import Synchronization
import Testing
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

/// "The last event at or before T", found by binary search over the log (there is no time index):
/// checked against a linear scan, with repeated times, a clock that steps back, and data that
/// holds its own `recordedAt`.
@Suite struct TimeLookupTests {
    /// A clock the test sets.
    final class HandClock: Sendable {
        let micros = Atomic<Int64>(1_700_000_000_000_000)
        var clock: LogClock { LogClock { [self] in Timestamp(microseconds: micros.load(ordering: .relaxed)) } }
        func advance(_ delta: Int64) { micros.add(delta, ordering: .relaxed) }
    }

    @Test func lastSeqAtOrBeforeAgreesWithAScan() async throws {
        let dir = try TemporaryDirectory("time")
        let hand = HandClock()
        let store = try EventStore(directory: dir.path, clock: hand.clock)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<300 {
            // Steps forward, sometimes not at all (equal times), sometimes back (held at the last time).
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: break
            case 1: hand.advance(-5_000)
            default: hand.advance(Int64.random(in: 1...3_000, using: &generator))
            }
            let data: JSONValue = i % 7 == 0 ? ["nested": ["a": 1, "recordedAt": "1999-01-01T00:00:00.000000Z"]] : ["n": .int(Int64(i))]
            _ = try await store.append(stream: "t/\(i % 5)", expected: .any, events: [event(data)])
        }
        let times = try store.page(limit: 1000).events.map(\.recordedAt)
        #expect(times.count == 300)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        func scan(_ t: Timestamp) -> UInt64 { UInt64(times.lastIndex { $0 <= t }.map { $0 + 1 } ?? 0) }
        var probes = [Timestamp(microseconds: times[0].microseconds - 1), times[0], times[times.count - 1],
                      Timestamp(microseconds: times[times.count - 1].microseconds + 1)]
        for _ in 0..<200 {
            let base = times.randomElement(using: &generator)!.microseconds
            probes.append(Timestamp(microseconds: base + Int64.random(in: -2...2, using: &generator)))
        }
        for t in probes {
            let found = try store.read { txn in try store.queries.lastSeq(txn, recordedAtOrBefore: t) }
            #expect(found == scan(t), "at \(t)")
        }
    }

    @Test func anEmptyLogHasNothingBeforeAnyTime() throws {
        let dir = try TemporaryDirectory("time")
        let store = try EventStore(directory: dir.path)
        #expect(try store.read { txn in try store.queries.lastSeq(txn, recordedAtOrBefore: Timestamp(microseconds: .max / 2)) } == 0)
    }
}
