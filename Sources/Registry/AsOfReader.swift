import EventLog
import LMDB
import ShixiangJSON

/// Reads records as they stood right after event `seq`, from the version index, inside one read
/// transaction. A record is one seek; a list of a kind walks its entities in key order with two
/// seeks each (no fold, and nothing decoded that is not returned); a count is one seek.
struct AsOfReader {
    let dbs: ProjectionDatabases
    let seq: UInt64

    static func decode<R: Decodable>(_ type: R.Type, _ bytes: UnsafeRawBufferPointer) throws -> R {
        try JSONValueDecoder().decode(R.self, from: try JSONValue.parse(bytes))
    }

    /// The record of `stream` as it stood, or nil if it did not exist yet.
    func record<R: Decodable, T: TransactionReading & ~Copyable>(_ type: R.Type, _ stream: String, _ txn: borrowing T) throws -> R? {
        let prefix = Array(stream.utf8) + [0]
        return try txn.withCursor(dbs.versions) { cursor in
            guard let e = try cursor.seek(atMost: VersionKeys.version(stream, seq: seq)),
                  e.key.count == prefix.count + 8, e.key.starts(with: prefix) else { return nil }
            return try Self.decode(R.self, e.value)
        }
    }

    /// How many records of `kind` existed (records are never deleted, so: how many were created).
    func count<T: TransactionReading & ~Copyable>(_ kind: String, _ txn: borrowing T) throws -> Int {
        let prefix = Array(kind.utf8) + [0]
        return try txn.withCursor(dbs.created) { cursor in
            guard let e = try cursor.seek(atMost: VersionKeys.created(kind, seq: seq)),
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
                  let s = VersionKeys.seq(of: e.key), s <= seq {
                keys.append(String(decoding: e.value[8...], as: UTF8.self))
                entry = try cursor.next()
            }
            return keys
        }
    }

    /// Visits the records of `kind` that existed, in key order, starting after key `after`:
    /// `body(key, canonical record bytes)` returns false to stop.
    func each<T: TransactionReading & ~Copyable>(_ kind: String, after: String? = nil, _ txn: borrowing T,
                                                 _ body: (String, UnsafeRawBufferPointer) throws -> Bool) throws {
        let prefix = Array((kind + "/").utf8)
        let past = [UInt8](repeating: 0xff, count: 9)
        try txn.withCursor(dbs.versions) { cursor in
            // The first key of the first entity to look at.
            var entry = try cursor.seek(atLeast: after.map { prefix + Array($0.utf8) + [0] + past } ?? prefix)
            while let first = entry, first.key.starts(with: prefix), first.key.count >= prefix.count + 9 {
                let entity = Array(first.key[..<(first.key.count - 9)])  // stream bytes: prefix + key
                let entityPrefix = entity + [0]
                // The first version after `seq`, then the one before it: the version at `seq`.
                let later = try cursor.seek(atLeast: entityPrefix + BigEndianKey.bytes(seq &+ 1))
                let laterIsSame = later.map { $0.key.starts(with: entityPrefix) && $0.key.count == entityPrefix.count + 8 } ?? false
                let at = later == nil ? try cursor.last() : try cursor.previous()
                if let at, at.key.count == entityPrefix.count + 8, at.key.starts(with: entityPrefix) {
                    let key = String(decoding: entity[prefix.count...], as: UTF8.self)
                    guard try body(key, at.value) else { return }
                }
                // On to the next entity.
                if later == nil {
                    entry = nil
                } else if laterIsSame {
                    entry = try cursor.seek(atLeast: entityPrefix + past)
                } else {
                    entry = try cursor.next()  // back to `later`: the next entity's first version
                }
            }
        }
    }

    /// Every record of `kind` that existed, in key order.
    func all<R: Decodable, T: TransactionReading & ~Copyable>(_ type: R.Type, _ kind: String, _ txn: borrowing T) throws -> [R] {
        var out: [R] = []
        try each(kind, txn) { _, bytes in
            out.append(try Self.decode(R.self, bytes))
            return true
        }
        return out
    }
}
