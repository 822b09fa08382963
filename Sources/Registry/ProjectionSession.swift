import EventLog
import LMDB
import ShixiangCalendar
import ShixiangJSON

/// The registry's state as one write closure (or a rebuild) reads and changes it.
///
/// Reads go through to the transaction once and are then served from memory, so a command sees
/// its own changes; ``stage(into:)`` hands every changed record and index entry to the log's stage,
/// to be written in the same commit as the events that caused them.
public struct ProjectionSession: Sendable {
    let dbs: ProjectionDatabases
    var units: RecordTable<UnitRecord>
    var items: RecordTable<CatalogueItemRecord>
    var entries: RecordTable<ImplementationEntryRecord>
    var adjustments: RecordTable<AdjustmentRecord>
    var filings: RecordTable<FilingRecord>
    var calendar: RecordTable<YearNotice>
    var notices: RecordTable<NoticeRecord>
    /// The last event applied.
    var appliedSeq: UInt64?
    /// Whether misses read the databases.
    let backed: Bool
    /// Every record created since the session began, in order (`nil`: not recorded, for folds
    /// that only want records).
    var creations: [StagedCreation]?
    /// How many records of each kind exist, once needed (read from `p-created` when backed).
    /// (A few kinds, compared as short strings: cheaper than hashing each at every creation.)
    private var createdCounts: [(kind: String, count: UInt64)] = []

    /// A session over the databases; `backed == false` for a rebuild that refills them from scratch.
    /// `recordCreations` keeps every record creation for the creation index.
    public init(dbs: ProjectionDatabases, backed: Bool = true, recordCreations: Bool = true) {
        self.dbs = dbs
        self.backed = backed
        creations = recordCreations ? [] : nil
        units = RecordTable(db: dbs.units, backed: backed)
        items = RecordTable(db: dbs.items, backed: backed)
        entries = RecordTable(db: dbs.entries, backed: backed)
        adjustments = RecordTable(db: dbs.adjustments, backed: backed)
        filings = RecordTable(db: dbs.filings, backed: backed)
        calendar = RecordTable(db: dbs.calendar, backed: backed)
        notices = RecordTable(db: dbs.notices, backed: backed)
    }

    /// Forgets which keys were put, before an event is applied.
    mutating func forgetLastPuts() {
        units.forgetLastPut(); items.forgetLastPut(); entries.forgetLastPut(); adjustments.forgetLastPut()
        filings.forgetLastPut(); notices.forgetLastPut()
    }

    /// Records the creation of the record of `e`'s stream, if `e` created one. An event only ever
    /// changes the record of its own stream; the first event of a stream creates it.
    mutating func noteCreation<T: TransactionReading & ~Copyable>(of e: ProjectedEvent, _ txn: borrowing T) throws {
        guard creations != nil, e.version == 0, let kind = e.streamKind else { return }
        let key = e.key
        let created: Bool
        switch kind {
        case "unit": created = units.lastPut == key
        case "item": created = items.lastPut == key
        case "entry": created = entries.lastPut == key
        case "adjustment": created = adjustments.lastPut == key
        case "filing": created = filings.lastPut == key
        case "notice": created = notices.lastPut == key
        default: created = false
        }
        guard created else { return }
        let ordinal = try createdCount(kind, txn) + 1
        if let i = createdCounts.firstIndex(where: { $0.kind == kind }) { createdCounts[i].count = ordinal } else { createdCounts.append((kind, ordinal)) }
        creations?.append(StagedCreation(kind: kind, key: key, seq: e.seq, ordinal: ordinal))
    }

    /// How many records of `kind` exist so far.
    private mutating func createdCount<T: TransactionReading & ~Copyable>(_ kind: String, _ txn: borrowing T) throws -> UInt64 {
        if let known = createdCounts.first(where: { $0.kind == kind }) { return known.count }
        guard backed else { return 0 }
        let prefix = Array(kind.utf8) + [0]
        return try txn.withCursor(dbs.created) { cursor in
            guard let last = try cursor.seek(atMost: CreationKeys.created(kind, seq: .max)), last.key.count == prefix.count + 8,
                  last.key.starts(with: prefix) else { return 0 }
            return BigEndianKey.read(last.value) ?? 0
        }
    }

    /// The record creations of `sessions` (the parts of a partitioned fold, each of which counted
    /// only its own) in log order, each with its ordinal counted across all of them.
    static func creationsInLogOrder(_ sessions: [ProjectionSession]) -> [StagedCreation] {
        var all = sessions.flatMap { $0.creations ?? [] }
        if sessions.count > 1 { all.sort { $0.seq < $1.seq } }
        var counts: [String: UInt64] = [:]
        for i in all.indices {
            let ordinal = counts[all[i].kind, default: 0] + 1
            counts[all[i].kind] = ordinal
            all[i].ordinal = ordinal
        }
        return all
    }

    /// The writes that bring the databases up to this session: records, then index entries, then creations.
    func stagedWrites() throws -> [(db: Database, key: [UInt8], value: [UInt8]?)] {
        var stage = EventLogStage()
        try units.stage(into: &stage)
        try items.stage(into: &stage)
        var indexes = EventLogStage()
        try entries.stage(into: &stage) { old, new in
            guard old?.unit != new.unit else { return }
            if let old { indexes.put(dbs.entriesByUnit, key: ProjectionDatabases.indexKey(old.unit, old.code), value: nil) }
            indexes.put(dbs.entriesByUnit, key: ProjectionDatabases.indexKey(new.unit, new.code), value: [])
        }
        try adjustments.stage(into: &stage) { old, new in
            if old?.unit != new.unit {
                if let old { indexes.put(dbs.adjustmentsByUnit, key: ProjectionDatabases.indexKey(old.unit, old.id), value: nil) }
                indexes.put(dbs.adjustmentsByUnit, key: ProjectionDatabases.indexKey(new.unit, new.id), value: [])
            }
            if old?.status != new.status {
                if let old { indexes.put(dbs.adjustmentsByStatus, key: ProjectionDatabases.indexKey(old.status.rawValue, old.id), value: nil) }
                indexes.put(dbs.adjustmentsByStatus, key: ProjectionDatabases.indexKey(new.status.rawValue, new.id), value: [])
            }
        }
        try filings.stage(into: &stage)
        try calendar.stage(into: &stage)
        try notices.stage(into: &stage)
        stage.puts += indexes.puts
        if let appliedSeq {
            stage.put(dbs.meta, key: ProjectionDatabases.appliedSeqKey, value: BigEndianKey.bytes(appliedSeq))
        }
        for creation in creations ?? [] {
            stage.put(dbs.created, key: CreationKeys.created(creation.kind, seq: creation.seq),
                      value: CreationKeys.createdValue(ordinal: creation.ordinal, key: creation.key))
        }
        return stage.puts
    }

    /// Stages every change into the log appender, to commit with the closure's events.
    public func stage(into log: inout LogAppender) throws {
        for write in try stagedWrites() { log.stage(write.db, key: write.key, value: write.value) }
    }
}
