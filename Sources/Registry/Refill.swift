import Dispatch
import EventLog
import Foundation
import LMDB
import ShixiangCalendar

/// A rebuild's writes as they refill emptied databases, packed: for each database, runs of
/// entries whose keys strictly increase in LMDB's order, run after run, so that every write is an
/// append (``LogAppender/stageAppend(_:pending:)``).
///
/// Built from a fold into unbacked sessions (where every record is new) by jobs spread over every
/// core: the records of each table in chunks, each index, the creation index kind by kind. The
/// records are encoded where they lie in the sessions, straight into the runs. ``start(_:appliedSeq:meta:chunk:)``
/// returns as soon as the jobs are planned, and they run in the background, in order: a commit
/// that stages the runs writes each as soon as it is ready, while the later ones are packed.
struct Refill: Sendable {
    private(set) var groups: [(db: Database, runs: [PendingRun])] = []
    /// Fulfilled when the last job has finished.
    private let finished: PendingRun?
    /// When the last job finished (set then).
    private var finishedTime = FinishedTime()

    /// Nothing to write.
    init() {
        finished = nil
    }

    /// The refill of `session`'s records, indexes and creations, and of `meta` (in `p-meta`),
    /// packed before it returns; tables are split in jobs of `chunk` records.
    init(_ session: ProjectionSession, meta: [(key: [UInt8], value: [UInt8])], chunk: Int = 8_192) throws {
        try self.init([session], appliedSeq: session.appliedSeq, meta: meta, chunk: chunk)
    }

    /// ``start(_:appliedSeq:meta:chunk:)``, packed before it returns.
    init(_ sessions: [ProjectionSession], appliedSeq: UInt64?, meta: [(key: [UInt8], value: [UInt8])], chunk: Int = 8_192) throws {
        self = Self.start(sessions, appliedSeq: appliedSeq, meta: meta, chunk: chunk)
        _ = try packed()
    }

    private init(groups: [(db: Database, runs: [PendingRun])], finished: PendingRun) {
        self.groups = groups
        self.finished = finished
    }

    /// Plans the refill of the records of `sessions` (the parts of a partitioned fold: no record
    /// is in two of them), their indexes and creations (counted again across the parts, in log
    /// order), `appliedSeq` and `meta` (in `p-meta`), tables split in jobs of `chunk` records, and
    /// starts the jobs on every core, in the background.
    static func start(_ sessions: [ProjectionSession], appliedSeq: UInt64?, meta: [(key: [UInt8], value: [UInt8])], chunk: Int = 8_192) -> Refill {
        precondition(!sessions.isEmpty && sessions.allSatisfy { !$0.backed }, "a refill packs the fold of unbacked sessions, where every record is new")
        let parts = Parts(sessions)
        // Every table's records in key order (each sort a job of its own), and the creations.
        let sorted = SortedChanges()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            switch i {
            case 0: sorted.units = Self.sorted(parts.units)
            case 1: sorted.items = Self.sorted(parts.items)
            case 2: sorted.entries = Self.sorted(parts.entries)
            case 3: sorted.adjustments = Self.sorted(parts.adjustments)
            case 4: sorted.filings = Self.sorted(parts.filings)
            case 5: sorted.calendar = Self.sorted(parts.calendar)
            case 6: sorted.notices = Self.sorted(parts.notices)
            default: sorted.creations = ProjectionSession.creationsInLogOrder(sessions)
            }
        }
        var jobs: [Job] = []
        func table(_ make: (Range<Int>) -> Job, count: Int) {
            for start in stride(from: 0, to: count, by: max(chunk, 1)) { jobs.append(make(start..<min(count, start + max(chunk, 1)))) }
        }
        // The big ones first, so that the small ones fill the gaps at the end. The jobs of one
        // database follow each other: the commit writes the runs in this order.
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

