import EventLog
import Foundation
import LMDB
import ShixiangJSON

/// What a rebuild (or a projection check) did.
public struct RebuildReport: Sendable {
    /// Events folded.
    public var events: UInt64
    /// Records written (rebuild) or compared (check).
    public var records: Int
    public var seconds: Double
    /// Records whose stored form differs from the fold of the log (check only), as `table/key`.
    public var differences: [String]
}

extension Registry {
    /// Folds events `next…head` into `session` in one short read snapshot of at most `chunk`
    /// events; returns the seq to continue from (`head + 1` when done).
    func foldChunk(_ session: inout ProjectionSession, from next: UInt64, upTo head: UInt64, chunk: Int) throws -> UInt64 {
        try store.read { txn in
            var seq = next
            try txn.withCursor(store.databases.events) { cursor in
                var entry = try cursor.seek(atLeast: BigEndianKey.bytes(seq))
                var count = 0
                while let e = entry, count < chunk, let key = BigEndianKey.read(e.key), key <= head {
                    let envelope = try store.queries.event(txn, seq: key)
                    if let envelope { try Projector.apply(envelope, to: &session, txn) }
                    seq = key + 1
                    count += 1
                    entry = try cursor.next()
                }
                if entry == nil || count == 0 { seq = head + 1 }
            }
            return seq
        }
    }

    /// Folds the log up to `head` into a fresh in-memory session, in short read snapshots of `chunk` events.
    func fold(upTo head: UInt64, chunk: Int, recordVersions: Bool, progress: (UInt64) -> Void) throws -> ProjectionSession {
        var session = ProjectionSession(dbs: dbs, backed: false, recordVersions: recordVersions)
        var next: UInt64 = 1
        while next <= head {
            next = try foldChunk(&session, from: next, upTo: head, chunk: chunk)
            progress(min(next - 1, head))
        }
        return session
    }

    /// Rebuilds every projection from the log. The version and creation indexes are rewritten in
    /// place chunk by chunk as the fold goes (a version depends only on the log up to its event,
    /// so as-of reads stay right meanwhile), then whatever they hold that the fold did not produce
    /// is removed. Finally, in one commit, the events stored meanwhile are applied, the other
    /// projection databases emptied and every record written. Writes wait during that final
    /// commit; reads go on. `progress(done, total)` follows the fold.
    public func rebuild(chunk: Int = 50_000, progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in }) async throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        let dbs = self.dbs
        var session = ProjectionSession(dbs: dbs, backed: false)
        var produced = ProducedVersions(upTo: head)
        var versions = 0
        var next: UInt64 = 1
        while next <= head {
            next = try foldChunk(&session, from: next, upTo: head, chunk: chunk)
            let batch = session.drainVersions()
            for v in batch { produced.note(v) }
            versions += batch.count
            try await store.write { _, log in
                for v in batch { for w in v.writes(dbs) { log.stage(w.db, key: w.key, value: w.value) } }
            }
            progress(min(next - 1, head), head)
        }
        let stale = try staleVersionKeys(produced)
        if !stale.isEmpty {
            try await store.write { _, log in for (db, key) in stale { log.stage(db, key: key, value: nil) } }
        }
        let box = SessionBox(session)
        let (events, records) = try await store.write { view, log in
            var session = box.session  // a copy: the commit may run this closure again if the map must grow
            var seq = head + 1
            while let envelope = try log.queries.event(view, seq: seq) {
                try Projector.apply(envelope, to: &session, view)
                seq += 1
            }
            if session.appliedSeq == nil { session.appliedSeq = 0 }
            for db in dbs.all { log.stageClear(db) }
            let writes = try session.stagedWrites()
            for write in writes { log.stage(write.db, key: write.key, value: write.value) }
            log.stage(dbs.meta, key: ProjectionDatabases.versionIndexKey, value: [1])
            return (seq - 1, writes.count)
        }
        progress(events, events)
        return RebuildReport(events: events, records: records + versions, seconds: Date().timeIntervalSince(started), differences: [])
    }

    /// Keys of the version and creation indexes, up to what `produced` covers, that a fold did not produce.
    func staleVersionKeys(_ produced: ProducedVersions, limit: Int = .max) throws -> [(Database, [UInt8])] {
        try store.read { txn in
            var stale: [(Database, [UInt8])] = []
            for (db, creation) in [(dbs.versions, false), (dbs.created, true)] {
                try txn.withCursor(db) { cursor in
                    var entry = try cursor.first()
                    while let e = entry, stale.count < limit {
                        if !produced.expects(e.key, creation: creation) { stale.append((db, Array(e.key))) }
                        entry = try cursor.next()
                    }
                }
            }
            return stale
        }
    }

    /// Folds the log and compares the result with the stored projections, record by record, and
    /// every version and creation of the indexes.
    public func checkProjections(chunk: Int = 50_000) throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        var differences: [String] = []
        var produced = ProducedVersions(upTo: head)
        var folded = ProjectionSession(dbs: dbs, backed: false)
        var next: UInt64 = 1
        func name(_ key: [UInt8]) -> String {
            guard key.count >= 9 else { return "?" }
            return "\(String(decoding: key[..<(key.count - 9)], as: UTF8.self))@\(BigEndianKey.read(key, at: key.count - 8) ?? 0)"
        }
        while next <= head {
            next = try foldChunk(&folded, from: next, upTo: head, chunk: chunk)
            let batch = folded.drainVersions()
            try store.read { txn in
                for v in batch {
                    produced.note(v)
                    for w in v.writes(dbs) {
                        if try txn.value(w.db, key: w.key) != w.value { differences.append("\(w.db.name ?? "?")/\(name(w.key))") }
                    }
                }
            }
        }
        for (db, key) in try staleVersionKeys(produced, limit: 10_000) { differences.append("\(db.name ?? "?")/\(name(key))") }
        var expected: [String: [UInt8]] = [:]
        for write in try folded.stagedWrites() {
            guard let value = write.value else { continue }
            expected["\(write.db.name ?? "?")/\(String(decoding: write.key, as: UTF8.self))"] = value
        }
        var stored = produced.count + produced.creations
        try store.read { txn in
            for db in dbs.all {
                let name = db.name ?? "?"
                try txn.withCursor(db) { cursor in
                    var entry = try cursor.first()
                    while let e = entry {
                        let key = "\(name)/\(String(decoding: e.key, as: UTF8.self))"
                        stored += 1
                        if let want = expected.removeValue(forKey: key) {
                            if !e.value.elementsEqual(want) && name != "p-meta" { differences.append(key) }
                        } else if name != "p-meta" {
                            differences.append(key)
                        }
                        entry = try cursor.next()
                    }
                }
            }
        }
        differences += expected.keys.filter { !$0.hasPrefix("p-meta/") }
        return RebuildReport(events: head, records: stored, seconds: Date().timeIntervalSince(started), differences: differences.sorted())
    }
}

/// Hands a folded session to the committer thread.
private final class SessionBox: @unchecked Sendable {
    // @unchecked Sendable: written once before the write is submitted, then only read (copied) by
    // the committer thread, which runs the closure one call at a time.
    let session: ProjectionSession
    init(_ session: ProjectionSession) { self.session = session }
}
