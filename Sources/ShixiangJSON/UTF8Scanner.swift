/// Strict UTF-8 helpers (RFC 3629): used for error offsets and for encoding `\u` escapes.
enum UTF8Scanner {
    /// Decodes one scalar at `offset`, or `nil` if the bytes there are not a valid,
    /// shortest-form UTF-8 sequence of a non-surrogate code point ≤ U+10FFFF.
    static func decode(_ p: UnsafePointer<UInt8>, at offset: Int, count: Int) -> (Unicode.Scalar, Int)? {
        guard offset < count else { return nil }
        let b0 = p[offset]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0: length = 3; lo = 0xA0; value = UInt32(b0 & 0x0F)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xED: length = 3; hi = 0x9F; value = UInt32(b0 & 0x0F)
        case 0xF0: length = 4; lo = 0x90; value = UInt32(b0 & 0x07)
        case 0xF1...0xF3: length = 4; value = UInt32(b0 & 0x07)
        case 0xF4: length = 4; hi = 0x8F; value = UInt32(b0 & 0x07)
        default: return nil
        }
        guard count - offset >= length else { return nil }
        for k in 1..<length {
            let b = p[offset + k]
            if k == 1 {
                guard b >= lo && b <= hi else { return nil }
            } else {
                guard b >= 0x80 && b <= 0xBF else { return nil }
            }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Length of the valid non-ASCII sequence starting at `offset` (lead byte ≥ 0x80), or `nil`.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, at offset: Int, count: Int) -> Int? {
        let b0 = p[offset]
        switch b0 {
        case 0xC2...0xDF:
            guard offset + 1 < count, p[offset + 1] & 0xC0 == 0x80 else { return nil }
            return 2
        case 0xE0...0xEF:
            guard offset + 2 < count else { return nil }
            let b1 = p[offset + 1]
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lo && b1 <= hi, p[offset + 2] & 0xC0 == 0x80 else { return nil }
            return 3
        case 0xF0...0xF4:
            guard offset + 3 < count else { return nil }
            let b1 = p[offset + 1]
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lo && b1 <= hi, p[offset + 2] & 0xC0 == 0x80, p[offset + 3] & 0xC0 == 0x80 else {
                return nil
            }
            return 4
        default:
            return nil
        }
    }

    /// Where the run of valid non-ASCII sequences starting at `start` ends: at the next ASCII
    /// byte, the end of the input, or the first invalid sequence (`start` itself if that is the
    /// first). Chinese text, three-byte sequences one after another, is checked two characters
    /// (six bytes) at a time.
    @inline(__always)
    static func skipValidNonASCII(_ p: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        var i = start
        while i < count {
            if p[i] < 0x80 { return i }
            if i + 8 <= count {
                // Byte k of the eight at bits 8k: two leads 1110xxxx, each followed by two 10xxxxxx.
                let x = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                if x & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0 {
                    // E0 and ED take a narrower second byte (no overlong form, no surrogate): checked below.
                    let lead0 = UInt8(truncatingIfNeeded: x), lead1 = UInt8(truncatingIfNeeded: x >> 24)
                    if lead0 != 0xE0, lead0 != 0xED, lead1 != 0xE0, lead1 != 0xED {
                        i += 6
                        continue
                    }
                }
            }
            guard let length = sequenceLength(p, at: i, count: count) else { return i }
            i += length
        }
        return i
    }

    /// Appends the UTF-8 encoding of `value` (a valid scalar value) to `out`.
    static func append(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (value >> 6)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (value >> 12)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (value >> 18)))
            out.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// "U+000A" style name of a code point.
    static func codePointName(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
