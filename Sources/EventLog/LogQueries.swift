import Foundation
import LMDB

/// Point lookups on the log inside any transaction.
///
/// Lookups by stream and by id see every event of the transaction's snapshot: those up to the
/// snapshot's `indexed-through` mark through the `events-by-stream` and `events-by-id` indexes,
/// the newer ones (at most ``EventStoreOptions/indexLag`` of them) through the in-memory
/// ``IndexTail``, or, when the snapshot is older than what that holds, by reading them from the log.
public struct LogQueries: Sendable {
    public let dbs: LogDatabases
    let tail: IndexTail

    init(dbs: LogDatabases, tail: IndexTail = IndexTail(floor: 0)) {
        self.dbs = dbs
        self.tail = tail
    }

    /// The event at `seq`, or `nil` past the head.
    public func event<T: TransactionReading & ~Copyable>(_ txn: borrowing T, seq: UInt64) throws -> EventEnvelope? {
        try BigEndianKey.bytes(seq).withUnsafeBytes { key in
            try txn.withValue(dbs.events, key: key) { value in
                guard let value else { return nil }
                return try Self.decode(record: value, seq: seq)
            }
        }
    }

    /// Decodes a stored record (format byte, hash, canonical JSON).
    static func decode(record: UnsafeRawBufferPointer, seq: UInt64) throws(EventLogError) -> EventEnvelope {
        guard record.count > LogKeys.recordHeader, record[0] == LogKeys.recordFormat else {
            throw .corruptRecord(seq: seq, reason: "record header is not format \(LogKeys.recordFormat)")
        }
        let hash = Array(record[1..<LogKeys.recordHeader])
        let body = UnsafeRawBufferPointer(rebasing: record[LogKeys.recordHeader...])
        return try EventEnvelope(canonical: body, hash: hash, expectedSeq: seq)
    }

