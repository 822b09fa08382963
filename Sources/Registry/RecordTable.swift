import Dispatch
import EventLog
import Foundation
import LMDB
import ShixiangJSON

/// One projection database seen through a write closure: records read once, changed in memory,
/// and staged as a whole at the end.
///
/// The records lie in one array, found by key through an index of their places (``KeyIndex``): they are
/// changed where they lie, and read where they lie when they are encoded (an adjustment's record
/// carries its whole history, and a rebuild holds hundreds of thousands of them).
struct RecordTable<Record: Codable & Equatable & Sendable & CanonicalRecord> {
    let db: Database
    /// Whether misses read the database (false during a rebuild, when it is being refilled).
    var backed = true
    /// Where each record read or put lies in `records`.
    private var places = KeyIndex()
    private var records: [Record] = []
    /// Keys read and found missing (backed tables only), so that they are read once.
    private var missing: Set<String> = []
    /// What each record read or put was before (backed tables only: an unbacked table, a
    /// rebuild's, starts empty, so everything in it is new and there is nothing to keep).
    private var originals: [String: Record?] = [:]
    /// The key last put since ``forgetLastPut()``: the projector's way to see what one event changed.
    private(set) var lastPut: String?

    init(db: Database, backed: Bool = true) {
        self.db = db
        self.backed = backed
    }

