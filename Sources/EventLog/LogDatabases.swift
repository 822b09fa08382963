import LMDB

/// The log's named databases and their key layouts. `mdb_dump -s <name>` shows each.
///
/// | name | key | value |
/// |---|---|---|
/// | `events` | seq, 8 bytes big-endian | record: `0x01`, 32-byte hash, canonical JSON |
/// | `events-by-stream` | stream UTF-8, `0x00`, version 8 bytes BE | seq |
/// | `events-by-id` | UUID, 16 bytes | seq |
/// | `log-meta` | `format` | `shixiang-log/2` |
/// | `log-meta` | `indexed-through` | seq, 8 bytes BE: events up to it are in both indexes, later ones in neither |
///
/// The two indexes lag the log by at most ``EventStoreOptions/indexLag`` events (see ``IndexTail``):
/// ``LogQueries`` answers from the indexes, the in-memory tail, or the log itself, never from less.
///
/// There is no time index: `recordedAt` never decreases along seq (the appender holds time back
/// rather than let a clock step go backwards, and `audit.verify` checks it), so "the last event at
/// or before T" is a binary search over `events` (``LogQueries/lastSeq(_:recordedAtOrBefore:)``).
/// Logs written before this change may still hold an `events-by-time` database; it is ignored.
public struct LogDatabases: Sendable {
    public let events: Database
    public let byStream: Database
    public let byID: Database
    public let meta: Database

    /// The format this build writes: 2 adds the `indexed-through` mark (indexes may lag the log).
    public static let formatTag = "shixiang-log/2"
    /// The formats this build opens (format 1 is upgraded in place when opened for writing).
    public static let readableFormats = ["shixiang-log/1", formatTag]

    init(environment env: Environment) throws {
        events = try env.database(named: "events")
        byStream = try env.database(named: "events-by-stream")
        byID = try env.database(named: "events-by-id")
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

    /// `log-meta` key of the indexed-through mark: the seq (8 bytes BE) up to which every event is
    /// in `events-by-stream` and `events-by-id`; no later event is.
    static let indexedThroughKey = Array("indexed-through".utf8)

    static func id(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    static let recordedAtMarker = Array(#","recordedAt":""#.utf8)

    /// The top-level `recordedAt` of an event's canonical JSON. Members are in key order and every
    /// member after `recordedAt` (seq, stream, type, version) is a number or an escaped string, so
    /// the last occurrence of the marker is the top-level one, even if `data` holds the same key.
    static func recordedAt(canonical: UnsafeRawBufferPointer) -> Timestamp? {
        let marker = recordedAtMarker
        guard canonical.count > marker.count else { return nil }
        var i = canonical.count - marker.count
        while i >= 0 {
            if canonical[i] == marker[0] && canonical[i + 1] == marker[1] {
                var match = true
                for k in 2..<marker.count where canonical[i + k] != marker[k] { match = false; break }
                if match {
                    let start = i + marker.count
                    guard let end = canonical[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                    return Timestamp(rfc3339: String(decoding: canonical[start..<end], as: UTF8.self))
                }
            }
            i -= 1
        }
        return nil
    }
}

import Foundation
