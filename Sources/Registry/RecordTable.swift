import Dispatch
import EventLog
import Foundation
import LMDB
import ShixiangJSON

/// One projection database seen through a write closure: records read once, changed in memory,
/// and staged as a whole at the end.
struct RecordTable<Record: Codable & Equatable & Sendable & CanonicalRecord> {
    let db: Database
    /// Whether misses read the database (false during a rebuild, when it is being refilled).
    var backed = true
    private var cache: [String: Record?] = [:]
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
        try load(key, txn)
        return cache[key] ?? nil
    }

    /// Makes the cache hold `key`: the stored record (or its absence), read once.
    private mutating func load<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T) throws {
        guard cache.index(forKey: key) == nil else { return }
        var loaded: Record?
        if backed, let bytes = try txn.value(db, key: Array(key.utf8)) {
            loaded = try JSONValueDecoder().decode(Record.self, from: try JSONValue.parse(bytes))
        }
        cache[key] = loaded
        if backed { originals[key] = loaded }
    }

    /// The record under `key`, or a not-found error naming `what`.
    mutating func require<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T, what: String) throws -> Record {
        guard let record = try get(key, txn) else { throw RegistryError.notFound(what: what, key: key) }
        return record
    }

    /// Replaces the record under `key` (it must have been read with `get` first, or be new).
    mutating func put(_ key: String, _ record: Record) {
        if backed && originals[key] == nil { originals[key] = .some(nil) }
        cache[key] = record
        lastPut = key
    }

    /// Changes the record under `key` in place, if there is one (read first if need be). The
    /// record is never copied out: an adjustment's carries its whole history.
    mutating func modify<T: TransactionReading & ~Copyable>(_ key: String, _ txn: borrowing T, _ change: (inout Record) -> Void) throws {
        try load(key, txn)
        guard let index = cache.index(forKey: key) else { return }
        // Checked for presence and changed where it lies: reading `cache.values[index]` to compare
        // it with nil would copy the whole record (and release it again) at every event.
        func edit(_ slot: inout Record?) -> Bool {
            guard case .some = slot else { return false }
            change(&slot!)
            return true
        }
        if edit(&cache.values[index]) { lastPut = key }
    }

    mutating func forgetLastPut() { lastPut = nil }

    /// The record under `key` as changed so far, without reading the database.
    func current(_ key: String) -> Record? { cache[key] ?? nil }

    /// Every record this table holds in memory (all of them after a fold from an empty session).
    var loaded: [Record] { cache.values.compactMap { $0 } }

    /// A changed record: its key, what it was before (backed tables only), and where it lies in
    /// the cache. Records are read where they lie, never copied out: an adjustment carries its
    /// whole history, and a rebuild stages hundreds of thousands of them.
    struct Change {
        let key: String
        let old: Record?
        fileprivate let index: Dictionary<String, Record?>.Index
    }

    /// Every changed record, in LMDB's key order (the bytes of the keys). (The keys are sorted,
    /// not the records.)
    var changes: [Change] {
        var found: [(key: String, index: Dictionary<String, Record?>.Index)] = []
        found.reserveCapacity(cache.count)
        var index = cache.startIndex
        while index != cache.endIndex {
            let key = cache.keys[index]
            if cache.values[index] != nil {
                if !backed {
                    found.append((key, index))
                } else if let old = originals[key] ?? nil, old == cache.values[index]! {
                    // unchanged
                } else {
                    found.append((key, index))
                }
            }
            index = cache.index(after: index)
        }
        found.sort { Self.utf8Precedes($0.key, $1.key) }
        return found.map { Change(key: $0.key, old: backed ? (originals[$0.key] ?? nil) : nil, index: $0.index) }
    }

    /// The record of a change, as it stands.
    func record(_ change: Change) -> Record { cache.values[change.index]! }

    /// Whether `a`'s UTF-8 comes before `b`'s in LMDB's order (bytes, then length).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b  // native strings are contiguous already: no copy
        return a.withUTF8 { pa in b.withUTF8 { pb in PackedEntries.compare(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb)) < 0 } }
    }

    /// Appends the canonical JSON of a change's record (from ``changes``) to `bytes`.
    func appendRecord(_ change: Change, to bytes: inout [UInt8]) throws {
        try cache.values[change.index]!.appendCanonical(to: &bytes)
    }

    /// Stages the changed records (encoded on both cores when there are many, as after a rebuild's
    /// fold) and then calls `each` with every change and its new record, in key order, for the
    /// indexes that follow them.
    func stage(into log: inout EventLogStage, each: (_ old: Record?, _ new: Record) -> Void = { _, _ in }) throws {
        let changes = self.changes
        let values = try encode(changes)
        for (change, value) in zip(changes, values) { log.put(db, key: Array(change.key.utf8), value: value) }
        for change in changes { each(change.old, cache.values[change.index]!) }
    }

    /// The canonical JSON of each change's new record, in order; split across threads when there
    /// are many. Each record is encoded where it lies in the cache.
    func encode(_ changes: [Change]) throws -> [[UInt8]] {
        let parts = changes.count >= 20_000 ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
        guard parts > 1 else { return try changes.map { try self.cache.values[$0.index]!.canonicalBytes() } }
        let out = EncodedParts(count: changes.count)
        defer {
            out.buffer.deinitialize()
            out.buffer.deallocate()
        }
        let records = cache  // the same storage, shared by both threads (read only)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (changes.count * part / parts)..<(changes.count * (part + 1) / parts)
            do {
                for i in range { out.buffer[i] = try records.values[changes[i].index]!.canonicalBytes() }
            } catch {
                out.fail(error)
            }
        }
        if let error = out.error { throw error }
        return Array(out.buffer)
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
