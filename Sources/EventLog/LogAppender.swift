import Foundation
import LMDB
import ShixiangDigest
import ShixiangJSON

/// Stages appends (and other writes) of one write closure of a group commit.
///
/// Handed to a write closure by ``EventStore/write(_:)`` together with a read-only view of the
/// batch's transaction. Nothing is written while the closure runs: appends are validated and
/// staged, and the committer applies the stage only if the closure returns normally. So a closure
/// that throws leaves no trace, without the cost of a nested LMDB transaction per write. The head
/// and the stream versions seen by later closures of the same batch include earlier ones' events.
public struct LogAppender: Sendable {
    public let queries: LogQueries
    /// The head including everything appended so far in this batch.
    public private(set) var head: LogHead
    /// The time stamped on events appended in this batch.
    public let now: Timestamp
    /// Every event appended by the current write closure.
    public private(set) var appended: [EventEnvelope] = []
    /// Writes waiting for the closure to succeed, in order.
    private var staged: [StagedPut] = []
    /// Streams, ids and events staged by the current closure, so it reads its own appends.
    private var stagedVersions: [String: UInt64] = [:]
    private var stagedIDs: [UUID: EventEnvelope] = [:]
    /// The same for the earlier closures of the batch that succeeded: their events are in the
    /// transaction but not in the indexes (shared by the closures' copies, changed only by `flush`).
    private let batch = BatchAppends()

    final class BatchAppends: @unchecked Sendable {
        // @unchecked Sendable: used only by the thread committing the batch.
        var versions: [String: UInt64] = [:]
        var ids: [UUID: EventEnvelope] = [:]
    }

    /// One write to apply when the closure succeeds (`value == nil` deletes; `clear` empties the database).
    struct StagedPut: Sendable {
        var db: Database
        var key: [UInt8]
        var value: [UInt8]?
        var flags: PutFlags
        var clear = false
        /// A run of appends (``stageAppend(_:pending:)``), in place of `key` and `value`.
        var run: PendingRun?
    }

    init(queries: LogQueries, head: LogHead, now: Timestamp) {
        self.queries = queries
        self.head = head
        // Time never goes backwards along the log, even if the system clock does.
        self.now = max(now, head.recordedAt)
    }

