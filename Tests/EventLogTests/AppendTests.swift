import Foundation
import Testing
import LMDB
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

func event(_ data: JSONValue = ["n": 1], type: String = "thing.happened.v1", id: UUID? = nil) -> NewEvent {
    NewEvent(id: id, type: type, data: data)
}

@Suite struct AppendTests {
    @Test func appendAssignsGaplessPositionsAndVersions() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let a = try await store.append(stream: "item/1", expected: .noStream, events: [event(), event()])
        let b = try await store.append(stream: "item/2", expected: .noStream, events: [event()])
        let c = try await store.append(stream: "item/1", expected: .exactly(1), events: [event()])
        #expect(a.events.map(\.seq) == [1, 2])
        #expect(a.events.map(\.version) == [0, 1])
        #expect(b.events.map(\.seq) == [3])
        #expect(b.events.map(\.version) == [0])
        #expect(c.events.map(\.seq) == [4])
        #expect(c.events.map(\.version) == [2])
        #expect(store.head.seq == 4)
        #expect(store.head.hash == c.events[0].hash)
        // The chain links each event to the one before.
        let all = try store.page(limit: 10).events
        #expect(all.map(\.seq) == [1, 2, 3, 4])
        #expect(all[0].prevHash == EventEnvelope.genesisHash)
        for i in 1..<all.count { #expect(all[i].prevHash == all[i - 1].hash) }
        #expect(try store.events(stream: "item/1").map(\.seq) == [1, 2, 4])
    }

