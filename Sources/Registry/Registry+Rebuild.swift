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
    /// Folds the whole log into a fresh in-memory session, in short read snapshots of `chunk` events.
    func fold(upTo head: UInt64, chunk: Int, progress: (UInt64) -> Void) throws -> ProjectionSession {
        var session = ProjectionSession(dbs: dbs, backed: false)
        var next: UInt64 = 1
        while next <= head {
            next = try store.read { txn in
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
            progress(min(next - 1, head))
        }
        return session
    }

    /// Rebuilds every projection from the log: folds it in memory, then in one commit applies the
    /// events stored meanwhile, empties the projection databases and writes every record.
    /// Writes wait during that final commit; reads go on. `progress(done, total)` follows the fold.
    public func rebuild(chunk: Int = 50_000, progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in }) async throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        let folded = try fold(upTo: head, chunk: chunk) { progress($0, head) }
        let dbs = self.dbs
        let box = SessionBox(folded)
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
            return (seq - 1, writes.count)
        }
        progress(events, events)
        return RebuildReport(events: events, records: records, seconds: Date().timeIntervalSince(started), differences: [])
    }

    /// Folds the log and compares the result with the stored projections, record by record.
    public func checkProjections(chunk: Int = 50_000) throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        let folded = try fold(upTo: head, chunk: chunk) { _ in }
        var expected: [String: [UInt8]] = [:]
        for write in try folded.stagedWrites() {
            guard let value = write.value else { continue }
            expected["\(write.db.name ?? "?")/\(String(decoding: write.key, as: UTF8.self))"] = value
        }
        var differences: [String] = []
        var stored = 0
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
