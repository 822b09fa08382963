import Foundation

extension StoredEventFields {
    /// The fields and the `data` range of a record laid out exactly as the log writes it
    /// (``EventEnvelope/canonicalBytes(encodedActor:encodedData:)``: members in their sorted order,
    /// no whitespace, `stream` and `type` plain ASCII), found by position; nil for any other layout,
    /// which ``read(record:seq:_:)`` then reads with the general reader (and reports what is wrong).
    ///
    /// Every envelope field the fold reads is checked as the general reader checks it. `actor` and
    /// `data` are stepped over by their structure alone (strings, escapes, brackets): nothing reads
    /// the actor, and the payload decoder checks `data` as it reads it. This is what keeps a rebuild
    /// from checking every byte of every event twice.
    static func readCanonical(_ c: UnsafeRawBufferPointer, expectedSeq: UInt64) -> (fields: StoredEventFields, data: Range<Int>)? {
        guard let start = c.baseAddress else { return nil }
        var s = PositionScan(base: start.assumingMemoryBound(to: UInt8.self), count: c.count)
        guard s.literal(#"{"actor":"#), s.skipValue(), s.literal(#","data":"#) else { return nil }
        let dataStart = s.pos
        guard s.skipValue() else { return nil }
        let data = dataStart..<s.pos
        var effectiveAt: Timestamp?
        if s.literal(#","effectiveAt":""#) {
            guard let t = s.timestamp() else { return nil }
            effectiveAt = t
            guard s.literal(#"","id":""#) else { return nil }
        } else {
            guard s.literal(#","id":""#) else { return nil }
        }
        guard s.fixed(36), s.literal(#"","prevHash":""#), s.fixed(64), s.literal(#"","recordedAt":""#),
              let recordedAt = s.timestamp(), s.literal(#"","seq":"#), let seq = s.integer(), seq == expectedSeq,
              s.literal(#","stream":""#), let stream = s.asciiString(), s.literal(#","type":""#), let type = s.asciiString(),
              s.literal(#","version":"#), let version = s.integer(), s.literal("}"), s.pos == s.count
        else { return nil }
        return (StoredEventFields(seq: seq, stream: stream, version: version, type: type, recordedAt: recordedAt, effectiveAt: effectiveAt), data)
    }
}

/// A cursor over canonical bytes that steps over expected text; every step returns false (or nil)
/// rather than throw, for a caller that then falls back to a reader that explains.
private struct PositionScan {
    let base: UnsafePointer<UInt8>
    let count: Int
    var pos = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// Steps over `text` if it is next.
    mutating func literal(_ text: StaticString) -> Bool {
        let k = text.utf8CodeUnitCount
        guard pos + k <= count, memcmp(base + pos, text.utf8Start, k) == 0 else { return false }
        pos += k
        return true
    }

    /// Steps over `n` bytes, none of them a quote or a backslash (an id's or a hash's digits).
    mutating func fixed(_ n: Int) -> Bool {
        guard pos + n <= count else { return false }
        for i in pos..<pos + n where base[i] == Self.quote || base[i] == Self.backslash { return false }
        pos += n
        return true
    }

    /// The text up to the next quote (left before it), if it is printable ASCII.
    mutating func plainRun() -> UnsafeBufferPointer<UInt8>? {
        let from = pos
        while pos < count {
            let b = base[pos]
            if b == Self.quote { return UnsafeBufferPointer(start: base + from, count: pos - from) }
            guard b >= 0x20, b < 0x7F, b != Self.backslash else { return nil }
            pos += 1
        }
        return nil
    }

    /// A timestamp's text (the opening quote already stepped over), left before its closing quote.
    mutating func timestamp() -> Timestamp? {
        guard let run = plainRun() else { return nil }
        return Timestamp(rfc3339: run)
    }

    /// A string of printable ASCII without escapes (the opening quote already stepped over),
    /// stepping over its closing quote.
    mutating func asciiString() -> String? {
        guard let run = plainRun() else { return nil }
        pos += 1
        return String(decoding: run, as: UTF8.self)
    }

    /// A non-negative integer written as the log writes it (no sign, no leading zero), no greater
    /// than `Int64.max` (what the general reader takes).
    mutating func integer() -> UInt64? {
        let from = pos
        var v: UInt64 = 0
        while pos < count, base[pos] >= 0x30, base[pos] <= 0x39, pos - from < 19 {
            v = v * 10 + UInt64(base[pos] - 0x30)
            pos += 1
        }
        let digits = pos - from
        guard digits > 0, digits == 1 || base[from] != 0x30, pos == count || base[pos] < 0x30 || base[pos] > 0x39,
              v <= UInt64(Int64.max) else { return nil }
        return v
    }

    /// Steps over one value by its structure: strings to their closing quote (an escape's next
    /// byte taken with it), containers to their matching close, scalars to the next `,` `}` or `]`.
    mutating func skipValue() -> Bool {
        guard pos < count else { return false }
        var depth = 0
        repeat {
            guard pos < count else { return false }
            let b = base[pos]
            switch b {
            case Self.quote:
                pos += 1
                guard skipStringBody() else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                pos += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return false }
                depth -= 1
                pos += 1
            default:
                if depth == 0 {
                    // A scalar on its own: up to the delimiter after it.
                    let from = pos
                    while pos < count, base[pos] != UInt8(ascii: ","), base[pos] != UInt8(ascii: "}"), base[pos] != UInt8(ascii: "]") { pos += 1 }
                    return pos > from
                }
                pos += 1
            }
        } while depth > 0
        return true
    }

    /// Steps over a string's bytes and its closing quote, eight bytes at a time where none is a
    /// quote or a backslash.
    private mutating func skipStringBody() -> Bool {
        while true {
            while pos + 8 <= count {
                let x = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                if Self.hasQuoteOrBackslash(x) { break }
                pos += 8
            }
            guard pos < count else { return false }
            let b = base[pos]
            if b == Self.quote {
                pos += 1
                return true
            }
            pos += b == Self.backslash ? 2 : 1
        }
    }

    /// Whether any of the eight bytes of `x` is `"` or `\`.
    private static func hasQuoteOrBackslash(_ x: UInt64) -> Bool {
        func hasZero(_ v: UInt64) -> Bool { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0 }
        return hasZero(x ^ 0x2222_2222_2222_2222) || hasZero(x ^ 0x5C5C_5C5C_5C5C_5C5C)
    }
}