    /// The last version of `stream`, or `nil` if it has no events.
    public func streamVersion<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String) throws -> UInt64? {
        try lastStreamEntry(txn, stream: stream)?.version
    }

    /// The last version of `stream` and the seq of that event, or `nil` if it has no events.
    public func lastStreamEntry<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String) throws -> (version: UInt64, seq: UInt64)? {
        let (indexed, head) = try indexRange(txn)
        if let newest = try unindexed(txn, stream: stream, after: indexed, through: head).last { return newest }
        return try indexedStreamEntry(txn, stream: stream)
    }

    /// Calls `body` with the `(version, seq)` of each event of `stream` from `fromVersion` on, in
    /// version order, until it returns `false`.
    public func forEachStreamEntry<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String, fromVersion: UInt64 = 0,
                                                                      _ body: (_ version: UInt64, _ seq: UInt64) throws -> Bool) throws {
        let (indexed, head) = try indexRange(txn)
        let prefix = Array(stream.utf8) + [0]
        let more: Bool = try txn.withCursor(dbs.byStream) { cursor in
            var entry = try cursor.seek(atLeast: LogKeys.stream(stream, version: fromVersion))
            while let e = entry, e.key.count == prefix.count + 8, e.key.starts(with: prefix) {
                guard let version = BigEndianKey.read(e.key, at: prefix.count), let seq = BigEndianKey.read(e.value) else { break }
                guard try body(version, seq) else { return false }
                entry = try cursor.next()
            }
            return true
        }
        guard more else { return }
        for (version, seq) in try unindexed(txn, stream: stream, after: indexed, through: head) where version >= fromVersion {
            guard try body(version, seq) else { return }
        }
    }

    /// The seq of the event with `id`, if stored.
    public func seq<T: TransactionReading & ~Copyable>(_ txn: borrowing T, id: UUID) throws -> UInt64? {
        if let seq = try indexedSeq(txn, id: id) { return seq }
        let (indexed, head) = try indexRange(txn)
        guard head > indexed else { return nil }
        if let held = tail.seq(of: id, after: indexed, through: head) { return held }
        return try readEntries(txn, after: indexed, through: head).first { $0.id == id }?.seq
    }

    /// The `indexed-through` mark of this snapshot (events up to it are in the stream and id
    /// indexes, later ones are not) and its head seq.
    public func indexRange<T: TransactionReading & ~Copyable>(_ txn: borrowing T) throws -> (indexedThrough: UInt64, head: UInt64) {
        let head: UInt64 = try txn.withCursor(dbs.events) { cursor in
            guard let last = try cursor.last() else { return 0 }
            return BigEndianKey.read(last.key) ?? 0
        }
        let indexed = try LogKeys.indexedThroughKey.withUnsafeBytes { key in
            try txn.withValue(dbs.meta, key: key) { $0.flatMap { BigEndianKey.read($0) } }
        }
        // A log without the mark was written by a build that indexed every event as it came.
        return (min(indexed ?? head, head), head)
    }

    // MARK: The parts

    /// The newest indexed version of `stream` and its seq (the index alone).
    func indexedStreamEntry<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String) throws -> (version: UInt64, seq: UInt64)? {
        let prefix = Array(stream.utf8) + [0]
        return try txn.withCursor(dbs.byStream) { cursor in
            guard let entry = try cursor.seek(atMost: LogKeys.streamEnd(stream)),
                  entry.key.count == prefix.count + 8,
                  entry.key.starts(with: prefix),
                  let version = BigEndianKey.read(entry.key, at: prefix.count),
                  let seq = BigEndianKey.read(entry.value)
            else { return nil }
            return (version, seq)
        }
    }

    /// The seq of `id` in the id index alone.
    func indexedSeq<T: TransactionReading & ~Copyable>(_ txn: borrowing T, id: UUID) throws -> UInt64? {
        try LogKeys.id(id).withUnsafeBytes { key in
            try txn.withValue(dbs.byID, key: key) { $0.flatMap { BigEndianKey.read($0) } }
        }
    }

    /// `stream`'s events with seqs in `(after, through]`, not yet indexed, ascending.
    private func unindexed<T: TransactionReading & ~Copyable>(_ txn: borrowing T, stream: String, after: UInt64,
                                                              through: UInt64) throws -> [(version: UInt64, seq: UInt64)] {
        guard through > after else { return [] }
        if let held = tail.stream(stream, after: after, through: through) { return held }
        return try readEntries(txn, after: after, through: through).filter { $0.stream == stream }.map { ($0.version, $0.seq) }
    }

    /// The index entries of the events with seqs in `(after, through]`, read from the log itself.
    func readEntries<T: TransactionReading & ~Copyable>(_ txn: borrowing T, after: UInt64, through: UInt64) throws -> [IndexTail.Entry] {
        guard through > after else { return [] }
        return try txn.withCursor(dbs.events) { cursor in
            var out: [IndexTail.Entry] = []
            var entry = try cursor.seek(atLeast: BigEndianKey.bytes(after + 1))
            while let e = entry, let seq = BigEndianKey.read(e.key), seq <= through {
                let event = try Self.decode(record: e.value, seq: seq)
                out.append(IndexTail.Entry(seq: seq, stream: event.stream, version: event.version, id: event.id))
                entry = try cursor.next()
            }
            return out
        }
    }

    /// The stored head: last seq, its hash and time.
    public func head<T: TransactionReading & ~Copyable>(_ txn: borrowing T) throws -> LogHead {
        try txn.withCursor(dbs.events) { cursor in
            guard let last = try cursor.last(), let seq = BigEndianKey.read(last.key) else { return .empty }
            let envelope = try Self.decode(record: last.value, seq: seq)
            return LogHead(seq: seq, hash: envelope.hash, recordedAt: envelope.recordedAt)
        }
    }

    /// The greatest seq whose `recordedAt` is at or before `instant` (0 if none).
    ///
    /// `recordedAt` never decreases along seq, so this is a binary search over the events: about
    /// log₂(events) point reads, each reading the time from the stored record's bytes.
    public func lastSeq<T: TransactionReading & ~Copyable>(_ txn: borrowing T, recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        let last: UInt64 = try txn.withCursor(dbs.events) { cursor in
            guard let entry = try cursor.last() else { return 0 }
            return BigEndianKey.read(entry.key) ?? 0
        }
        var low: UInt64 = 1, high = last, best: UInt64 = 0
        while low <= high {
            let mid = low + (high - low) / 2
            guard let time = try recordedAt(txn, seq: mid) else {
                throw EventLogError.corruptRecord(seq: mid, reason: "the record has no readable recordedAt")
            }
            if time <= instant {
                best = mid
                low = mid + 1
            } else {
                high = mid - 1  // mid >= 1, so this stops at 0
            }
        }
        return best
    }

    /// The `recordedAt` of the event at `seq`, read from its record without decoding the rest.
    func recordedAt<T: TransactionReading & ~Copyable>(_ txn: borrowing T, seq: UInt64) throws -> Timestamp? {
        try BigEndianKey.bytes(seq).withUnsafeBytes { key in
            try txn.withValue(dbs.events, key: key) { value in
                guard let value, value.count > LogKeys.recordHeader else { return nil }
                return LogKeys.recordedAt(canonical: UnsafeRawBufferPointer(rebasing: value[LogKeys.recordHeader...]))
            }
        }
    }
}
