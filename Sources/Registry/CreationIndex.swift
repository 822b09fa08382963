import EventLog
import LMDB

/// Key layouts of the version index (`p-versions`) and the creation index (`p-created`).
///
/// | database | key | value |
/// |---|---|---|
/// | `p-versions` | stream UTF-8, `0x00`, seq 8 bytes BE | canonical JSON of the stream's record right after `seq` |
/// | `p-created` | kind UTF-8 (`item`, `entry`, …), `0x00`, seq 8 bytes BE | ordinal 8 bytes BE, record key UTF-8 |
///
/// Stream names hold no `0x00`, so one entity's versions sort together, in seq order, and
/// entities sort in the byte order of their keys (as in the projections). The record as it stood
/// at seq `T` is the last key at or before `stream \0 T`: one seek.
enum VersionKeys {
    /// The kinds of record that have versions, by the stream prefix they live under.
    static let kinds = ["unit", "item", "entry", "adjustment", "filing", "notice"]

    static func version(_ stream: String, seq: UInt64) -> [UInt8] {
        var key = Array(stream.utf8)
        key.reserveCapacity(key.count + 9)
        key.append(0)
        BigEndianKey.append(seq, to: &key)
        return key
    }

    static func created(_ kind: String, seq: UInt64) -> [UInt8] {
        version(kind, seq: seq)
    }

    static func createdValue(ordinal: UInt64, key: String) -> [UInt8] {
        var value = BigEndianKey.bytes(ordinal)
        value.append(contentsOf: key.utf8)
        return value
    }

    /// The seq at the end of a version or creation key (nil if it is not one).
    static func seq(of key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count >= 9, key[key.count - 9] == 0 else { return nil }
        return BigEndianKey.read(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]))
    }

    /// The stream part of a version key.
    static func stream(of key: UnsafeRawBufferPointer) -> [UInt8] {
        Array(key[..<(key.count - 9)])
    }

    /// A 64-bit FNV-1a digest of a stream name, to tell which stream a rebuild produced a version for.
    static func digest<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash | 1  // never 0, which marks "no version"
    }
}

/// One version of a record, produced by applying one event, waiting to be written.
struct StagedVersion: Sendable {
    var stream: String
    var seq: UInt64
    var bytes: [UInt8]
    /// Set when the event created the record: its kind and key, and how many of that kind exist now.
    var creation: (kind: String, key: String, ordinal: UInt64)?

    /// The writes that store it.
    func writes(_ dbs: ProjectionDatabases) -> [(db: Database, key: [UInt8], value: [UInt8]?)] {
        var out: [(db: Database, key: [UInt8], value: [UInt8]?)] = [(dbs.versions, VersionKeys.version(stream, seq: seq), bytes)]
        if let c = creation {
            out.append((dbs.created, VersionKeys.created(c.kind, seq: seq), VersionKeys.createdValue(ordinal: c.ordinal, key: c.key)))
        }
        return out
    }
}

/// Which versions and creations a fold produced, by seq: what a rebuild keeps and a check expects.
struct ProducedVersions {
    /// Digest of the stream whose version event `seq` produced (0: none), indexed by seq.
    private var streams: [UInt64]
    /// Digest of the kind whose record event `seq` created (0: none).
    private var kinds: [UInt64]
    let upTo: UInt64

    init(upTo head: UInt64) {
        upTo = head
        streams = [UInt64](repeating: 0, count: Int(head) + 1)
        kinds = [UInt64](repeating: 0, count: Int(head) + 1)
    }

    mutating func note(_ v: StagedVersion) {
        guard v.seq <= upTo else { return }
        streams[Int(v.seq)] = VersionKeys.digest(v.stream.utf8)
        if let c = v.creation { kinds[Int(v.seq)] = VersionKeys.digest(c.kind.utf8) }
    }

    /// Whether a stored key of `p-versions` (or of `p-created`, with `creation`) is one the fold
    /// produced; keys past ``upTo`` are not judged (true).
    func expects(_ key: UnsafeRawBufferPointer, creation: Bool) -> Bool {
        guard let seq = VersionKeys.seq(of: key) else { return false }
        guard seq <= upTo else { return true }
        let want = creation ? kinds[Int(seq)] : streams[Int(seq)]
        return want != 0 && want == VersionKeys.digest(UnsafeRawBufferPointer(rebasing: key[..<(key.count - 9)]))
    }

    var count: Int { streams.lazy.filter { $0 != 0 }.count }
    var creations: Int { kinds.lazy.filter { $0 != 0 }.count }
}
