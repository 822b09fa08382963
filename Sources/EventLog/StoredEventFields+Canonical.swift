import Foundation

extension StoredEventFields {
    /// The fields and the `data` range of a record laid out exactly as the log writes it
    /// (``EventEnvelope/canonicalBytes(encodedActor:encodedData:)``: members in their sorted order,
    /// no whitespace, the strings after `data` plain ASCII, a 36-character id and a 64-digit
    /// previous hash), found by position; nil for any other
    /// layout, which ``read(record:seq:_:)`` then reads with the general reader (and reports what
    /// is wrong).
    ///
    /// `actor` is stepped over by its structure (nothing reads it). Everything after `data` is of a
    /// fixed form (`effectiveAt`?, `id`, `prevHash`, `recordedAt`, `seq`, `stream`, `type`,
    /// `version`), so it is read from the end, each field checked as the general reader checks it,
    /// and `data` is what lies between: never stepped over here, but checked by the payload decoder
    /// as it reads it. In a valid record the tail found this way is the record's own (its quotes
    /// stand outside any string, since none follows a backslash and its strings hold none). In any
    /// other, what is taken as `data` fails to decode, and ``read(record:seq:_:)`` reads the record
    /// again as JSON. This is what keeps a rebuild from checking every byte of every event twice.
    static func readCanonical(_ c: UnsafeRawBufferPointer, expectedSeq: UInt64) -> (fields: StoredEventFields, data: Range<Int>)? {
        readCanonicalText(c, expectedSeq: expectedSeq).map { ($0.text.fields, $0.data) }
    }

