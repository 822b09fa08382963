/// String scanning: UTF-8 validation, escapes, surrogate pairs.
extension JSONScanner {
    /// Parses a string starting at the opening quote at `pos`; leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        let quoteOffset = pos
        let start = pos + 1
        var i = start
        while i < count {
            // Eight bytes at a time, up to the first '"', '\\', control or non-ASCII byte, found exactly.
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
            if b == JSONScanner.backslash { return try parseEscapedString(quoteOffset: quoteOffset, firstEscape: i) }
            if b < 0x20 { throw controlCharacter(at: i, byte: b) }
            if b >= 0x80 {
                // Validate the whole run of multi-byte sequences here, so String(decoding:) never repairs.
                let end = UTF8Scanner.skipValidNonASCII(base, from: i, count: count)
                guard end > i else { throw invalidUTF8(at: i) }
                i = end
                continue
            }
            i += 1
        }
        guard i < count else { throw unterminatedString(quoteOffset) }
        try checkStringLength(i - start, quoteOffset: quoteOffset)
        pos = i + 1
        return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
    }

    /// The high bit of each byte of `x` (read little-endian, so the lowest bits are the first byte)
    /// that may be '"', '\\', below 0x20 or at least 0x80 (SWAR). The lowest one set is exact: no
    /// byte before the first of those borrows or sets a high bit, so only bytes after a match can
    /// be flagged by a borrow; `trailingZeroBitCount >> 3` is where the first one stands.
    @inline(__always)
    static func specialBytes(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = x ^ (ones &* 0x22)
        let slash = x ^ (ones &* 0x5C)
        return ((x &- ones &* 0x20) | (quote &- ones) | (slash &- ones) | x) & highs
    }

    mutating func parseEscapedString(quoteOffset: Int, firstEscape: Int) throws(JSONParseError) -> String {
        let start = quoteOffset + 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape - start))
        var i = firstEscape
        var runStart = i
        while true {
            guard i < count else { throw unterminatedString(quoteOffset) }
            let b = base[i]
            if b == JSONScanner.quote { break }
            if b < 0x20 { throw controlCharacter(at: i, byte: b) }
            if b >= 0x80 {
                let end = UTF8Scanner.skipValidNonASCII(base, from: i, count: count)
                guard end > i else { throw invalidUTF8(at: i) }
                i = end
                continue
            }
            if b != JSONScanner.backslash {
                i += 1
                continue
            }
            if runStart < i {
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            }
            guard i + 1 < count else { throw unterminatedString(quoteOffset) }
            let e = base[i + 1]
            switch e {
            case JSONScanner.quote: scratch.append(JSONScanner.quote); i += 2
            case JSONScanner.backslash: scratch.append(JSONScanner.backslash); i += 2
            case 0x2F: scratch.append(0x2F); i += 2
            case 0x62: scratch.append(0x08); i += 2
            case 0x66: scratch.append(0x0C); i += 2
            case 0x6E: scratch.append(0x0A); i += 2
            case 0x72: scratch.append(0x0D); i += 2
            case 0x74: scratch.append(0x09); i += 2
            case 0x75:  // u
                let unit = try hex4(at: i + 2, escapeOffset: i)
                var scalarValue = UInt32(unit)
                var next = i + 6
                if unit >= 0xD800 && unit <= 0xDBFF {
                    guard next + 1 < count, base[next] == JSONScanner.backslash, base[next + 1] == 0x75 else {
                        throw unpairedSurrogate(at: i, unit: unit)
                    }
                    let low = try hex4(at: next + 2, escapeOffset: next)
                    guard low >= 0xDC00 && low <= 0xDFFF else { throw unpairedSurrogate(at: i, unit: unit) }
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    next += 6
                } else if unit >= 0xDC00 && unit <= 0xDFFF {
                    throw unpairedSurrogate(at: i, unit: unit)
                }
                UTF8Scanner.append(scalarValue, to: &scratch)
                i = next
            default:
                let shown: String
                if e >= 0x21 && e <= 0x7E {
                    shown = "'\\\(Character(Unicode.Scalar(e)))'"
                } else {
                    shown = "a backslash followed by byte 0x\(String(e, radix: 16, uppercase: true))"
                }
                throw JSONParseError(
                    kind: .invalidEscape, offset: i,
                    message: "Invalid JSON at byte \(i): invalid escape sequence \(shown) (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
            runStart = i
        }
        if runStart < i {
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
        }
        try checkStringLength(i - start, quoteOffset: quoteOffset)
        pos = i + 1
        // Raw runs were validated while scanning and escapes encode valid scalars.
        return scratch.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    func hex4(at p: Int, escapeOffset: Int) throws(JSONParseError) -> UInt16 {
        guard p + 4 <= count else { throw badUnicodeEscape(escapeOffset) }
        var v: UInt16 = 0
        for k in 0..<4 {
            let h = base[p + k]
            let d: UInt8
            switch h {
            case 0x30...0x39: d = h - 0x30
            case 0x41...0x46: d = h - 0x41 + 10
            case 0x61...0x66: d = h - 0x61 + 10
            default: throw badUnicodeEscape(escapeOffset)
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    @inline(__always)
    func checkStringLength(_ length: Int, quoteOffset: Int) throws(JSONParseError) {
        if let maxBytes = limits.maxStringBytes, length > maxBytes {
            throw JSONParseError(
                kind: .stringTooLong, offset: quoteOffset,
                message: "Invalid JSON at byte \(quoteOffset): a string is longer than the limit of \(maxBytes) bytes")
        }
    }
}