    /// The record under `key`, as changed so far.
    mutating func get<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T) throws -> Record? {
        try load(key, txn).map { records[$0] }
    }

    /// Where the record under `key` lies, read from the database first if need be (once); nil if there is none.
    private mutating func load<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T) throws -> Int? {
        if let place = places.find(key) { return place }
        guard backed, !missing.contains(key) else { return nil }
        guard let bytes = try txn.value(db, key: Array(key.utf8)) else {
            missing.insert(key)
            originals[key] = .some(nil)
            return nil
        }
        let loaded = try JSONValueDecoder().decode(Record.self, from: try JSONValue.parse(bytes))
        originals[key] = loaded
        places.insert(key, at: records.count)
        records.append(loaded)
        return records.count - 1
    }

    /// The record under `key`, or a not-found error naming `what`.
    mutating func require<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T, what: String) throws -> Record {
        guard let record = try get(key, txn) else { throw RegistryError.notFound(what: what, key: key) }
        return record
    }

    /// Replaces the record under `key` (it must have been read with `get` first, or be new).
    mutating func put(_ key: String, _ record: consuming Record) {
        if backed && originals[key] == nil { originals[key] = .some(nil) }
        if let place = places.find(key) {
            records[place] = record
        } else {
            places.insert(key, at: records.count)
            records.append(record)
            if backed { missing.remove(key) }
        }
        lastPut = key
    }

    /// Changes the record under `key` in place, if there is one (read first if need be). The
    /// record is never copied out: an adjustment's carries its whole history.
    mutating func modify<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T, _ change: (inout Record) -> Void) throws {
        guard let place = try load(key, txn) else { return }
        change(&records[place])
        lastPut = key
    }

    mutating func forgetLastPut() { lastPut = nil }

    /// The record under `key` as changed so far, without reading the database.
    func current(_ key: String) -> Record? { places.find(key).map { records[$0] } }

    /// Every record this table holds in memory (all of them after a fold from an empty session).
    var loaded: [Record] { records }

    /// A changed record: its key, what it was before (backed tables only), and where it lies.
    /// Records are read where they lie, never copied out.
    struct Change {
        let key: String
        let old: Record?
        fileprivate let place: Int
    }

    /// Every changed record, in LMDB's key order (the bytes of the keys). (The keys are sorted,
    /// not the records.)
    var changes: [Change] {
        guard backed else { return slots.map { Change(key: $0.key, old: nil, place: $0.place) } }
        var found: [Slot] = []
        found.reserveCapacity(places.count)
        for (place, key) in places.keys.enumerated() {
            if let old = originals[key] ?? nil, old == records[place] { continue }  // unchanged
            found.append(Slot(key: key, place: place))
        }
        Slot.sortByKey(&found)
        return found.map { Change(key: $0.key, old: originals[$0.key] ?? nil, place: $0.place) }
    }

    /// A record's key and where it lies in the table.
    struct Slot: Sendable {
        let key: String
        fileprivate let place: Int
        /// The first eight bytes of the key, big-endian, zero-padded: keys whose prefixes differ
        /// are in the order of their prefixes (LMDB's, bytes then length), so most comparisons of
        /// a sort stop here.
        fileprivate let prefix: UInt64

        fileprivate init(key: String, place: Int) {
            self.key = key
            self.place = place
            var p: UInt64 = 0, n = 0
            for b in key.utf8 {
                p = p << 8 | UInt64(b)
                n += 1
                if n == 8 { break }
            }
            prefix = n == 0 ? 0 : p << (8 * UInt64(8 - n))
        }

        /// Whether `a`'s key comes before `b`'s in LMDB's order.
        static func precedes(_ a: Slot, _ b: Slot) -> Bool {
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return RecordTable.utf8Precedes(a.key, b.key)
        }

        static func sortByKey(_ slots: inout [Slot]) {
            slots.sort(by: precedes)
        }
    }

    /// Every record of an unbacked table (a rebuild's, where every record is new), in LMDB's key order.
    var slots: [Slot] {
        var all: [Slot] = []
        all.reserveCapacity(places.count)
        for (place, key) in places.keys.enumerated() { all.append(Slot(key: key, place: place)) }
        Slot.sortByKey(&all)
        return all
    }

    /// The record of a change, as it stands.
    func record(_ change: Change) -> Record { records[change.place] }

    /// `body` applied to the record of `slot`, read where it lies (`body` must not change it).
    func withRecord<T>(_ slot: Slot, _ body: (inout Record) throws -> T) rethrows -> T {
        try inPlace(slot.place, body)
    }

    /// `body` given the record at `place` where it lies, as `inout`: the one way Swift hands a
    /// record on without copying it (a read through an array or a pointer copies it, retaining
    /// every field, and releases the copy again). Read only: `body` must not change the record,
    /// which other threads may be reading at the same time.
    private func inPlace<T>(_ place: Int, _ body: (inout Record) throws -> T) rethrows -> T {
        try records.withUnsafeBufferPointer { buffer in
            try body(&UnsafeMutablePointer(mutating: buffer.baseAddress!)[place])
        }
    }

    /// Appends the canonical JSON of `record` (handed over in place, not copied) to `bytes`.
    private static func appendCanonical(_ record: inout Record, to bytes: inout [UInt8]) throws {
        try record.appendCanonical(to: &bytes)
    }

    /// The canonical JSON of `record` (handed over in place, not copied).
    private static func canonicalBytes(_ record: inout Record) throws -> [UInt8] {
        try record.canonicalBytes()
    }

    /// Whether `a`'s UTF-8 comes before `b`'s in LMDB's order (bytes, then length).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        // Native strings are contiguous: read in place, nothing copied or made unique.
        if let order = a.utf8.withContiguousStorageIfAvailable({ pa in
            b.utf8.withContiguousStorageIfAvailable { pb in PackedEntries.compare(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb)) < 0 }
        }), let order {
            return order
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Appends the canonical JSON of a change's record (from ``changes``) to `bytes`.
    func appendRecord(_ change: Change, to bytes: inout [UInt8]) throws {
        try inPlace(change.place) { try Self.appendCanonical(&$0, to: &bytes) }
    }

    /// Appends the canonical JSON of the record of `slot` (from ``slots``) to `bytes`.
    func appendRecord(_ slot: Slot, to bytes: inout [UInt8]) throws {
        try inPlace(slot.place) { try Self.appendCanonical(&$0, to: &bytes) }
    }

    /// Stages the changed records (encoded on both cores when there are many, as after a rebuild's
    /// fold) and then calls `each` with every change and its new record, in key order, for the
    /// indexes that follow them.
    func stage(into log: inout EventLogStage, each: (_ old: Record?, _ new: Record) -> Void = { _, _ in }) throws {
        let changes = self.changes
        let values = try encode(changes)
        for (change, value) in zip(changes, values) { log.put(db, key: Array(change.key.utf8), value: value) }
        for change in changes { each(change.old, records[change.place]) }
    }

    /// The canonical JSON of each change's new record, in order; split across threads when there
    /// are many. Each record is encoded where it lies.
    func encode(_ changes: [Change]) throws -> [[UInt8]] {
        let parts = changes.count >= 20_000 ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
        guard parts > 1 else { return try changes.map { change in try inPlace(change.place) { try Self.canonicalBytes(&$0) } } }
        let out = EncodedParts(count: changes.count)
        defer {
            out.buffer.deinitialize()
            out.buffer.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (changes.count * part / parts)..<(changes.count * (part + 1) / parts)
            do {
                // Both threads read the same storage, each record in place (read only).
                for i in range { out.buffer[i] = try inPlace(changes[i].place) { try Self.canonicalBytes(&$0) } }
            } catch {
                out.fail(error)
            }
        }
        if let error = out.error { throw error }
        return Array(out.buffer)
    }
}

