import EventLog
import LMDB
import ShixiangCalendar
import ShixiangJSON

/// How many records of each kind the registry held at a moment.
public struct RegistryCounts: Sendable, Equatable {
    public var units = 0, items = 0, entries = 0, adjustments = 0, filings = 0, notices = 0
}

/// One page of the catalogue as it stood, with the counts of every kind of record then.
public struct CatalogueReplay: Sendable {
    /// The last event recorded at or before the moment (0: before the first).
    public var seq: UInt64
    public var counts: RegistryCounts
    public var items: [CatalogueItemRecord]
    /// The last code of this page when more follow.
    public var next: String?
}

/// Reads as of a moment of transaction time: what the registry said right after the last event
/// recorded at or before the moment. Each call is one read snapshot, in which the moment is
/// resolved to a seq (a binary search of the log) and each record is folded from its own stream
/// (see ``AsOfReader``).
extension Registry {
    /// Runs `body` with a reader at the last event recorded at or before `moment`.
    func asOf<R>(_ moment: Timestamp, _ body: (AsOfReader, borrowing ReadTransaction) throws -> R) throws -> R {
        try store.read { txn in
            let seq = try store.queries.lastSeq(txn, recordedAtOrBefore: moment)
            return try body(AsOfReader(dbs: dbs, log: store.queries, seq: seq, store: store), txn)
        }
    }

    public func unit(_ code: String, asOf moment: Timestamp) throws -> UnitRecord? {
        try asOf(moment) { r, txn in try r.record(UnitRecord.self, StreamName.unit(code), txn) }
    }

    public func item(_ code: String, asOf moment: Timestamp) throws -> CatalogueItemRecord? {
        try asOf(moment) { r, txn in try r.record(CatalogueItemRecord.self, StreamName.item(code), txn) }
    }

    public func entry(_ code: String, asOf moment: Timestamp) throws -> ImplementationEntryRecord? {
        try asOf(moment) { r, txn in try r.record(ImplementationEntryRecord.self, StreamName.entry(code), txn) }
    }

    public func adjustment(_ id: String, asOf moment: Timestamp) throws -> AdjustmentRecord? {
        try asOf(moment) { r, txn in try r.record(AdjustmentRecord.self, StreamName.adjustment(id), txn) }
    }

    public func filing(_ id: String, asOf moment: Timestamp) throws -> FilingRecord? {
        try asOf(moment) { r, txn in try r.record(FilingRecord.self, StreamName.filing(id), txn) }
    }

    /// Catalogue items as they stood, in code order, a page at a time (`cursor`: the last code of the
    /// previous page), with the seq they stand at.
    public func items(asOf moment: Timestamp, cursor: String?, limit: Int,
                      where filter: (CatalogueItemRecord) -> Bool = { _ in true }) throws -> (records: [CatalogueItemRecord], next: String?, seq: UInt64) {
        try asOf(moment) { r, txn in
            let page = try items(r, txn, cursor: cursor, limit: limit, where: filter)
            return (page.records, page.next, r.seq)
        }
    }

    func items<T: TransactionReading & ~Copyable>(_ r: AsOfReader, _ txn: borrowing T, cursor: String?, limit: Int,
                                                  where filter: (CatalogueItemRecord) -> Bool) throws -> (records: [CatalogueItemRecord], next: String?) {
        var out: [CatalogueItemRecord] = []
        var next: String?
        try r.each(CatalogueItemRecord.self, "item", after: cursor, txn) { _, item in
            guard filter(item) else { return true }
            if out.count == limit { next = out.last?.code; return false }
            out.append(item)
            return true
        }
        return (out, next)
    }

    /// The registry as it stood at `moment`, for `audit.replay`: the counts of every kind of record
    /// and a page of the catalogue (`cursor`: the last code of the previous page), read in one
    /// snapshot at one seq. Paging through it gives the whole catalogue as it stood.
    public func replay(asOf moment: Timestamp, cursor: String?, limit: Int) throws -> CatalogueReplay {
        try asOf(moment) { r, txn in
            let page = try items(r, txn, cursor: cursor, limit: limit) { _ in true }
            return CatalogueReplay(seq: r.seq, counts: try counts(r, txn), items: page.records, next: page.next)
        }
    }

    /// ``replay(asOf:cursor:limit:)`` with each item as JSON (the record's stored form): for
    /// answering a client, which needs JSON anyway.
    public func replayStored(asOf moment: Timestamp, cursor: String?, limit: Int) throws -> (seq: UInt64, counts: RegistryCounts, items: [JSONValue], next: String?) {
        try asOf(moment) { r, txn in
            var out: [JSONValue] = []
            var last: String?
            var next: String?
            let encoder = JSONValueEncoder()
            try r.each(CatalogueItemRecord.self, "item", after: cursor, txn) { code, item in
                if out.count == limit { next = last; return false }
                out.append(try encoder.encode(item))
                last = code
                return true
            }
            return (r.seq, try counts(r, txn), out, next)
        }
    }

    func counts<T: TransactionReading & ~Copyable>(_ r: AsOfReader, _ txn: borrowing T) throws -> RegistryCounts {
        RegistryCounts(units: try r.count("unit", txn), items: try r.count("item", txn), entries: try r.count("entry", txn),
                       adjustments: try r.count("adjustment", txn), filings: try r.count("filing", txn), notices: try r.count("notice", txn))
    }

    /// A unit's implementation entries as they stood (all statuses), in code order.
    public func entries(unit: String, asOf moment: Timestamp) throws -> [ImplementationEntryRecord] {
        try asOf(moment) { r, txn in try entries(unit: unit, r, txn) }
    }

