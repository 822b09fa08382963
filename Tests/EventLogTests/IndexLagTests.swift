import Dispatch
import Foundation
import Testing
import LMDB
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

/// The stream and id indexes are written every `indexLag` events; every read must still see every
/// committed event, from the indexes, the in-memory tail or the log itself.
@Suite struct IndexLagTests {
    func store(_ dir: TemporaryDirectory, lag: Int) throws -> EventStore {
        var options = EventStoreOptions()
        options.indexLag = lag
        return try EventStore(directory: dir.path, options: options)
    }

    /// What a snapshot says through every stream and id lookup, to compare against the truth.
    struct View: Equatable {
        var versions: [String: UInt64?]
        var seqs: [String: [UInt64]]
        var ids: [UUID: UInt64?]
    }

    func view(_ store: EventStore, _ txn: borrowing ReadTransaction, streams: [String], ids: [UUID]) throws -> View {
        var v = View(versions: [:], seqs: [:], ids: [:])
        for s in streams {
            v.versions[s] = try store.queries.streamVersion(txn, stream: s)
            var seqs: [UInt64] = []
            var versions: [UInt64] = []
            try store.queries.forEachStreamEntry(txn, stream: s) { version, seq in
                versions.append(version)
                seqs.append(seq)
                return true
            }
            #expect(versions == Array(0..<UInt64(versions.count)), "stream \(s) versions \(versions)")
            v.seqs[s] = seqs
        }
        for id in ids { v.ids[id] = try store.queries.seq(txn, id: id) }
        return v
    }

