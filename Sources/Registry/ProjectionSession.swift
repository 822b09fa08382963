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

    /// A session over the databases; `backed == false` for a rebuild that refills them from scratch.
    public init(dbs: ProjectionDatabases, backed: Bool = true) {
        self.dbs = dbs
        units = RecordTable(db: dbs.units, backed: backed)
        items = RecordTable(db: dbs.items, backed: backed)
        entries = RecordTable(db: dbs.entries, backed: backed)
        adjustments = RecordTable(db: dbs.adjustments, backed: backed)
        filings = RecordTable(db: dbs.filings, backed: backed)
        calendar = RecordTable(db: dbs.calendar, backed: backed)
        notices = RecordTable(db: dbs.notices, backed: backed)
    }

    /// The writes that bring the databases up to this session: records, then index entries.
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
        return stage.puts
    }

    /// Stages every change into the log appender, to commit with the closure's events.
    public func stage(into log: inout LogAppender) throws {
        for write in try stagedWrites() { log.stage(write.db, key: write.key, value: write.value) }
    }
}