        let dbs = sessions[0].dbs
        let pending = jobs.map { _ in PendingRun() }
        var groups: [(db: Database, runs: [PendingRun])] = []
        for (job, run) in zip(jobs, pending) {
            if groups.last?.db == job.db(dbs) { groups[groups.count - 1].runs.append(run) } else { groups.append((job.db(dbs), [run])) }
        }
        let finished = PendingRun()
        let refill = Refill(groups: groups, finished: finished)
        let allJobs = jobs
        // Dispatch hands the jobs out in order, so the first runs are ready first.
        let thread = Thread {
            DispatchQueue.concurrentPerform(iterations: allJobs.count) { j in
                pending[j].fulfil(Result { try Self.run(allJobs[j], parts, sorted, appliedSeq: appliedSeq, meta: meta) })
            }
            refill.finishedTime.set(Date())
            finished.fulfil(.success(PackedEntries()))
        }
        thread.name = "shixiang-refill"
        thread.start()
        return refill
    }

    /// When the last job finished, once it has (nil before).
    var finishedAt: Date? { finishedTime.get() }

    /// Waits until every job has finished.
    func waitForAllJobs() {
        _ = try? finished?.wait()
    }

    /// Every group's runs, once packed; throws what kept one from being packed.
    func packed() throws -> [(db: Database, runs: [PackedEntries])] {
        try groups.map { group in (group.db, try group.runs.map { try $0.wait() }) }
    }

    /// Entries in all groups, once packed.
    func count() throws -> Int {
        try packed().reduce(0) { $0 + $1.runs.reduce(0) { $0 + $1.count } }
    }

    /// What kept a run from being packed, once every job has finished; nil if nothing did.
    func failure() -> (any Error)? {
        waitForAllJobs()
        do { _ = try packed() } catch { return error }
        return nil
    }

    /// A record of one of the parts' tables.
    struct Located<Record: Codable & Equatable & Sendable & CanonicalRecord>: Sendable {
        let part: Int
        let slot: RecordTable<Record>.Slot
    }

    /// Every record of `tables` in key order: each part's are in order already, and are merged.
    private static func sorted<R>(_ tables: [RecordTable<R>]) -> [Located<R>] {
        var runs = tables.enumerated().map { part, table in table.slots.map { Located(part: part, slot: $0) } }
        // Merged two by two (a part per core: a few runs).
        while runs.count > 1 {
            var next: [[Located<R>]] = []
            for i in stride(from: 0, to: runs.count, by: 2) {
                next.append(i + 1 < runs.count ? merge(runs[i], runs[i + 1]) : runs[i])
            }
            runs = next
        }
        return runs.first ?? []
    }

    /// Two runs in key order, merged (no key is in both: the parts hold different records).
    private static func merge<R>(_ a: [Located<R>], _ b: [Located<R>]) -> [Located<R>] {
        var out: [Located<R>] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if RecordTable<R>.Slot.precedes(b[j].slot, a[i].slot) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out += a[i...]
        out += b[j...]
        return out
    }

    /// The given records packed as a refill run: each key with its record's canonical JSON,
    /// encoded where the record lies.
    private static func pack<R>(_ tables: [RecordTable<R>], _ located: ArraySlice<Located<R>>) throws -> PackedEntries {
        var run = PackedEntries(reservingBytes: located.count * 512, entries: located.count)
        for l in located {
            try run.append(key: { $0.append(contentsOf: l.slot.key.utf8) }, value: { try tables[l.part].appendRecord(l.slot, to: &$0) })
        }
        return run
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

    private static func run(_ job: Job, _ p: Parts, _ sorted: SortedChanges, appliedSeq: UInt64?,
                            meta: [(key: [UInt8], value: [UInt8])]) throws -> PackedEntries {
        /// An index entry `group \0 member` → nothing for every record, in key order. The records
        /// come in key order and each one's member is its key, so the members of a group come in
        /// order too: gathered group by group and written out in the order of the groups (a few
        /// units or statuses), the entries need no sort (``PackedEntries/sortedByKey()`` then
        /// only checks that they increase).
        func index<R>(_ tables: [RecordTable<R>], _ located: [Located<R>], _ key: (borrowing R) -> (String, String)) -> PackedEntries {
            var groups: [String: [String]] = [:]
            for l in located {
                let (group, member) = tables[l.part].withRecord(l.slot) { key($0) }
                groups[group, default: []].append(member)
            }
            var run = PackedEntries(reservingBytes: located.count * 48, entries: located.count)
            for group in groups.keys.sorted(by: RecordTable<R>.utf8Precedes) {
                for member in groups[group]! {
                    run.append(key: { $0.append(contentsOf: group.utf8); $0.append(0); $0.append(contentsOf: member.utf8) }, value: { _ in })
                }
            }
            return run.sortedByKey()
        }
        switch job {
        case .units(let r): return try pack(p.units, sorted.units[r])
        case .items(let r): return try pack(p.items, sorted.items[r])
        case .entries(let r): return try pack(p.entries, sorted.entries[r])
        case .adjustments(let r): return try pack(p.adjustments, sorted.adjustments[r])
        case .filings(let r): return try pack(p.filings, sorted.filings[r])
        case .calendar(let r): return try pack(p.calendar, sorted.calendar[r])
        case .notices(let r): return try pack(p.notices, sorted.notices[r])
        case .entriesByUnit: return index(p.entries, sorted.entries) { ($0.unit, $0.code) }
        case .adjustmentsByUnit: return index(p.adjustments, sorted.adjustments) { ($0.unit, $0.id) }
        case .adjustmentsByStatus: return index(p.adjustments, sorted.adjustments) { ($0.status.rawValue, $0.id) }
        case .created(let kind):
            // Creations come in seq order, so each kind's keys (`kind \0 seq`) already increase.
            var run = PackedEntries()
            for creation in sorted.creations where creation.kind == kind {
                run.append(key: CreationKeys.created(creation.kind, seq: creation.seq),
                           value: CreationKeys.createdValue(ordinal: creation.ordinal, key: creation.key))
            }
            return run.sortedByKey()
        case .meta:
            var run = PackedEntries()
            if let appliedSeq { run.append(key: ProjectionDatabases.appliedSeqKey, value: BigEndianKey.bytes(appliedSeq)) }
            for entry in meta { run.append(key: entry.key, value: entry.value) }
            return run.sortedByKey()
        }
    }
}