    @Test func everyReadSeesTheEventsNotYetIndexed() async throws {
        let dir = try TemporaryDirectory("lag")
        let store = try store(dir, lag: 8)
        let streams = ["a", "b/1", "c"]
        var ids: [UUID] = []
        var truth = View(versions: Dictionary(uniqueKeysWithValues: streams.map { ($0, nil) }),
                         seqs: Dictionary(uniqueKeysWithValues: streams.map { ($0, []) }), ids: [:])
        for i in 0..<21 {
            let s = streams[i % 3]
            let id = UUID()
            let expected: ExpectedVersion = truth.versions[s]!.map { .exactly($0) } ?? .noStream
            let out = try await store.append(stream: s, expected: expected, events: [event(["i": .int(Int64(i))], id: id)])
            ids.append(id)
            truth.versions[s] = out.events[0].version
            truth.seqs[s]!.append(out.events[0].seq)
            truth.ids[id] = out.events[0].seq
            let seen = try store.read { txn in try view(store, txn, streams: streams, ids: ids + [UUID()]) }
            #expect(seen.versions == truth.versions)
            #expect(seen.seqs == truth.seqs)
            #expect(seen.ids.filter { $0.value != nil } == truth.ids)
            #expect(seen.ids.count == ids.count + 1, "an unknown id is not found")
        }
        // One event per commit, indexes every 8: 16 events are indexed, 5 wait.
        let (indexed, head) = try store.read { txn in try store.queries.indexRange(txn) }
        #expect(indexed == 16 && head == 21)
        #expect(store.queries.tail.top == 21)

        // Reads by stream through the store's own calls.
        #expect(try store.events(stream: "b/1").map(\.seq) == truth.seqs["b/1"])
        #expect(try store.events(stream: "a", fromVersion: 5, limit: 2).map(\.version) == [5, 6])
        let page = try store.page(fromSeq: 10, limit: 3, stream: "c")
        #expect(page.events.map(\.seq) == truth.seqs["c"]!.filter { $0 >= 10 }.prefix(3).map { $0 })

        // The writer checks versions and ids against the waiting events too.
        await #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .exactly(5), actual: 6)) {
            try await store.append(stream: "a", expected: .exactly(5), events: [event()])
        }
        await #expect(throws: EventLogError.wrongExpectedVersion(stream: "c", expected: .noStream, actual: 6)) {
            try await store.append(stream: "c", expected: .noStream, events: [event()])
        }
        let retry = try await store.append(stream: "c", expected: .any, events: [event(["i": 20], id: ids[20])])
        #expect(retry.duplicate && retry.events[0].seq == 21)
        await #expect(throws: EventLogError.duplicateID(id: ids[19], seq: 20)) {
            try await store.append(stream: "b/1", expected: .any, events: [event(["i": 999], id: ids[19])])
        }
        #expect(try store.verify().ok)

        // Closing writes the rest: the raw indexes then hold every event.
        store.close()
        let env = try Environment(path: dir.path)
        let dbs = try LogDatabases(environment: env)
        let (mark, streamEntries, idEntries, format) = try env.read { txn in
            (try txn.value(dbs.meta, key: LogKeys.indexedThroughKey).flatMap { BigEndianKey.read($0) },
             try txn.stat(dbs.byStream).entries, try txn.stat(dbs.byID).entries,
             try txn.value(dbs.meta, key: Array("format".utf8)).map { String(decoding: $0, as: UTF8.self) })
        }
        #expect(mark == 21 && streamEntries == 21 && idEntries == 21)
        #expect(format == "shixiang-log/2")
    }

    @Test func aLagOfOneIndexesEveryCommit() async throws {
        let dir = try TemporaryDirectory("lag")
        let store = try store(dir, lag: 1)
        for i in 0..<5 {
            _ = try await store.append(stream: "s", expected: .any, events: [event(["i": .int(Int64(i))])])
            let (indexed, head) = try store.read { txn in try store.queries.indexRange(txn) }
            #expect(indexed == head)
            #expect(try store.read { txn in try txn.stat(store.databases.byStream).entries } == i + 1)
        }
    }

    /// A crash leaves events without index entries (here: a copy of the data file taken between
    /// commits, which is what a killed process leaves). The next open writes them.
    @Test func theNextOpenIndexesWhatACrashLeft() async throws {
        let dir = try TemporaryDirectory("lag")
        let copy = try TemporaryDirectory("lag-copy")
        let live = try store(dir, lag: 1000)
        var ids: [UUID] = []
        for i in 0..<30 {
            let out = try await live.append(stream: "s/\(i % 4)", expected: .any, events: [event(["i": .int(Int64(i))])])
            ids.append(out.events[0].id)
        }
        try FileManager.default.copyItem(atPath: dir.path + "/data.mdb", toPath: copy.path + "/data.mdb")
        live.close()

        do {
            let env = try Environment(path: copy.path)
            let dbs = try LogDatabases(environment: env)
            #expect(try env.read { txn in try LogQueries(dbs: dbs).indexRange(txn) } == (0, 30))
            #expect(try env.read { txn in try txn.stat(dbs.byStream).entries } == 0)
        }

        let reopened = try store(copy, lag: 1000)
        #expect(try reopened.read { txn in try reopened.queries.indexRange(txn) } == (30, 30))
        #expect(try reopened.read { txn in try txn.stat(reopened.databases.byID).entries } == 30)
        #expect(try reopened.events(stream: "s/1").map(\.seq) == [2, 6, 10, 14, 18, 22, 26, 30])
        for (n, id) in ids.enumerated() {
            #expect(try reopened.read { txn in try reopened.queries.seq(txn, id: id) } == UInt64(n + 1))
        }
        #expect(try reopened.verify().ok)
        let next = try await reopened.append(stream: "s/1", expected: .exactly(7), events: [event()])
        #expect(next.events[0].seq == 31 && next.events[0].version == 8)
    }

    /// A snapshot that began before two index batches no longer finds its unindexed events in
    /// memory; it reads them from the log and answers exactly as it would have.
    @Test func anOldSnapshotReadsItsTailFromTheLog() async throws {
        let dir = try TemporaryDirectory("lag")
        let store = try store(dir, lag: 4)
        var ids: [UUID] = []
        for i in 0..<3 {
            ids.append(try await store.append(stream: "s", expected: .any, events: [event(["i": .int(Int64(i))])]).events[0].id)
        }
        let appendWhileReading: @Sendable () -> [UUID] = {
            var later: [UUID] = []
            for i in 0..<10 {
                let done = DispatchSemaphore(value: 0)
                let box = Box()
                store.submit({ txn, appender in
                    try appender.append(txn, stream: i % 2 == 0 ? "s" : "t", expected: .any, events: [event(["later": .int(Int64(i))])], actor: .null)
                }, completion: { result in
                    box.id = try? result.get().events[0].id
                    done.signal()
                })
                done.wait()
                if let id = box.id { later.append(id) }
            }
            return later
        }
        let (old, later) = try store.read { txn in
            let before = try view(store, txn, streams: ["s", "t"], ids: ids)
            let later = appendWhileReading()
            // The tail now starts after seq 4: this snapshot's (0, 3] is read from the log.
            #expect(store.queries.tail.entries(after: 0, through: 3) == nil)
            let after = try view(store, txn, streams: ["s", "t"], ids: ids + later)
            return ((before, after), later)
        }
        #expect(later.count == 10)
        #expect(old.0.versions == ["s": 2, "t": nil])
        #expect(old.0.seqs == ["s": [1, 2, 3], "t": []])
        #expect(old.1.versions == old.0.versions)
        #expect(old.1.seqs == old.0.seqs)
        #expect(old.1.ids.filter { $0.value != nil } == [ids[0]: 1, ids[1]: 2, ids[2]: 3])

        let now = try store.read { txn in try view(store, txn, streams: ["s", "t"], ids: ids + later) }
        #expect(now.versions == ["s": 7, "t": 4])
        #expect(now.seqs == ["s": [1, 2, 3, 4, 6, 8, 10, 12], "t": [5, 7, 9, 11, 13]])
        #expect(now.ids.values.allSatisfy { $0 != nil })
        #expect(try store.verify().ok)
    }

    /// An index entry for an event past the mark is as wrong as a missing one.
    @Test func verifyCatchesAnEntryPastTheMark() async throws {
        let dir = try TemporaryDirectory("lag")
        let store = try store(dir, lag: 100)
        for i in 0..<5 {
            _ = try await store.append(stream: "s", expected: .any, events: [event(["i": .int(Int64(i))])])
        }
        #expect(try store.verify().ok)
        try store.environment.write { txn in
            try txn.put(store.databases.byStream, key: LogKeys.stream("s", version: 3), value: BigEndianKey.bytes(4))
        }
        let report = try store.verify()
        #expect(report.failure?.seq == 4)
        #expect(report.failure?.check == "index")
        #expect(report.failure?.message.contains("past the indexed-through mark 0") == true)
    }

    @Test func formatOneIsUpgradedWithItsMark() async throws {
        let dir = try TemporaryDirectory("lag")
        do {
            let first = try store(dir, lag: 1)
            for _ in 0..<3 { _ = try await first.append(stream: "s", expected: .any, events: [event()]) }
            first.close()
        }
        // What a build of format 1 left: every event indexed, no mark.
        do {
            let env = try Environment(path: dir.path)
            let dbs = try LogDatabases(environment: env)
            try env.write { txn in
                try txn.put(dbs.meta, key: Array("format".utf8), value: Array("shixiang-log/1".utf8))
                #expect(try txn.delete(dbs.meta, key: LogKeys.indexedThroughKey))
            }
        }
        let store = try store(dir, lag: 100)
        #expect(try store.read { txn in try store.queries.indexRange(txn) } == (3, 3))
        #expect(try store.read { txn in try txn.value(store.databases.meta, key: Array("format".utf8)) } == Array("shixiang-log/2".utf8))
        #expect(try store.verify().ok)
    }
}

private final class Box: @unchecked Sendable {
    var id: UUID?
}
