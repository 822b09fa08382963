import Foundation
import LMDB

/// Point lookups on the log inside any transaction.
public struct LogQueries: Sendable {
    public let dbs: LogDatabases

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
        let prefix = Array(stream.utf8) + [0]
        return try txn.withCursor(dbs.byStream) { cursor in
            guard let entry = try cursor.seek(atMost: LogKeys.streamEnd(stream)),
                  entry.key.count == prefix.count + 8,
                  entry.key.starts(with: prefix)
            else { return nil }
            return BigEndianKey.read(entry.key, at: prefix.count)
        }
    }

    /// The seq of the event with `id`, if stored.
    public func seq<T: TransactionReading & ~Copyable>(_ txn: borrowing T, id: UUID) throws -> UInt64? {
        try LogKeys.id(id).withUnsafeBytes { key in
            try txn.withValue(dbs.byID, key: key) { $0.flatMap { BigEndianKey.read($0) } }
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