    /// Appends `events` to `stream` atomically, checking `expected` first.
    ///
    /// If every event carries an id already stored with identical content, nothing is appended and
    /// the stored events are returned with `duplicate == true`. Throws ``EventLogError``.
    ///
    /// `encodedData`, when given, holds each event's `data` already in canonical JSON (encoded by
    /// the caller off the committer thread); it must be exactly `data.canonicalBytes()`.
    public mutating func append<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String, expected: ExpectedVersion,
                                                                 events: [NewEvent], actor: JSONValue,
                                                                 encodedData: [[UInt8]]? = nil) throws -> AppendOutcome {
        try Self.validate(stream: stream, events: events)
        if let retry = try storedRetry(txn, stream: stream, events: events) { return retry }

        let current = try streamVersion(txn, stream: stream)
        switch expected {
        case .any: break
        case .noStream where current == nil: break
        case .exactly(let v) where current == v: break
        default: throw EventLogError.wrongExpectedVersion(stream: stream, expected: expected, actual: current)
        }

        var version = current.map { $0 + 1 } ?? 0
        var stored: [EventEnvelope] = []
        stored.reserveCapacity(events.count)
        let encodedActor = actor.canonicalBytes()
        for (index, event) in events.enumerated() {
            var envelope = EventEnvelope(
                seq: head.seq + 1, id: event.id ?? TimeOrderedID.make(at: now), stream: stream, version: version, type: event.type,
                recordedAt: now, effectiveAt: event.effectiveAt, actor: actor, data: event.data,
                prevHash: head.hash, hash: [])
            let data = encodedData.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? event.data.canonicalBytes()
            let canonical = envelope.canonicalBytes(encodedActor: encodedActor, encodedData: data)
            envelope.hash = Digest.sha256(canonical)
            try stage(txn, envelope, canonical: canonical)
            head = LogHead(seq: envelope.seq, hash: envelope.hash, recordedAt: now)
            stored.append(envelope)
            version += 1
        }
        appended.append(contentsOf: stored)
        return AppendOutcome(events: stored, duplicate: false)
    }

    /// The version `stream` is at, counting this closure's staged appends.
    /// Drops the record of events appended so far (the committer keeps its own list of the batch).
    mutating func forgetAppended() {
        appended.removeAll()
    }

    public func streamVersion<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String) throws -> UInt64? {
        if let v = stagedVersions[stream] ?? batch.versions[stream] { return v }
        // The committer holds every committed event the indexes do not have yet.
        if let v = queries.tail.lastVersion(of: stream) { return v }
        return try queries.indexedStreamEntry(txn, stream: stream)?.version
    }

    /// The seq of a committed event with `id` (this batch's own are in `stagedIDs` and `batch.ids`).
    private func committedSeq<T: TransactionReading & ~Copyable>(_ txn: borrowing T, id: UUID) throws -> UInt64? {
        if let seq = queries.tail.seq(of: id) { return seq }
        return try queries.indexedSeq(txn, id: id)
    }

    private mutating func stage<T: TransactionReading & ~Copyable>(_ txn: borrowing T, _ e: EventEnvelope, canonical: [UInt8]) throws {
        if let stored = try committedSeq(txn, id: e.id) { throw EventLogError.duplicateID(id: e.id, seq: stored) }
        if let earlier = stagedIDs[e.id] ?? batch.ids[e.id] { throw EventLogError.duplicateID(id: e.id, seq: earlier.seq) }
        // Only the event: its index entries are written with the next index batch (see IndexTail).
        staged.append(StagedPut(db: queries.dbs.events, key: BigEndianKey.bytes(e.seq),
                                value: LogKeys.record(hash: e.hash, canonical: canonical), flags: .append))
        stagedVersions[e.stream] = e.version
        stagedIDs[e.id] = e
    }

    /// Stages a write to another database of the environment (a projection), applied with the
    /// closure's appends when it succeeds. `value == nil` deletes the key.
    public mutating func stage(_ db: Database, key: [UInt8], value: [UInt8]?) {
        staged.append(StagedPut(db: db, key: key, value: value, flags: []))
    }

    /// Stages a write to a projection database that ``stageClear(_:)`` emptied earlier in this
    /// closure, in strictly increasing key order (LMDB's byte order): each goes onto the end of the
    /// database's last page (`MDB_APPEND`), with no search and no page split, as a rebuild wants.
    /// A key not greater than the last one fails the commit (``LMDBError/keyExists``).
    public mutating func stageAppend(_ db: Database, key: [UInt8], value: [UInt8]) {
        staged.append(StagedPut(db: db, key: key, value: value, flags: .append))
    }

    /// Stages a run of writes to a projection database that ``stageClear(_:)`` emptied earlier in
    /// this closure: as ``stageAppend(_:key:value:)`` for each entry of `run`, whose keys must
    /// strictly increase and follow those staged before them (``PackedEntries/sortedByKey()``).
    public mutating func stageAppend(_ db: Database, run: PackedEntries) {
        stageAppend(db, pending: PendingRun(run))
    }

    /// ``stageAppend(_:run:)`` for a run that may still be being packed when the closure returns:
    /// the commit waits for each run in turn and writes it, while later ones are packed meanwhile.
    /// A run that fails fails the commit.
    public mutating func stageAppend(_ db: Database, pending: PendingRun) {
        staged.append(StagedPut(db: db, key: [], value: nil, flags: .append, run: pending))
    }

    /// Stages emptying a projection database (for a rebuild that refills it in the same commit).
    /// The log's own databases cannot be cleared.
    public mutating func stageClear(_ db: Database) {
        guard ![queries.dbs.events, queries.dbs.byStream, queries.dbs.byID, queries.dbs.meta].contains(db) else { return }
        staged.append(StagedPut(db: db, key: [], value: nil, flags: [], clear: true))
    }

    /// Applies the staged writes (called by the committer once the closure has returned).
    /// Fails only for storage reasons, which fail the whole batch.
    mutating func flush(_ txn: borrowing WriteTransaction) throws {
        for put in staged {
            if put.clear {
                try txn.clear(put.db)
            } else if let pending = put.run {
                try pending.wait().forEach { key, value in try txn.put(put.db, key: key, value: value, flags: put.flags) }
            } else if let value = put.value {
                try txn.put(put.db, key: put.key, value: value, flags: put.flags)
            } else {
                try txn.delete(put.db, key: put.key)
            }
        }
        staged.removeAll(keepingCapacity: true)
        batch.versions.merge(stagedVersions) { _, new in new }
        batch.ids.merge(stagedIDs) { _, new in new }
        stagedVersions.removeAll(keepingCapacity: true)
        stagedIDs.removeAll(keepingCapacity: true)
    }

    /// The stored events if this request is an exact retry; throws if it reuses ids for other content.
    private func storedRetry<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String, events: [NewEvent]) throws -> AppendOutcome? {
        var stored: [EventEnvelope] = []
        var firstKnown: (UUID, UInt64)?
        for event in events {
            guard let id = event.id else { continue }
            let envelope: EventEnvelope?
            if let staged = stagedIDs[id] ?? batch.ids[id] {
                envelope = staged
            } else if let seq = try committedSeq(txn, id: id) {
                envelope = try queries.event(txn, seq: seq)
            } else {
                continue
            }
            let seq = envelope?.seq ?? 0
            firstKnown = firstKnown ?? (id, seq)
            guard let envelope,
                  envelope.stream == stream, envelope.type == event.type, envelope.data == event.data,
                  envelope.effectiveAt == event.effectiveAt
            else { throw EventLogError.duplicateID(id: id, seq: seq) }
            stored.append(envelope)
        }
        guard let (id, seq) = firstKnown else { return nil }
        // Some events of the request are stored and some are not: not a retry of one append.
        guard stored.count == events.count else { throw EventLogError.duplicateID(id: id, seq: seq) }
        return AppendOutcome(events: stored, duplicate: true)
    }

    static func validate(stream: String, events: [NewEvent]) throws(EventLogError) {
        guard !stream.isEmpty, stream.utf8.count <= 256,
              !stream.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || $0 == " " })
        else { throw .invalidAppend("A stream name must be 1 to 256 bytes without spaces or control characters.") }
        guard !events.isEmpty else { throw .invalidAppend("An append needs at least one event.") }
        guard events.count <= 10_000 else { throw .invalidAppend("An append may hold at most 10000 events.") }
        var seen = Set<UUID>()
        for event in events {
            guard !event.type.isEmpty, event.type.utf8.count <= 128,
                  !event.type.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f })
            else { throw .invalidAppend("An event type must be 1 to 128 bytes without spaces or control characters.") }
            guard case .object = event.data else { throw .invalidAppend("An event's data must be a JSON object.") }
            if let id = event.id, !seen.insert(id).inserted { throw .repeatedIDInRequest(id: id) }
        }
    }
}
