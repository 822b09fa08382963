import Dispatch
import EventLog
import Foundation
import LMDB
import ShixiangCalendar

/// A rebuild's writes as they refill emptied databases, packed: for each database, runs of
/// entries whose keys strictly increase in LMDB's order, run after run, so that every write is an
/// append (``LogAppender/stageAppend(_:run:)``).
///
/// Built from a fold into an unbacked session (where every record is new) by jobs spread over
/// every core: the records of each table in chunks, each index, the creation index kind by kind.
/// The records are encoded where they lie in the session, straight into the runs.
struct Refill: Sendable {
    private(set) var groups: [(db: Database, runs: [PackedEntries])] = []
    /// Entries in all groups.
    private(set) var count = 0

    /// Nothing to write.
    init() {}

    /// The refill of `session`'s records, indexes and creations, and of `meta` (in `p-meta`);
    /// tables are split in jobs of `chunk` records.
    init(_ s: ProjectionSession, meta: [(key: [UInt8], value: [UInt8])], chunk: Int = 8_192) throws {
        precondition(!s.backed, "a refill packs the fold of an unbacked session, where every record is new")
        // Every table's records in key order (each sort a job of its own).
        let sorted = SortedChanges()
        DispatchQueue.concurrentPerform(iterations: 7) { i in
            switch i {
            case 0: sorted.units = s.units.changes
            case 1: sorted.items = s.items.changes
            case 2: sorted.entries = s.entries.changes
            case 3: sorted.adjustments = s.adjustments.changes
            case 4: sorted.filings = s.filings.changes
            case 5: sorted.calendar = s.calendar.changes
            default: sorted.notices = s.notices.changes
            }
        }
        var jobs: [Job] = []
        func table(_ make: (Range<Int>) -> Job, count: Int) {
            for start in stride(from: 0, to: count, by: max(chunk, 1)) { jobs.append(make(start..<min(count, start + max(chunk, 1)))) }
        }
        // The big ones first, so that the small ones fill the gaps at the end.
        table(Job.adjustments, count: sorted.adjustments.count)
        table(Job.filings, count: sorted.filings.count)
        jobs += [.adjustmentsByUnit, .adjustmentsByStatus]
        let kinds = CreationKeys.kinds.sorted { RecordTable<UnitRecord>.utf8Precedes($0, $1) }
        jobs += kinds.map(Job.created)
        table(Job.entries, count: sorted.entries.count)
        table(Job.items, count: sorted.items.count)
        table(Job.notices, count: sorted.notices.count)
        table(Job.units, count: sorted.units.count)
        table(Job.calendar, count: sorted.calendar.count)
        jobs += [.entriesByUnit, .meta]

        let dbs = s.dbs
        let results = PackedResults(count: jobs.count)
        let allJobs = jobs
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            do {
                results.runs[j] = try Self.run(allJobs[j], s, sorted, dbs: dbs, meta: meta)
            } catch {
                results.fail(error)
            }
        }
        if let error = results.error { throw error }
        for (job, run) in zip(jobs, results.runs) where !run.isEmpty {
            let db = job.db(dbs)
            if let g = groups.firstIndex(where: { $0.db == db }) {
                groups[g].runs.append(run)
            } else {
                groups.append((db, [run]))
            }
            count += run.count
        }
    }

    /// One piece of the refill.
    private enum Job {
        case units(Range<Int>), items(Range<Int>), entries(Range<Int>), adjustments(Range<Int>), filings(Range<Int>)
        case calendar(Range<Int>), notices(Range<Int>)
        case entriesByUnit, adjustmentsByUnit, adjustmentsByStatus
        /// The creation index entries of one kind of record.
        case created(String)
        case meta

        func db(_ dbs: ProjectionDatabases) -> Database {
            switch self {
            case .units: dbs.units
            case .items: dbs.items
            case .entries: dbs.entries
            case .adjustments: dbs.adjustments
            case .filings: dbs.filings
            case .calendar: dbs.calendar
            case .notices: dbs.notices
            case .entriesByUnit: dbs.entriesByUnit
            case .adjustmentsByUnit: dbs.adjustmentsByUnit
            case .adjustmentsByStatus: dbs.adjustmentsByStatus
            case .created: dbs.created
            case .meta: dbs.meta
            }
        }
    }

    private static func run(_ job: Job, _ s: ProjectionSession, _ sorted: SortedChanges, dbs: ProjectionDatabases,
                            meta: [(key: [UInt8], value: [UInt8])]) throws -> PackedEntries {
        /// An index entry `group \0 key` → nothing for every record, in key order.
        func index<R>(_ table: RecordTable<R>, _ changes: [RecordTable<R>.Change], _ key: (R) -> (String, String)) -> PackedEntries {
            var run = PackedEntries(reservingBytes: changes.count * 48, entries: changes.count)
            for change in changes {
                let (group, member) = key(table.record(change))
                run.append(key: { $0.append(contentsOf: group.utf8); $0.append(0); $0.append(contentsOf: member.utf8) }, value: { _ in })
            }
            return run.sortedByKey()
        }
        switch job {
        case .units(let r): return try s.units.pack(sorted.units[r])
        case .items(let r): return try s.items.pack(sorted.items[r])
        case .entries(let r): return try s.entries.pack(sorted.entries[r])
        case .adjustments(let r): return try s.adjustments.pack(sorted.adjustments[r])
        case .filings(let r): return try s.filings.pack(sorted.filings[r])
        case .calendar(let r): return try s.calendar.pack(sorted.calendar[r])
        case .notices(let r): return try s.notices.pack(sorted.notices[r])
        case .entriesByUnit: return index(s.entries, sorted.entries) { ($0.unit, $0.code) }
        case .adjustmentsByUnit: return index(s.adjustments, sorted.adjustments) { ($0.unit, $0.id) }
        case .adjustmentsByStatus: return index(s.adjustments, sorted.adjustments) { ($0.status.rawValue, $0.id) }
        case .created(let kind):
            // Creations come in seq order, so each kind's keys (`kind \0 seq`) already increase.
            var run = PackedEntries()
            for creation in s.creations ?? [] where creation.kind == kind {
                run.append(key: CreationKeys.created(creation.kind, seq: creation.seq),
                           value: CreationKeys.createdValue(ordinal: creation.ordinal, key: creation.key))
            }
            return run.sortedByKey()
        case .meta:
            var run = PackedEntries()
            if let applied = s.appliedSeq { run.append(key: ProjectionDatabases.appliedSeqKey, value: BigEndianKey.bytes(applied)) }
            for entry in meta { run.append(key: entry.key, value: entry.value) }
            return run.sortedByKey()
        }
    }
}

/// Each table's records in key order, sorted by a job each.
private final class SortedChanges: @unchecked Sendable {
    // @unchecked Sendable: each field is written by one job of one `concurrentPerform`, then only read.
    var units: [RecordTable<UnitRecord>.Change] = []
    var items: [RecordTable<CatalogueItemRecord>.Change] = []
    var entries: [RecordTable<ImplementationEntryRecord>.Change] = []
    var adjustments: [RecordTable<AdjustmentRecord>.Change] = []
    var filings: [RecordTable<FilingRecord>.Change] = []
    var calendar: [RecordTable<YearNotice>.Change] = []
    var notices: [RecordTable<NoticeRecord>.Change] = []
}

/// The runs of one refill's jobs.
private final class PackedResults: @unchecked Sendable {
    // @unchecked Sendable: each job writes only its own slot of `runs`, allocated up front;
    // `error` is guarded by `lock`.
    let runs: UnsafeMutableBufferPointer<PackedEntries>
    private(set) var error: (any Error)?
    private let lock = NSLock()

    init(count: Int) {
        runs = .allocate(capacity: count)
        runs.initialize(repeating: PackedEntries())
    }

    deinit {
        runs.deinitialize()
        runs.deallocate()
    }

    func fail(_ e: any Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }
}
