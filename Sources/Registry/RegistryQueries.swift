import EventLog
import LMDB
import ShixiangJSON

/// Reading the projections. Each call is one short read snapshot.
extension Registry {
    func load<R: Decodable, T: TransactionReading & ~Copyable>(_ type: R.Type, _ db: Database, _ key: String, _ txn: borrowing T) throws -> R? {
        guard let bytes = try txn.value(db, key: Array(key.utf8)) else { return nil }
        return try JSONValueDecoder().decode(R.self, from: try JSONValue.parse(bytes))
    }

    /// Every key under `group` in an index database, in key order.
    func indexed<T: TransactionReading & ~Copyable>(_ db: Database, group: String, _ txn: borrowing T) throws -> [String] {
        let prefix = Array(group.utf8) + [0]
        return try txn.withCursor(db) { cursor in
            var keys: [String] = []
            var entry = try cursor.seek(atLeast: prefix)
            while let e = entry, e.key.starts(with: prefix) {
                keys.append(String(decoding: e.key[prefix.count...], as: UTF8.self))
                entry = try cursor.next()
            }
            return keys
        }
    }

    /// Records of `db` in key order from `after` (exclusive), up to `limit` that pass `filter`, and
    /// the key of the last one when more follow (the `after` of the next page).
    func scan<R: Decodable>(_ type: R.Type, _ db: Database, after: String?, limit: Int, where filter: (R) -> Bool) throws -> (records: [R], next: String?) {
        try store.read { txn in
            try txn.withCursor(db) { cursor in
                var out: [R] = []
                var lastKey = ""
                var entry = try after.map { try cursor.seek(atLeast: Array($0.utf8) + [0]) } ?? cursor.first()
                while let e = entry {
                    let record = try JSONValueDecoder().decode(R.self, from: try JSONValue.parse(e.value))
                    if filter(record) {
                        // The cursor is the last key returned: the next page starts after it.
                        if out.count == limit { return (out, lastKey) }
                        out.append(record)
                        lastKey = String(decoding: e.key, as: UTF8.self)
                    }
                    entry = try cursor.next()
                }
                return (out, nil)
            }
        }
    }

    public func unit(_ code: String) throws -> UnitRecord? {
        try store.read { txn in try load(UnitRecord.self, dbs.units, code, txn) }
    }

    public func units() throws -> [UnitRecord] {
        try scan(UnitRecord.self, dbs.units, after: nil, limit: .max) { _ in true }.records
    }

    public func item(_ code: String) throws -> CatalogueItemRecord? {
        try store.read { txn in try load(CatalogueItemRecord.self, dbs.items, code, txn) }
    }

    /// Catalogue items in code order, a page at a time (`cursor` is the last code of the previous page).
    public func items(cursor: String?, limit: Int, where filter: (CatalogueItemRecord) -> Bool = { _ in true }) throws -> (records: [CatalogueItemRecord], next: String?) {
        try scan(CatalogueItemRecord.self, dbs.items, after: cursor, limit: limit, where: filter)
    }

    public func entry(_ code: String) throws -> ImplementationEntryRecord? {
        try store.read { txn in try load(ImplementationEntryRecord.self, dbs.entries, code, txn) }
    }

    /// A unit's implementation entries (all statuses), in code order.
    public func entries(unit: String) throws -> [ImplementationEntryRecord] {
        try store.read { txn in
            try indexed(dbs.entriesByUnit, group: unit, txn).compactMap { try load(ImplementationEntryRecord.self, dbs.entries, $0, txn) }
        }
    }

    /// Entries by any unit implementing catalogue item `basicCode`.
    public func entries(basicCode: String) throws -> [ImplementationEntryRecord] {
        try scan(ImplementationEntryRecord.self, dbs.entries, after: nil, limit: .max) { $0.basicCode == basicCode }.records
    }

    public func adjustment(_ id: String) throws -> AdjustmentRecord? {
        try store.read { txn in try load(AdjustmentRecord.self, dbs.adjustments, id, txn) }
    }

    /// Adjustments of a unit and/or in a status, in id order.
    public func adjustments(unit: String?, status: AdjustmentStatus?) throws -> [AdjustmentRecord] {
        try store.read { txn in
            let ids: [String]
            if let unit {
                ids = try indexed(dbs.adjustmentsByUnit, group: unit, txn)
            } else if let status {
                ids = try indexed(dbs.adjustmentsByStatus, group: status.rawValue, txn)
            } else {
                ids = try txn.withCursor(dbs.adjustments) { cursor in
                    var keys: [String] = []
                    var e = try cursor.first()
                    while let entry = e { keys.append(String(decoding: entry.key, as: UTF8.self)); e = try cursor.next() }
                    return keys
                }
            }
            return try ids.compactMap { try load(AdjustmentRecord.self, dbs.adjustments, $0, txn) }
                .filter { status == nil || $0.status == status }
                .sorted { $0.history.first?.seq ?? 0 < $1.history.first?.seq ?? 0 }
        }
    }

    public func filing(_ id: String) throws -> FilingRecord? {
        try store.read { txn in try load(FilingRecord.self, dbs.filings, id, txn) }
    }

    public func filings(unit: String?) throws -> [FilingRecord] {
        try scan(FilingRecord.self, dbs.filings, after: nil, limit: .max) { unit == nil || $0.unit == unit }.records
    }

    /// A unit's working ledger (台账): the unit, its implementation entries with their catalogue
    /// items, and every adjustment it submitted with its status and dates.
    public func ledger(unit code: String) throws -> Ledger? {
        guard let unit = try unit(code) else { return nil }
        let entries = try entries(unit: code)
        var items: [String: CatalogueItemRecord] = [:]
        for entry in entries where items[entry.basicCode] == nil { items[entry.basicCode] = try item(entry.basicCode) }
        return Ledger(unit: unit, entries: entries, items: items, adjustments: try adjustments(unit: code, status: nil))
    }
}

/// A unit's ledger (台账).
public struct Ledger: Sendable {
    public var unit: UnitRecord
    public var entries: [ImplementationEntryRecord]
    /// The catalogue items the entries implement, by 基本编码.
    public var items: [String: CatalogueItemRecord]
    public var adjustments: [AdjustmentRecord]
}