/// The places of a table's records by key: the `n`th key added is the key of the record at place
/// `n`. An open-addressed table of places, found by a hash of the key's bytes (two words of a
/// short key, one multiply per eight bytes of a long one), where `Dictionary` would hash every key
/// with SipHash, again at each of the many times a rebuild's tables grow. Keys are told apart by
/// their bytes, as LMDB tells them apart: two spellings of one text (a precomposed `é`, or `e` and
/// a combining accent) are two keys, as they are two records in the database.
struct KeyIndex: Sendable {
    /// Every key, by place.
    private(set) var keys: [String] = []
    /// Each key's hash, by place (compared before the keys, and used again when the table grows).
    private var hashes: [UInt64] = []
    /// Place + 1 of the key in each slot; 0 for an empty slot. A power of two long, at most half full.
    private var slots: [Int32] = []

    var count: Int { keys.count }

    /// The place of `key`, if it has one.
    func find(_ key: String) -> Int? {
        guard !slots.isEmpty else { return nil }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = Int(slots[i])
            if entry == 0 { return nil }
            if hashes[entry - 1] == h, keys[entry - 1] == key { return entry - 1 }
            i = (i + 1) & mask
        }
    }

    /// Gives `key` (which has no place yet) the place `place`, which must be ``count``.
    mutating func insert(_ key: String, at place: Int) {
        precondition(place == keys.count && place < Int(Int32.max) - 1, "places are given in order")
        if (keys.count + 1) * 2 > slots.count { grow() }
        let h = Self.hash(key)
        keys.append(key)
        hashes.append(h)
        put(place, hash: h)
    }

    private mutating func put(_ place: Int, hash h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(place + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: max(16, slots.count * 2))
        for place in hashes.indices { put(place, hash: hashes[place]) }
    }

    /// A hash of the key's UTF-8, read in place (a native string's bytes are contiguous).
    static func hash(_ key: String) -> UInt64 {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hash(bytes: UnsafeRawBufferPointer($0)) }) { return h }
        return Array(key.utf8).withUnsafeBytes { hash(bytes: $0) }
    }

    static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard let p = bytes.baseAddress, n > 0 else { return h }
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xA076_1D64_78BD_642F)
                i += 8
            }
            h = mix(h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), 0xE703_7ED1_A0B4_28DB)
        } else {
            var w: UInt64 = 0
            for i in 0..<n { w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(i)) }
            h = mix(h ^ w, 0xE703_7ED1_A0B4_28DB)
        }
        return mix(h, 0x8EBC_6AF0_9C88_C6E3)
    }
}

/// The results of one parallel encoding.
private final class EncodedParts: @unchecked Sendable {
    // @unchecked Sendable: `buffer` is allocated up front and each thread writes only its own
    // disjoint range of it; `error` is guarded by `lock`.
    let buffer: UnsafeMutableBufferPointer<[UInt8]>
    private(set) var error: (any Error)?
    private let lock = NSLock()

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: [])
    }

    func fail(_ e: any Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }
}

/// Where projection writes go: the log appender's stage (live) or a list for a rebuild.
struct EventLogStage {
    var puts: [(db: Database, key: [UInt8], value: [UInt8]?)] = []

    mutating func put(_ db: Database, key: [UInt8], value: [UInt8]?) {
        puts.append((db, key, value))
    }
}