    /// ``readCanonical(_:expectedSeq:)`` with the stream and type left as the bytes they are in `c`.
    static func readCanonicalText(_ c: UnsafeRawBufferPointer, expectedSeq: UInt64) -> (text: StoredEventText, data: Range<Int>)? {
        guard let start = c.baseAddress else { return nil }
        var s = PositionScan(base: start.assumingMemoryBound(to: UInt8.self), count: c.count)
        guard s.literal(#"{"actor":"#), s.skipValue(), s.literal(#","data":"#) else { return nil }
        let dataStart = s.pos
        // The tail, from the end: `,"version":N}` back to `,"id":"…"` (and `,"effectiveAt":"…"`).
        var t = TailScan(base: s.base, end: s.count, floor: dataStart)
        guard t.literalBefore("}"), let version = t.integerBefore(), t.literalBefore(#","version":"#),
              let type = t.plainStringBefore(), t.literalBefore(#","type":"#),
              let stream = t.plainStringBefore(), t.literalBefore(#","stream":"#),
              let seq = t.integerBefore(), seq == expectedSeq, t.literalBefore(#","seq":"#),
              let recordedAtText = t.plainStringBefore(), let recordedAt = Timestamp(rfc3339: recordedAtText),
              t.literalBefore(#","recordedAt":"#),
              t.plainStringBefore(count: 64), t.literalBefore(#","prevHash":"#),
              t.plainStringBefore(count: 36), t.literalBefore(#","id":"#)
        else { return nil }
        var effectiveAt: Timestamp?
        let beforeID = t.end
        if let text = t.plainStringBefore(), t.literalBefore(#","effectiveAt":"#) {
            guard let at = Timestamp(rfc3339: text) else { return nil }
            effectiveAt = at
        } else {
            t.end = beforeID  // `data` itself ends in a string
        }
        guard t.end > dataStart else { return nil }
        return (StoredEventText(seq: seq, stream: stream, version: version, type: type, recordedAt: recordedAt, effectiveAt: effectiveAt),
                dataStart..<t.end)
    }
}

extension StoredEventFields {
    /// The stream of a stored record laid out as the log writes it, read from the end of the
    /// record (its last three members) without reading the rest: for a reader that only wants the
    /// events of some streams. Nil for any other layout (read such a record whole to learn its
    /// stream). The bytes lie in `record`. Nothing else of the record is checked here.
    public static func peekStream(record: UnsafeRawBufferPointer) -> UnsafeBufferPointer<UInt8>? {
        guard record.count > LogKeys.recordHeader, record[0] == LogKeys.recordFormat, let start = record.baseAddress else { return nil }
        var t = TailScan(base: start.assumingMemoryBound(to: UInt8.self), end: record.count, floor: LogKeys.recordHeader)
        guard t.literalBefore("}"), t.integerBefore() != nil, t.literalBefore(#","version":"#),
              t.plainStringBefore() != nil, t.literalBefore(#","type":"#),
              let stream = t.plainStringBefore(), t.literalBefore(#","stream":"#)
        else { return nil }
        return stream
    }
}

/// Reads fixed-form text backwards from the end of a record, down to no lower than `floor`; every
/// step returns false (or nil) rather than throw.
private struct TailScan {
    let base: UnsafePointer<UInt8>
    /// Where the text not yet read ends.
    var end: Int
    let floor: Int

    init(base: UnsafePointer<UInt8>, end: Int, floor: Int) {
        self.base = base
        self.end = end
        self.floor = floor
    }

    /// Steps back over `text` if it ends here (compared a word at a time: the literal's words are
    /// constants once this is inlined).
    @inline(__always)
    mutating func literalBefore(_ text: StaticString) -> Bool {
        let k = text.utf8CodeUnitCount
        guard end - k >= floor, PositionScan.equal(base + end - k, text) else { return false }
        end -= k
        return true
    }

    /// Steps back over a non-negative integer as the log writes it (no sign, no leading zero), no
    /// greater than `Int64.max` (what the general reader takes).
    mutating func integerBefore() -> UInt64? {
        var from = end
        while from > floor, end - from < 20, base[from - 1] >= 0x30, base[from - 1] <= 0x39 { from -= 1 }
        let digits = end - from
        guard digits > 0, digits <= 19, digits == 1 || base[from] != 0x30 else { return nil }
        var v: UInt64 = 0
        for i in from..<end { v = v * 10 + UInt64(base[i] - 0x30) }
        guard v <= UInt64(Int64.max) else { return nil }
        end = from
        return v
    }

    /// Steps back over a string of ASCII without escapes or control bytes, quotes included, and
    /// returns its text (valid as long as the record is).
    ///
    /// Eight bytes at a time: the first word (from the end) that holds a quote, a backslash, a
    /// control byte or a byte beyond ASCII says where, exactly, the last of them stands; the
    /// string opens there if it is a quote, and is not plain otherwise.
    mutating func plainStringBefore() -> UnsafeBufferPointer<UInt8>? {
        guard end - 2 >= floor, base[end - 1] == PositionScan.quote else { return nil }
        // The word examined is the eight bytes that end at `top`.
        var top = end - 2
        while top - 7 >= floor {
            let special = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + top - 7).loadUnaligned(as: UInt64.self)))
            if special != 0 { return opening(at: top - special.leadingZeroBitCount >> 3) }
            top -= 8
        }
        while top >= floor {
            let b = base[top]
            if b == PositionScan.quote || b == PositionScan.backslash || b < 0x20 || b >= 0x80 { return opening(at: top) }
            top -= 1
        }
        return nil
    }

    /// Steps back over a string of exactly `count` (at least 8) plain ASCII bytes (as
    /// ``plainStringBefore()`` takes them), quotes included: the quotes are looked for where they
    /// must be and the bytes between checked a word at a time, with no search.
    mutating func plainStringBefore(count: Int) -> Bool {
        let open = end - 2 - count
        guard count >= 8, open >= floor, base[end - 1] == PositionScan.quote, base[open] == PositionScan.quote else { return false }
        let text = base + open + 1
        var special = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(text + count - 8).loadUnaligned(as: UInt64.self)))
        var i = 0
        while i + 8 < count {
            special |= Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(text + i).loadUnaligned(as: UInt64.self)))
            i += 8
        }
        guard special == 0 else { return false }
        end = open
        return true
    }

    /// The string's text if the byte at `open` is its opening quote; nil if it is any other byte
    /// that a plain string may not hold.
    private mutating func opening(at open: Int) -> UnsafeBufferPointer<UInt8>? {
        guard base[open] == PositionScan.quote else { return nil }
        let text = UnsafeBufferPointer(start: base + open + 1, count: end - 2 - open)
        end = open
        return text
    }

    /// The high bit of each byte of `x` that is a quote, a backslash, below 0x20 or beyond ASCII,
    /// and of no other: each byte is tested on its low seven bits, where no sum carries into the
    /// next byte.
    static func specialBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        let y = x & low7
        let notQuote = (y ^ 0x2222_2222_2222_2222) &+ low7  // high bit set where the byte is not `"`
        let notBackslash = (y ^ 0x5C5C_5C5C_5C5C_5C5C) &+ low7
        let printable = y &+ 0x6060_6060_6060_6060  // high bit set where the byte is at least 0x20
        return (~(notQuote & notBackslash & printable) | x) & highs
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
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let k = text.utf8CodeUnitCount
        guard pos + k <= count, Self.equal(base + pos, text) else { return false }
        pos += k
        return true
    }

    /// Whether the bytes at `p` spell `text`: a word at a time (the last word overlapping the one
    /// before), so that, inlined, the literal's words are constants and no call is made.
    @inline(__always)
    static func equal(_ p: UnsafePointer<UInt8>, _ text: StaticString) -> Bool {
        let k = text.utf8CodeUnitCount
        let t = UnsafeRawPointer(text.utf8Start), a = UnsafeRawPointer(p)
        guard k >= 8 else {
            for i in 0..<k where a.load(fromByteOffset: i, as: UInt8.self) != t.load(fromByteOffset: i, as: UInt8.self) { return false }
            return true
        }
        var i = 0
        while i + 8 < k {
            guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == t.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
            i += 8
        }
        return a.loadUnaligned(fromByteOffset: k - 8, as: UInt64.self) == t.loadUnaligned(fromByteOffset: k - 8, as: UInt64.self)
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
