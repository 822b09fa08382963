import Dispatch
import EventLog
import Foundation
import LMDB
import ShixiangJSON

/// Reads records as they stood right after event `seq`, inside one read transaction.
///
/// An event only ever changes the record of its own stream, so a record as of `seq` is the fold
/// of its stream's events up to `seq`, read through the log's stream index and decoded
/// from their stored bytes: the cost grows with the record's own history, not with the log. Counts
/// and the records that existed come from the creation index (`p-created`): a count is one seek.
struct AsOfReader {
    let dbs: ProjectionDatabases
    let log: LogQueries
    let seq: UInt64
    /// For folding many records at once on every core, each thread in a snapshot of its own (any
    /// snapshot at or past `seq` gives the same records as of `seq`: the log only grows).
    let store: EventStore

    /// Folds `stream`'s events up to `seq` into a fresh session (with `inForceOn`, only those in
    /// force by then: see ``Registry/inForce(_:on:)``).
    static func foldStream<T: TransactionReading & ~Copyable>(_ stream: String, upTo seq: UInt64, inForceOn validTime: Timestamp? = nil,
                                                              log: LogQueries, dbs: ProjectionDatabases, _ txn: borrowing T) throws -> ProjectionSession {
        var session = ProjectionSession(dbs: dbs, backed: false, recordCreations: false)
        try log.forEachStreamEntry(txn, stream: stream) { _, eventSeq in
            guard eventSeq <= seq else { return false }
            let event = try log.withStoredEvent(txn, seq: eventSeq) { fields, data in try ProjectedEvent(fields: fields, data: data) }
            if let event, Registry.inForce(event, on: validTime) { try Projector.apply(event, to: &session, txn) }
            return true
        }
        return session
    }

    /// The record of `stream` as it stood, or nil if it did not exist yet. When no event of the
    /// stream came after `seq`, that is the record as it stands now, read from its projection
    /// (written in the same commits as the events); otherwise the stream is folded up to `seq`.
    func record<R: Decodable, T: TransactionReading & ~Copyable>(_ type: R.Type, _ stream: String, _ txn: borrowing T) throws -> R? {
        guard let (kind, key) = StreamName.parse(stream), let table = dbs.table(of: kind) else { return nil }
        guard let last = try log.lastStreamEntry(txn, stream: stream)?.seq else { return nil }
        if last <= seq {
            return try Array(key.utf8).withUnsafeBytes { k in
                try txn.withValue(table, key: k) { bytes in try bytes.map { try JSONBytesDecoder().decode(R.self, from: $0) } }
            }
        }
        let s = try Self.foldStream(stream, upTo: seq, log: log, dbs: dbs, txn)
        switch kind {
        case "unit": return s.units.current(key) as? R
        case "item": return s.items.current(key) as? R
        case "entry": return s.entries.current(key) as? R
        case "adjustment": return s.adjustments.current(key) as? R
        case "filing": return s.filings.current(key) as? R
        case "notice": return s.notices.current(key) as? R
        default: return nil
        }
    }

    /// How many records of `kind` existed (records are never deleted, so: how many were created).
    func count<T: TransactionReading & ~Copyable>(_ kind: String, _ txn: borrowing T) throws -> Int {
        let prefix = Array(kind.utf8) + [0]
        return try txn.withCursor(dbs.created) { cursor in
            guard let e = try cursor.seek(atMost: CreationKeys.created(kind, seq: seq)),
                  e.key.count == prefix.count + 8, e.key.starts(with: prefix) else { return 0 }
            return Int(BigEndianKey.read(e.value) ?? 0)
        }
    }

    /// The keys of the records of `kind` that existed, in the order they were created.
    func createdKeys<T: TransactionReading & ~Copyable>(_ kind: String, _ txn: borrowing T) throws -> [String] {
        let prefix = Array(kind.utf8) + [0]
        return try txn.withCursor(dbs.created) { cursor in
            var keys: [String] = []
            var entry = try cursor.seek(atLeast: prefix)
            while let e = entry, e.key.count == prefix.count + 8, e.key.starts(with: prefix),
                  let s = CreationKeys.seq(of: e.key), s <= seq {
                keys.append(String(decoding: e.value[8...], as: UTF8.self))
                entry = try cursor.next()
            }
            return keys
        }
    }

    /// Visits the records of `kind` that existed, in the byte order of their keys (as the
    /// projections list them), starting after key `after`: `body(key, record)` returns false to stop.
    func each<R: Decodable & SendableMetatype, T: TransactionReading & ~Copyable>(_ type: R.Type, _ kind: String, after: String? = nil, _ txn: borrowing T,
                                                               _ body: (String, R) throws -> Bool) throws {
        var keys = try createdKeys(kind, txn)
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var start = 0
        if let after {
            // The first key past `after`: a binary search of the sorted keys.
            var high = keys.count
            while start < high {
                let mid = (start + high) / 2
                if after.utf8.lexicographicallyPrecedes(keys[mid].utf8) { high = mid } else { start = mid + 1 }
            }
        }
        // A chunk of records at a time, folded on every core, handed over in order.
        var index = start
        while index < keys.count {
            let chunk = Array(keys[index..<min(keys.count, index + Self.chunk)])
            index += chunk.count
            let records = try foldAll(R.self, chunk.map { "\(kind)/\($0)" }, txn)
            for (key, record) in zip(chunk, records) {
                guard let record else { continue }
                guard try body(key, record) else { return }
            }
        }
    }

    /// How many records ``each(_:_:after:_:_:)`` folds at a time.
    static let chunk = 256

    /// The records of `streams` as they stood, in order; folded on every core when there are many.
    func foldAll<R: Decodable & SendableMetatype, T: TransactionReading & ~Copyable>(_ type: R.Type, _ streams: [String], _ txn: borrowing T) throws -> [R?] {
        let parts = ProcessInfo.processInfo.activeProcessorCount
        guard streams.count >= 32, parts > 1 else { return try streams.map { try record(R.self, $0, txn) } }
        let out = FoldedRecords<R>(count: streams.count)
        let reader = self
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (streams.count * part / parts)..<(streams.count * (part + 1) / parts)
            do {
                try reader.store.read { txn in
                    for i in range { out.buffer[i] = try reader.record(R.self, streams[i], txn) }
                }
            } catch {
                out.fail(error)
            }
        }
        if let error = out.error { throw error }
        return Array(out.buffer)
    }

    /// Every record of `kind` that existed, in key order.
    func all<R: Decodable & SendableMetatype, T: TransactionReading & ~Copyable>(_ type: R.Type, _ kind: String, _ txn: borrowing T) throws -> [R] {
        var out: [R] = []
        try each(R.self, kind, txn) { _, record in
            out.append(record)
            return true
        }
        return out
    }
}

/// The results of one parallel fold.
private final class FoldedRecords<R>: @unchecked Sendable {
    // @unchecked Sendable: `buffer` is allocated up front and each thread writes only its own
    // disjoint range of it; `error` is guarded by `lock`.
    let buffer: UnsafeMutableBufferPointer<R?>
    private(set) var error: (any Error)?
    private let lock = NSLock()

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func fail(_ e: any Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }
}