    @Test func wrongExpectedVersionNamesTheActualVersion() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        _ = try await store.append(stream: "s", expected: .any, events: [event(), event()])
        await #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .exactly(0), actual: 1)) {
            try await store.append(stream: "s", expected: .exactly(0), events: [event()])
        }
        await #expect(throws: EventLogError.wrongExpectedVersion(stream: "s", expected: .noStream, actual: 1)) {
            try await store.append(stream: "s", expected: .noStream, events: [event()])
        }
        await #expect(throws: EventLogError.wrongExpectedVersion(stream: "new", expected: .exactly(3), actual: nil)) {
            try await store.append(stream: "new", expected: .exactly(3), events: [event()])
        }
        // The failed appends left nothing behind.
        #expect(store.head.seq == 2)
        let message = EventLogError.wrongExpectedVersion(stream: "s", expected: .exactly(0), actual: 1).description
        #expect(message.contains("version 1") && message.contains("expected version 0"))
    }

    @Test func retryWithSameIDsReturnsOriginalPositions() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let ids = [UUID(), UUID()]
        let events = [event(["a": "甲"], id: ids[0]), event(["b": 2], id: ids[1])]
        let first = try await store.append(stream: "s", expected: .noStream, events: events)
        #expect(!first.duplicate)
        // A retry: same ids, same content, even with a now-stale expected version.
        let retry = try await store.append(stream: "s", expected: .noStream, events: events)
        #expect(retry.duplicate)
        #expect(retry.events.map(\.seq) == first.events.map(\.seq))
        #expect(retry.events.map(\.hash) == first.events.map(\.hash))
        #expect(store.head.seq == 2)
    }

    @Test func sameIDDifferentContentIsAConflict() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let id = UUID()
        _ = try await store.append(stream: "s", expected: .any, events: [event(["a": 1], id: id)])
        await #expect(throws: EventLogError.duplicateID(id: id, seq: 1)) {
            try await store.append(stream: "s", expected: .any, events: [event(["a": 2], id: id)])
        }
        await #expect(throws: EventLogError.duplicateID(id: id, seq: 1)) {
            try await store.append(stream: "other", expected: .any, events: [event(["a": 1], id: id)])
        }
        // Part stored, part new: not a retry either.
        await #expect(throws: EventLogError.duplicateID(id: id, seq: 1)) {
            try await store.append(stream: "s", expected: .any, events: [event(["a": 1], id: id), event()])
        }
        let twice = UUID()
        await #expect(throws: EventLogError.repeatedIDInRequest(id: twice)) {
            try await store.append(stream: "s", expected: .any, events: [event(id: twice), event(id: twice)])
        }
        #expect(store.head.seq == 1)
    }

    @Test func invalidAppendsAreRejected() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        for (stream, events) in [("", [event()]), ("has space", [event()]), ("s", []), ("s", [event(type: "")]),
                                 ("s", [NewEvent(type: "t", data: [1, 2])])] {
            await #expect(throws: EventLogError.self) {
                try await store.append(stream: stream, expected: .any, events: events)
            }
        }
        #expect(store.head.seq == 0)
    }

    @Test func concurrentAppendsAreGaplessAndGrouped() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let writers = 32, perWriter = 20
        try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var seqs: [UInt64] = []
                    for i in 0..<perWriter {
                        let outcome = try await store.append(stream: "writer/\(w)", expected: i == 0 ? .noStream : .exactly(UInt64(i - 1)),
                                                             events: [event(.object(["w": .int(Int64(w)), "i": .int(Int64(i))]))])
                        seqs.append(outcome.events[0].seq)
                    }
                    return seqs
                }
            }
            var all: [UInt64] = []
            for try await seqs in group { all.append(contentsOf: seqs) }
            #expect(all.sorted() == Array(1...UInt64(writers * perWriter)))
        }
        #expect(try store.verify().ok)
        // Fewer commits than events: concurrent writers shared transactions.
        let txns = store.environment.info().lastTransactionID
        #expect(txns < writers * perWriter)
    }

    @Test func aFailingWriteDoesNotDisturbItsBatch() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        struct Refused: Error {}
        async let good: AppendOutcome = store.append(stream: "ok", expected: .any, events: [event()])
        async let bad: Void = store.write { txn, log in
            _ = try log.append(txn, stream: "bad", expected: .any, events: [event()], actor: .null)
            throw Refused()
        }
        async let good2: AppendOutcome = store.append(stream: "ok2", expected: .any, events: [event()])
        _ = try await (good, good2)
        var refused = false
        do { try await bad } catch is Refused { refused = true }
        #expect(refused)
        #expect(try store.events(stream: "bad").isEmpty)
        #expect(store.head.seq == 2)
        #expect(try store.verify().ok)
    }

    @Test func logSurvivesReopen() async throws {
        let dir = try TemporaryDirectory("log")
        var hash: [UInt8] = []
        do {
            let store = try EventStore(directory: dir.path)
            _ = try await store.append(stream: "s", expected: .any, events: [event(), event()])
            hash = store.head.hash
            store.close()
        }
        let store = try EventStore(directory: dir.path)
        #expect(store.head.seq == 2)
        #expect(store.head.hash == hash)
        let next = try await store.append(stream: "s", expected: .exactly(1), events: [event()])
        #expect(next.events[0].seq == 3)
        #expect(next.events[0].prevHash == hash)
    }

    @Test func recordedAtNeverDecreases() async throws {
        let dir = try TemporaryDirectory("log")
        let times = LockedTimes([5_000_000, 4_000_000, 6_000_000])
        let store = try EventStore(directory: dir.path, clock: LogClock { times.next() })
        for _ in 0..<3 { _ = try await store.append(stream: "s", expected: .any, events: [event()]) }
        let stamps = try store.page().events.map(\.recordedAt.microseconds)
        #expect(stamps == [5_000_000, 5_000_000, 6_000_000])
    }
}

/// A clock that returns the given instants in turn (then repeats the last).
final class LockedTimes: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    func next() -> Timestamp {
        lock.lock(); defer { lock.unlock() }
        let v = values.count > 1 ? values.removeFirst() : values[0]
        return Timestamp(microseconds: v)
    }
}

@Suite struct StagingTests {
    @Test func aWriteSeesItsOwnStagedAppends() async throws {
        let dir = try TemporaryDirectory("stage")
        let store = try EventStore(directory: dir.path)
        let id = UUID()
        let versions = try await store.write { txn, log in
            let a = try log.append(txn, stream: "s", expected: .noStream, events: [event(id: id)], actor: .null)
            let b = try log.append(txn, stream: "s", expected: .exactly(0), events: [event()], actor: .null)
            // A retry of the first append inside the same write is recognised from the stage.
            let retry = try log.append(txn, stream: "s", expected: .any, events: [event(id: id)], actor: .null)
            return [a.streamVersion, b.streamVersion, retry.events[0].seq]
        }
        #expect(versions == [0, 1, 1])
        #expect(try store.events(stream: "s").map(\.version) == [0, 1])
        await #expect(throws: EventLogError.duplicateID(id: id, seq: 1)) {
            try await store.write { txn, log in
                try log.append(txn, stream: "t", expected: .any, events: [event(["other": true], id: id)], actor: .null)
            }
        }
        #expect(try store.verify().ok)
    }
}
