import LMDB

/// The log's named databases and their key layouts. `mdb_dump -s <name>` shows each.
///
/// | name | key | value |
/// |---|---|---|
/// | `events` | seq, 8 bytes big-endian | record: `0x01`, 32-byte hash, canonical JSON |
/// | `events-by-stream` | stream UTF-8, `0x00`, version 8 bytes BE | seq |
/// | `events-by-id` | UUID, 16 bytes | seq |
/// | `events-by-time` | recordedAt µs 8 bytes BE (sign-flipped), seq 8 bytes BE | empty |
/// | `log-meta` | `format` | `shixiang-log/1` |
public struct LogDatabases: Sendable {
    public let events: Database
    public let byStream: Database
    public let byID: Database
    public let byTime: Database
    public let meta: Database

    public static let formatTag = "shixiang-log/1"

    init(environment env: Environment) throws {
        events = try env.database(named: "events")
        byStream = try env.database(named: "events-by-stream")
        byID = try env.database(named: "events-by-id")
        byTime = try env.database(named: "events-by-time")
        meta = try env.database(named: "log-meta")
    }
}

/// Record and key encodings.
enum LogKeys {
    static let recordFormat: UInt8 = 1
    static let recordHeader = 33

    static func record(hash: [UInt8], canonical: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(recordHeader + canonical.count)
        out.append(recordFormat)
        out.append(contentsOf: hash)
        out.append(contentsOf: canonical)
        return out
    }

    static func stream(_ stream: String, version: UInt64) -> [UInt8] {
        var key = Array(stream.utf8)
        key.append(0)
        BigEndianKey.append(version, to: &key)
        return key
    }

    /// The greatest possible key of `stream`, for finding its last version.
    static func streamEnd(_ stream: String) -> [UInt8] {
        var key = Array(stream.utf8)
        key.append(0)
        key.append(contentsOf: [UInt8](repeating: 0xff, count: 8))
        return key
    }

    static func id(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    static func time(_ t: Timestamp, seq: UInt64) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(16)
        BigEndianKey.append(UInt64(bitPattern: t.microseconds) ^ (1 << 63), to: &key)
        BigEndianKey.append(seq, to: &key)
        return key
    }

    static func timestamp(fromTimeKey key: UnsafeRawBufferPointer) -> Timestamp? {
        BigEndianKey.read(key).map { Timestamp(microseconds: Int64(bitPattern: $0 ^ (1 << 63))) }
    }
}

import Foundation
