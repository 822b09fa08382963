import LMDB

/// One stored event as raw bytes: what was hashed, and its hash.
public struct RawEvent: Sendable {
    public var seq: UInt64
    /// The SHA-256 of ``canonical``.
    public var hash: [UInt8]
    /// The canonical JSON exactly as stored and hashed (see ``EventEnvelope/canonicalBytes()``).
    public var canonical: [UInt8]

    public init(seq: UInt64, hash: [UInt8], canonical: [UInt8]) {
        self.seq = seq
        self.hash = hash
        self.canonical = canonical
    }
}

extension EventStore {
    /// Up to `limit` stored events from `fromSeq`, as their exact bytes: no decoding, one short snapshot.
    public func rawPage(fromSeq: UInt64, limit: Int) throws -> [RawEvent] {
        try read { txn in
            try txn.withCursor(databases.events) { cursor in
                var out: [RawEvent] = []
                out.reserveCapacity(min(limit, 10_000))
                var entry = try cursor.seek(atLeast: BigEndianKey.bytes(max(fromSeq, 1)))
                while let e = entry, out.count < limit, let seq = BigEndianKey.read(e.key) {
                    guard e.value.count > LogKeys.recordHeader, e.value[0] == LogKeys.recordFormat else {
                        throw EventLogError.corruptRecord(seq: seq, reason: "record header is not format \(LogKeys.recordFormat)")
                    }
                    out.append(RawEvent(seq: seq, hash: Array(e.value[1..<LogKeys.recordHeader]),
                                        canonical: Array(e.value[LogKeys.recordHeader...])))
                    entry = try cursor.next()
                }
                return out
            }
        }
    }
}

extension RawEvent {
    /// The string value of top-level member `key` of the canonical JSON, found from the end.
    ///
    /// Sound for the members after `data` in key order (`id`, `prevHash`, `recordedAt`, `stream`,
    /// `type`): inside JSON strings quotes are escaped, so `,"key":"` with bare quotes is always a
    /// member name, and the last one is the top-level member because only scalars follow `data`.
    public func topLevelString(_ key: String) -> String? {
        let pattern = Array(",\"\(key)\":\"".utf8)
        guard let start = Self.lastIndex(of: pattern, in: canonical) else { return nil }
        var i = start + pattern.count
        var out: [UInt8] = []
        while i < canonical.count, canonical[i] != UInt8(ascii: "\"") {
            if canonical[i] == UInt8(ascii: "\\") { return nil }  // escaped names: let the caller decode fully
            out.append(canonical[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The `seq` member of the canonical JSON, found from the end.
    public var statedSeq: UInt64? {
        let pattern = Array(",\"seq\":".utf8)
        guard let start = Self.lastIndex(of: pattern, in: canonical) else { return nil }
        var i = start + pattern.count
        var value: UInt64 = 0
        var digits = 0
        while i < canonical.count, canonical[i] >= 48, canonical[i] <= 57 {
            value = value &* 10 &+ UInt64(canonical[i] - 48)
            digits += 1
            i += 1
        }
        return digits > 0 ? value : nil
    }

    static func lastIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var i = bytes.count - pattern.count
        while i >= 0 {
            if bytes[i] == pattern[0] && bytes[i..<i + pattern.count].elementsEqual(pattern) { return i }
            i -= 1
        }
        return nil
    }
}

extension RawEvent {
    /// The decoded envelope.
    public func envelope() throws -> EventEnvelope {
        try canonical.withUnsafeBytes { bytes in try EventEnvelope(canonical: bytes, hash: hash, expectedSeq: seq) }
    }
}
