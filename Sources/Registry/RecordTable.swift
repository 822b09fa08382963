import Dispatch
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
        guard let index = cache.index(forKey: key), cache.values[index] != nil else { return }
        change(&cache.values[index]!)
        lastPut = key
    }

    mutating func forgetLastPut() { lastPut = nil }

    /// The record under `key` as changed so far, without reading the database.
    func current(_ key: String) -> Record? { cache[key] ?? nil }

    /// Every record this table holds in memory (all of them after a fold from an empty session).
    var loaded: [Record] { cache.values.compactMap { $0 } }

    /// Every changed record with what it was before.
    /// (The keys are sorted, not the records: after a rebuild's fold there are hundreds of
    /// thousands, and moving whole records around in a sort costs more than encoding them.)
    var changes: [(key: String, old: Record?, new: Record)] {
        var keys: [String] = []
        keys.reserveCapacity(cache.count)
        for (key, value) in cache {
            guard let new = value else { continue }
            if backed, let old = originals[key] ?? nil, old == new { continue }
            keys.append(key)
        }
        keys.sort()
        return keys.map { key in (key, backed ? (originals[key] ?? nil) : nil, cache[key]!!) }
    }

    /// Stages the changed records (encoded on both cores when there are many, as after a rebuild's
    /// fold) and returns them, for the indexes that follow them.
    @discardableResult
    func stage(into log: inout EventLogStage) throws -> [(key: String, old: Record?, new: Record)] {
        let changes = self.changes
        let values = try Self.encode(changes)
        for (change, value) in zip(changes, values) { log.put(db, key: Array(change.key.utf8), value: value) }
        return changes
    }

    /// The canonical JSON of each change's new record, in order; split across threads when there
    /// are many. Each record is encoded where it lies in `changes` (no copy of it is made).
    static func encode(_ changes: [(key: String, old: Record?, new: Record)]) throws -> [[UInt8]] {
        let parts = changes.count >= 20_000 ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
        guard parts > 1 else { return try changes.map { try $0.new.canonicalBytes() } }
        let out = EncodedParts(count: changes.count)
        defer {
            out.buffer.deinitialize()
            out.buffer.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            changes.withUnsafeBufferPointer { records in
                let range = (records.count * part / parts)..<(records.count * (part + 1) / parts)
                do {
                    for i in range { out.buffer[i] = try records[i].new.canonicalBytes() }
                } catch {
                    out.fail(error)
                }
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
