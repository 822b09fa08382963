/// Checking a value without building it, and reading member names in place: what the pull
/// reader and the bytes decoder use to find their way through a document.
extension JSONScanner {
    /// A member name: its bytes in the input when it holds no escape (`name == nil`), else decoded.
    /// A member name where it lies in the input: the bytes between its quotes, and whether they
    /// hold an escape (then decoded only when compared as text: stored names never have one).
    /// Plain data, so that lists of names cost no reference counting.
    struct MemberName {
        var start: Int
        var count: Int
        var escaped: Bool

        /// The name, its escapes decoded (it was checked when it was read).
        func string(in base: UnsafePointer<UInt8>) -> String {
            guard escaped else { return String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self) }
            var s = JSONScanner(base: base, count: start + count + 1, limits: .default)
            s.pos = start - 1
            return (try? s.parseString()) ?? String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        }

        /// Whether it equals `key`'s UTF-8 bytes.
        func equals(_ key: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>) -> Bool {
            if escaped { return string(in: base).utf8.elementsEqual(key) }
            guard count == key.count else { return false }
            guard let k = key.baseAddress else { return count == 0 }
            return bytesCompare(base + start, k, count) == 0
        }

        /// Whether both name the same member.
        func same(_ other: MemberName, in base: UnsafePointer<UInt8>) -> Bool {
            if let order = compare(other, in: base) { return order == 0 }
            return string(in: base) == other.string(in: base)
        }

        /// `nil` unless both are unescaped: then -1, 0 or 1 as their bytes compare.
        func compare(_ other: MemberName, in base: UnsafePointer<UInt8>) -> Int? {
            guard !escaped, !other.escaped else { return nil }
            let c = bytesCompare(base + start, base + other.start, min(count, other.count))
            if c != 0 { return c < 0 ? -1 : 1 }
            return count == other.count ? 0 : (count < other.count ? -1 : 1)
        }
    }

    /// Reads the member name at `pos` (a string) and the `:` after it; leaves `pos` at the value.
    mutating func scanMemberName(afterComma: Bool) throws(JSONParseError) -> MemberName {
        try expectMemberName(afterComma: afterComma)
        let start = pos + 1
        let escaped = try skipString()
        let member = MemberName(start: start, count: pos - 1 - start, escaped: escaped)
        skipWhitespace()
        guard pos < count else { throw endError(expected: "':'") }
        guard base[pos] == 0x3A else { throw unexpected(at: pos, expected: "':'") }
        pos += 1
        skipWhitespace()
        return member
    }

    /// Checks the string at `pos` as ``parseString()`` does, without making it; leaves `pos` after
    /// the closing quote. Returns whether it holds an escape.
    @discardableResult
    mutating func skipString() throws(JSONParseError) -> Bool {
        let quoteOffset = pos
        var i = pos + 1
        while i < count {
            while i + 8 <= count {
                let special = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
                if special != 0 {
                    i += special.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < count else { break }
            let b = base[i]
            if b == JSONScanner.quote { break }
            if b == JSONScanner.backslash {
                // Rare in stored data: let the full parser check the escapes.
                pos = quoteOffset
                _ = try parseString()
                return true
            }
            if b < 0x20 { throw controlCharacter(at: i, byte: b) }
            if b >= 0x80 {
                let end = UTF8Scanner.skipValidNonASCII(base, from: i, count: count)
                guard end > i else { throw invalidUTF8(at: i) }
                i = end
                continue
            }
            i += 1
        }
        guard i < count else { throw unterminatedString(quoteOffset) }
        try checkStringLength(i - quoteOffset - 1, quoteOffset: quoteOffset)
        pos = i + 1
        return false
    }

    /// Checks the value at `pos` (whitespace skipped) as ``parseValue()`` would, except that
    /// duplicate member names are not looked for, and leaves `pos` right after it.
    mutating func skipValue() throws(JSONParseError) {
        // Open containers as bits (1: object), never on the thread stack.
        var kinds: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var depth = 0
        func setTop(_ isObject: Bool, _ d: Int, _ k: inout (UInt64, UInt64, UInt64, UInt64)) {
            let bit: UInt64 = 1 << UInt64(d & 63)
            switch d >> 6 {
            case 0: k.0 = isObject ? k.0 | bit : k.0 & ~bit
            case 1: k.1 = isObject ? k.1 | bit : k.1 & ~bit
            case 2: k.2 = isObject ? k.2 | bit : k.2 & ~bit
            default: k.3 = isObject ? k.3 | bit : k.3 & ~bit
            }
        }
        func isObject(_ d: Int, _ k: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
            let word: UInt64
            switch d >> 6 {
            case 0: word = k.0
            case 1: word = k.1
            case 2: word = k.2
            default: word = k.3
            }
            return word & (1 << UInt64(d & 63)) != 0
        }
        var afterComma = false
        value: while true {
            guard pos < count else { throw endError(expected: "a value") }
            let c = base[pos]
            switch c {
            case JSONScanner.quote:
                try skipString()
            case 0x30...0x39, 0x2D:
                _ = try parseNumber()
            case 0x7B, 0x5B:
                let object = c == 0x7B
                if depth + outerDepth >= limits.maxDepth || depth >= 256 { throw tooDeep() }
                pos += 1
                skipWhitespace()
                if pos < count && base[pos] == (object ? 0x7D : 0x5D) {
                    pos += 1
                } else {
                    setTop(object, depth, &kinds)
                    depth += 1
                    if object { _ = try scanMemberName(afterComma: false) }
                    afterComma = false
                    continue value
                }
            case 0x74:
                try expectLiteral("true")
            case 0x66:
                try expectLiteral("false")
            case 0x6E:
                try expectLiteral("null")
            default:
                throw valueStartError(c, afterComma: afterComma)
            }
            // A value is complete: close what the input closes.
            while depth > 0 {
                let object = isObject(depth - 1, kinds)
                skipWhitespace()
                guard pos < count else { throw endError(expected: object ? "',' or '}'" : "',' or ']'") }
                let d = base[pos]
                if d == 0x2C {
                    pos += 1
                    skipWhitespace()
                    if object { _ = try scanMemberName(afterComma: true); afterComma = false } else { afterComma = true }
                    continue value
                }
                guard d == (object ? 0x7D : 0x5D) else { throw unexpected(at: pos, expected: object ? "',' or '}'" : "',' or ']'") }
                pos += 1
                depth -= 1
            }
            return
        }
    }
}

/// `memcmp` without importing the C library.
@inline(__always)
func bytesCompare(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    while i < n {
        if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        i += 1
    }
    return 0
}