    func entries<T: TransactionReading & ~Copyable>(unit: String, _ r: AsOfReader, _ txn: borrowing T) throws -> [ImplementationEntryRecord] {
        // An entry never changes unit and is never deleted: the unit's entries then are among its entries now.
        try indexed(dbs.entriesByUnit, group: unit, txn).compactMap { code in
            try r.record(ImplementationEntryRecord.self, StreamName.entry(code), txn)
        }.filter { $0.unit == unit }
    }

    /// Entries by any unit implementing catalogue item `basicCode`, as they stood.
    public func entries(basicCode: String, asOf moment: Timestamp) throws -> [ImplementationEntryRecord] {
        try asOf(moment) { r, txn in
            var out: [ImplementationEntryRecord] = []
            try r.each(ImplementationEntryRecord.self, "entry", txn) { _, entry in
                if entry.basicCode == basicCode { out.append(entry) }
                return true
            }
            return out
        }
    }

    /// Adjustments of a unit and/or in a status as they stood, in the order they were submitted.
    public func adjustments(unit: String?, status: AdjustmentStatus?, asOf moment: Timestamp) throws -> [AdjustmentRecord] {
        try asOf(moment) { r, txn in try adjustments(unit: unit, status: status, r, txn) }
    }

    func adjustments<T: TransactionReading & ~Copyable>(unit: String?, status: AdjustmentStatus?, _ r: AsOfReader, _ txn: borrowing T) throws -> [AdjustmentRecord] {
        let ids = try unit.map { try indexed(dbs.adjustmentsByUnit, group: $0, txn) } ?? r.createdKeys("adjustment", txn)
        return try ids.compactMap { try r.record(AdjustmentRecord.self, StreamName.adjustment($0), txn) }
            .filter { (unit == nil || $0.unit == unit) && (status == nil || $0.status == status) }
            .sorted { $0.history.first?.seq ?? 0 < $1.history.first?.seq ?? 0 }
    }

    /// Filings as they stood, optionally of one unit, in id order.
    public func filings(unit: String?, asOf moment: Timestamp) throws -> [FilingRecord] {
        try asOf(moment) { r, txn in try r.all(FilingRecord.self, "filing", txn).filter { unit == nil || $0.unit == unit } }
    }

    /// Rectification notices as they stood, optionally of one unit.
    public func notices(unit: String?, asOf moment: Timestamp) throws -> [NoticeRecord] {
        try asOf(moment) { r, txn in try r.all(NoticeRecord.self, "notice", txn).filter { unit == nil || $0.unit == unit } }
    }

    /// A unit's ledger as it stood.
    public func ledger(unit code: String, asOf moment: Timestamp) throws -> Ledger? {
        try asOf(moment) { r, txn in
            guard let unit = try r.record(UnitRecord.self, StreamName.unit(code), txn) else { return nil }
            let entries = try entries(unit: code, r, txn)
            var items: [String: CatalogueItemRecord] = [:]
            for entry in entries where items[entry.basicCode] == nil {
                items[entry.basicCode] = try r.record(CatalogueItemRecord.self, StreamName.item(entry.basicCode), txn)
            }
            return Ledger(unit: unit, entries: entries, items: items, adjustments: try adjustments(unit: code, status: nil, r, txn))
        }
    }

    /// The working-day calendar as recorded at `moment`: the shipped data plus the notices
    /// published by then, so a deadline computed as of a moment is the one computed then.
    public func calendar(asOf moment: Timestamp) throws -> WorkingDayCalendar {
        let upTo = try seq(asOf: moment)
        var calendar = try WorkingDayCalendar.builtIn()
        let events = try store.events(stream: StreamName.calendar).filter { $0.seq <= upTo && $0.type == EventType.calendarPublished }
        var byYear: [Int: YearNotice] = [:]
        for e in events {
            let notice = try e.data.decode(CalendarPublished.self).notice
            byYear[notice.year] = notice
        }
        for year in byYear.keys.sorted() { calendar = try calendar.publishing(byYear[year]!) }
        return calendar
    }

    /// The whole registry as it stood at `moment`, each record folded from its own stream.
    public func snapshot(asOf moment: Timestamp) throws -> RegistrySnapshot {
        try asOf(moment) { r, txn in
            RegistrySnapshot(asOf: moment, seq: r.seq,
                             units: try r.all(UnitRecord.self, "unit", txn),
                             items: try r.all(CatalogueItemRecord.self, "item", txn),
                             entries: try r.all(ImplementationEntryRecord.self, "entry", txn),
                             adjustments: try adjustments(unit: nil, status: nil, r, txn),
                             filings: try r.all(FilingRecord.self, "filing", txn),
                             notices: try r.all(NoticeRecord.self, "notice", txn))
        }
    }

    /// The whole registry as it stood at `moment`, by folding the whole log up to it: slow (linear
    /// in the log), kept as the reference the reads by stream are checked against.
    func foldedSnapshot(asOf moment: Timestamp) throws -> RegistrySnapshot {
        let seq = try seq(asOf: moment)
        let s = try fold(upTo: seq, recordCreations: false)
        return RegistrySnapshot(asOf: moment, seq: seq,
                                units: s.units.loaded.sorted { $0.code < $1.code },
                                items: s.items.loaded.sorted { $0.code < $1.code },
                                entries: s.entries.loaded.sorted { $0.code < $1.code },
                                adjustments: s.adjustments.loaded.sorted { $0.history.first?.seq ?? 0 < $1.history.first?.seq ?? 0 },
                                filings: s.filings.loaded.sorted { $0.id < $1.id },
                                notices: s.notices.loaded.sorted { $0.id < $1.id })
    }
}
