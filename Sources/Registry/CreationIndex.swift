import EventLog
import LMDB

/// Key layout of the creation index (`p-created`).
///
/// | key | value |
/// |---|---|
/// | kind UTF-8 (`item`, `entry`, …), `0x00`, seq 8 bytes BE | ordinal 8 bytes BE, record key UTF-8 |
///
/// The ordinal is how many records of that kind exist right after `seq` (records are never
/// deleted), so a count as of `seq` is one seek, and the records that existed then are the
/// entries up to it. A record as it stood is a fold of its own stream (see ``AsOfReader``).
enum CreationKeys {
    /// The kinds of record that are indexed, by the stream prefix they live under.
    static let kinds = ["unit", "item", "entry", "adjustment", "filing", "notice"]

    static func created(_ kind: String, seq: UInt64) -> [UInt8] {
        var key = Array(kind.utf8)
        key.reserveCapacity(key.count + 9)
        key.append(0)
        BigEndianKey.append(seq, to: &key)
        return key
    }

    static func createdValue(ordinal: UInt64, key: String) -> [UInt8] {
        var value = BigEndianKey.bytes(ordinal)
        value.append(contentsOf: key.utf8)
        return value
    }

    /// The seq at the end of a creation key (nil if it is not one).
    static func seq(of key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count >= 9, key[key.count - 9] == 0 else { return nil }
        return BigEndianKey.read(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]))
    }
}

/// One record creation, produced by applying the first event of its stream, waiting to be written.
struct StagedCreation: Sendable {
    var kind: String
    var key: String
    var seq: UInt64
    /// How many records of `kind` exist right after `seq`.
    var ordinal: UInt64
}
