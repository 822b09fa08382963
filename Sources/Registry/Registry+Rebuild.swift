import Dispatch
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
    /// Of ``seconds``, how long the fold of the log took, and then the encoding of the records
    /// (rebuild only; the rest is the commit that writes them).
    public var foldSeconds: Double = 0
    public var encodeSeconds: Double = 0
    /// Records whose stored form differs from the fold of the log (check only), as `table/key`.
    public var differences: [String]
}

extension Registry {
    /// Folds the log up to `head` into a fresh in-memory session (decoded on one thread, folded on another).
    func fold(upTo head: UInt64, recordCreations: Bool, progress: (UInt64) -> Void = { _ in }) throws -> ProjectionSession {
        var session = ProjectionSession(dbs: dbs, backed: false, recordCreations: recordCreations)
        try foldLog(into: &session, upTo: head, progress: progress)
        return session
    }

    /// Rebuilds every projection from the log: folds it (on every core, each thread folding the
    /// events of its own records: ``foldPartitioned(upTo:parts:batch:progress:)``; in log order,
    /// decoding beside the fold, if the log has events that change another stream's record), then,
    /// in one commit, applies the events stored meanwhile, empties every projection database and
    /// writes every record and the creation index. Writes wait during that final commit; reads go
    /// on, and see the old projections until it commits. `progress(done, total)` follows the fold.
    public func rebuild(chunk: Int = 2_048, parts: Int = ProcessInfo.processInfo.activeProcessorCount,
                        progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in }) async throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        let dbs = self.dbs
        // Fold, then start encoding every record (on every core, in the background), off the committer thread.
        let box = try await onOwnThread(name: "shixiang-rebuild") { [self] in
            let sessions: [ProjectionSession]
            if let parted = try foldPartitioned(upTo: head, parts: parts, batch: max(chunk, 1), progress: { progress($0, head) }) {
                sessions = parted
            } else {
                var session = ProjectionSession(dbs: dbs, backed: false)
                try foldLog(into: &session, upTo: head, batch: max(chunk, 1)) { progress($0, head) }
                sessions = [session]
            }
            let folded = Date().timeIntervalSince(started)
            return SessionBox(sessions, writes: Refill.start(sessions, appliedSeq: head, meta: Self.refillMeta), folded: folded)
        }
        let folded = box.folded
        // The refill writes about as much as the projections hold now: the map is grown for it
        // first (best effort: short of disk, the commit itself says so), so that the commit does
        // not fill the map halfway and run again.
        try? store.environment.reserve(room: projectionBytes() / 4 * 5 + (16 << 20))
        // The commit writes each run of records as soon as it is packed, while the later ones are
        // packed on the other cores.
        let events: UInt64, writes: Refill
        do {
            (events, writes) = try await store.write { view, log in
                var seq = head + 1
                var writes = box.writes
                if try log.queries.event(view, seq: seq) != nil {
                    // Events stored meanwhile: apply them (each to the part that holds its record) and stage again.
                    var sessions = box.sessions  // a copy: the commit may run this closure again if the map must grow
                    while let envelope = try log.queries.event(view, seq: seq) {
                        var event = try ProjectedEvent(envelope)
                        let part = Projector.partitionKey(event).map { Self.part(ofKey: $0, sessions.count) } ?? 0
                        try Projector.apply(&event, to: &sessions[part], view)
                        seq += 1
                    }
                    writes = try Refill(sessions, appliedSeq: seq - 1, meta: Self.refillMeta)
                }
                for db in dbs.all { log.stageClear(db) }
                for group in writes.groups {
                    for run in group.runs { log.stageAppend(group.db, pending: run) }
                }
                return (seq - 1, writes)
            }
        } catch {
            // A record that could not be encoded failed the commit: say so, rather than what the commit made of it.
            throw box.writes.failure() ?? error
        }
        let encoded = box.writes.finishedAt.map { $0.timeIntervalSince(started) - folded } ?? 0
        let records = try writes.count() - 1
        // The fold's records and their encodings (hundreds of thousands of them after a big log)
        // take about a second of CPU to free: not something the caller has to wait for.
        releaseOnOwnThread(box.takeContents())
        progress(events, events)
        return RebuildReport(events: events, records: records, seconds: Date().timeIntervalSince(started), foldSeconds: folded, encodeSeconds: encoded, differences: [])
    }

    /// Bytes of the pages the projection databases take now.
    func projectionBytes() -> Int {
        (try? store.read { txn in
            try dbs.all.reduce(0) { total, db in
                let stat = try txn.stat(db)
                return total + (stat.branchPages + stat.leafPages + stat.overflowPages) * stat.pageSize
            }
        }) ?? 0
    }

    /// What a rebuild writes in `p-meta` besides the applied seq: the mark of a complete creation index.
    static let refillMeta: [(key: [UInt8], value: [UInt8])] = [(ProjectionDatabases.creationIndexKey, [1])]

    /// Folds the log and compares the result with the stored projections, record by record,
    /// creation index included.
    public func checkProjections(chunk: Int = 2_048) throws -> RebuildReport {
        let started = Date()
        let head = store.head.seq
        var folded = ProjectionSession(dbs: dbs, backed: false)
        try foldLog(into: &folded, upTo: head, batch: max(chunk, 1)) { _ in }
        var differences: [String] = []
        func name(_ db: String, _ key: UnsafeRawBufferPointer) -> String {
            if db == "p-created", let seq = CreationKeys.seq(of: key) {
                return "\(db)/\(String(decoding: key[..<(key.count - 9)], as: UTF8.self))@\(seq)"
            }
            return "\(db)/\(String(decoding: key, as: UTF8.self))"
        }
        var expected: [String: [UInt8]] = [:]
        for write in try folded.stagedWrites() {
            guard let value = write.value else { continue }
            expected[write.key.withUnsafeBytes { name(write.db.name ?? "?", $0) }] = value
        }
        var stored = 0
        try store.read { txn in
            for db in dbs.all {
                let dbName = db.name ?? "?"
                try txn.withCursor(db) { cursor in
                    var entry = try cursor.first()
                    while let e = entry {
                        let key = name(dbName, e.key)
                        stored += 1
                        if let want = expected.removeValue(forKey: key) {
                            if !e.value.elementsEqual(want) && dbName != "p-meta" { differences.append(key) }
                        } else if dbName != "p-meta" {
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

/// Hands a fold's sessions to the committer thread.
private final class SessionBox: @unchecked Sendable {
    // @unchecked Sendable: written before the write is submitted, then only read (copied) by the
    // committer thread, which runs the closure one call at a time; emptied once the write is done.
    private(set) var sessions: [ProjectionSession]
    /// The writes that bring the emptied databases up to `sessions`, being packed.
    private(set) var writes: Refill
    /// Seconds the fold took.
    let folded: Double
    init(_ sessions: [ProjectionSession], writes: Refill, folded: Double) {
        self.sessions = sessions
        self.writes = writes
        self.folded = folded
    }

    /// Moves the sessions and the writes out (for ``releaseOnOwnThread(_:)``), leaving empty ones.
    func takeContents() -> ([ProjectionSession], Refill) {
        defer {
            sessions = []
            writes = Refill()
        }
        return (sessions, writes)
    }
}

/// Lets go of `contents` on a thread of its own, so that freeing it (a rebuild's fold: about a
/// second of CPU after a million events) costs the caller nothing. `contents` is moved here, so
/// the thread holds the last references.
func releaseOnOwnThread<T>(_ contents: consuming T) {
    let holder = ReleasedContents(contents)
    let thread = Thread { holder.contents = nil }
    thread.name = "shixiang-release"
    thread.start()
}

/// What ``releaseOnOwnThread(_:)`` hands to its thread.
private final class ReleasedContents: @unchecked Sendable {
    // @unchecked Sendable: set at initialisation, then touched only by the releasing thread.
    var contents: Any?
    init(_ contents: Any) { self.contents = contents }
}
