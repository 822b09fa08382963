import EventLog
import LMDB
import ShixiangCalendar
import ShixiangJSON

/// The registry's state as one write closure (or a rebuild) reads and changes it.
///
/// Reads go through to the transaction once and are then served from memory, so a command sees
/// its own changes; ``stage(into:)`` hands every changed record and index entry to the log's stage,
/// to be written in the same commit as the events that caused them.
public struct ProjectionSession {
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
    /// Every record version produced since the last ``drainVersions()`` (`nil`: not recorded, for
    /// replays that only want the end state).
    var versions: [StagedVersion]?
    /// How many records of each kind exist, once needed (read from `p-created` when backed).
    private var createdCounts: [String: UInt64] = [:]

    /// A session over the databases; `backed == false` for a rebuild that refills them from scratch.
    /// `recordVersions` keeps every record version for the version index.
    public init(dbs: ProjectionDatabases, backed: Bool = true, recordVersions: Bool = true) {
        self.dbs = dbs
        self.backed = backed
        versions = recordVersions ? [] : nil
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

    /// Records the version of the record of `e`'s stream that `e` produced, if it changed one.
    /// An event only ever changes the record of its own stream; the first event of a stream creates it.
    mutating func noteVersion<T: TransactionReading & ~Copyable>(of e: EventEnvelope, _ txn: borrowing T) throws {
        guard versions != nil, let (kind, key) = StreamName.parse(e.stream) else { return }
        func encoded<R: Encodable>(_ table: RecordTable<R>) throws -> [UInt8]? {
            guard table.lastPut == key, let record = table.current(key) else { return nil }
            return try JSONValueEncoder().encode(record).canonicalBytes()
        }
        let bytes: [UInt8]?
        switch kind {
        case "unit": bytes = try encoded(units)
        case "item": bytes = try encoded(items)
        case "entry": bytes = try encoded(entries)
        case "adjustment": bytes = try encoded(adjustments)
        case "filing": bytes = try encoded(filings)
        case "notice": bytes = try encoded(notices)
        default: bytes = nil
        }
        guard let bytes else { return }
        var creation: (kind: String, key: String, ordinal: UInt64)?
        if e.version == 0 {
            let ordinal = try createdCount(kind, txn) + 1
            createdCounts[kind] = ordinal
            creation = (kind, key, ordinal)
        }
        versions?.append(StagedVersion(stream: e.stream, seq: e.seq, bytes: bytes, creation: creation))
    }

    /// How many records of `kind` exist so far.
    private mutating func createdCount<T: TransactionReading & ~Copyable>(_ kind: String, _ txn: borrowing T) throws -> UInt64 {
        if let known = createdCounts[kind] { return known }
        guard backed else { return 0 }
        let prefix = Array(kind.utf8) + [0]
        return try txn.withCursor(dbs.created) { cursor in
            guard let last = try cursor.seek(atMost: VersionKeys.created(kind, seq: .max)), last.key.count == prefix.count + 8,
                  last.key.starts(with: prefix) else { return 0 }
            return BigEndianKey.read(last.value) ?? 0
        }
    }

    /// Hands over the versions produced so far and forgets them.
    mutating func drainVersions() -> [StagedVersion] {
        defer { if versions != nil { versions = [] } }
        return versions ?? []
    }

    /// The writes that bring the databases up to this session: records, then index entries, then versions.
    func stagedWrites() throws -> [(db: Database, key: [UInt8], value: [UInt8]?)] {
        var stage = EventLogStage()
        try units.stage(into: &stage)
        try items.stage(into: &stage)
        try entries.stage(into: &stage)
        try adjustments.stage(into: &stage)
        try filings.stage(into: &stage)
        try calendar.stage(into: &stage)
        try notices.stage(into: &stage)
        for change in entries.changes where change.old?.unit != change.new.unit {
            if let old = change.old { stage.put(dbs.entriesByUnit, key: ProjectionDatabases.indexKey(old.unit, old.code), value: nil) }
            stage.put(dbs.entriesByUnit, key: ProjectionDatabases.indexKey(change.new.unit, change.new.code), value: [])
        }
        for change in adjustments.changes {
            if change.old?.unit != change.new.unit {
                if let old = change.old { stage.put(dbs.adjustmentsByUnit, key: ProjectionDatabases.indexKey(old.unit, old.id), value: nil) }
                stage.put(dbs.adjustmentsByUnit, key: ProjectionDatabases.indexKey(change.new.unit, change.new.id), value: [])
            }
            if change.old?.status != change.new.status {
                if let old = change.old { stage.put(dbs.adjustmentsByStatus, key: ProjectionDatabases.indexKey(old.status.rawValue, old.id), value: nil) }
                stage.put(dbs.adjustmentsByStatus, key: ProjectionDatabases.indexKey(change.new.status.rawValue, change.new.id), value: [])
            }
        }
        if let appliedSeq {
            stage.put(dbs.meta, key: ProjectionDatabases.appliedSeqKey, value: BigEndianKey.bytes(appliedSeq))
        }
        for version in versions ?? [] {
            for write in version.writes(dbs) { stage.put(write.db, key: write.key, value: write.value) }
        }
        return stage.puts
    }

    /// Stages every change into the log appender, to commit with the closure's events.
    public func stage(into log: inout LogAppender) throws {
        for write in try stagedWrites() { log.stage(write.db, key: write.key, value: write.value) }
    }
}