/// The tables of every part of a fold.
private struct Parts: Sendable {
    let units: [RecordTable<UnitRecord>]
    let items: [RecordTable<CatalogueItemRecord>]
    let entries: [RecordTable<ImplementationEntryRecord>]
    let adjustments: [RecordTable<AdjustmentRecord>]
    let filings: [RecordTable<FilingRecord>]
    let calendar: [RecordTable<YearNotice>]
    let notices: [RecordTable<NoticeRecord>]

    init(_ sessions: [ProjectionSession]) {
        units = sessions.map(\.units)
        items = sessions.map(\.items)
        entries = sessions.map(\.entries)
        adjustments = sessions.map(\.adjustments)
        filings = sessions.map(\.filings)
        calendar = sessions.map(\.calendar)
        notices = sessions.map(\.notices)
    }
}

/// Each table's records in key order, sorted by a job each.
private final class SortedChanges: @unchecked Sendable {
    // @unchecked Sendable: each field is written by one job of one `concurrentPerform`, then only read.
    var units: [Refill.Located<UnitRecord>] = []
    var items: [Refill.Located<CatalogueItemRecord>] = []
    var entries: [Refill.Located<ImplementationEntryRecord>] = []
    var adjustments: [Refill.Located<AdjustmentRecord>] = []
    var filings: [Refill.Located<FilingRecord>] = []
    var calendar: [Refill.Located<YearNotice>] = []
    var notices: [Refill.Located<NoticeRecord>] = []
    /// Every record creation, in log order, counted across the parts.
    var creations: [StagedCreation] = []
}

/// When a refill's last job finished.
private final class FinishedTime: @unchecked Sendable {
    // @unchecked Sendable: `time` is guarded by `lock`.
    private let lock = NSLock()
    private var time: Date?
    func set(_ t: Date) { lock.withLock { time = t } }
    func get() -> Date? { lock.withLock { time } }
}
