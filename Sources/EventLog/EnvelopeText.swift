import Foundation
import ShixiangDigest
import ShixiangJSON

/// The text forms the envelope is made of, written straight into byte arrays.
///
/// These run once per event on the committer thread (and per event in every read), where
/// Foundation's `uuidString` / `UUID(uuidString:)` (`snprintf` / `sscanf` underneath) and
/// building a sorted dictionary per envelope cost more than the hash and the LMDB puts together.
/// Each form is the same text the general path produces; tests compare the two.
public enum EnvelopeText {
    /// Appends the lowercase 8-4-4-4-12 form of `id`.
    public static func appendUUID(_ id: UUID, to out: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { raw in
            for (i, byte) in raw.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                out.append(Digest.hexDigit(byte >> 4))
                out.append(Digest.hexDigit(byte & 0x0f))
            }
        }
    }

    /// Parses the 8-4-4-4-12 hex form (either case), as `UUID(uuidString:)` does, without `sscanf`.
    public static func uuid<Bytes: Collection<UInt8>>(_ text: Bytes) -> UUID? where Bytes.Index == Int {
        guard text.count == 36 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        var n = 0
        var i = text.startIndex
        while i < text.endIndex {
            let offset = i - text.startIndex
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard text[i] == UInt8(ascii: "-") else { return nil }
                i += 1
                continue
            }
            guard let high = Digest.nibble(text[i]), let low = Digest.nibble(text[i + 1]) else { return nil }
            bytes[n] = high << 4 | low
            n += 1
            i += 2
        }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    public static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        appendDigits(value.magnitude, width: width, to: &out)
    }

    private static func appendDigits(_ value: UInt64, width: Int, to out: inout [UInt8]) {
        // At most 20 digits: written backwards into a buffer on the stack, then appended at once.
        guard width <= 24 else {
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - 24))
            return appendDigits(value, width: 24, to: &out)
        }
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var v = value
            var i = width - 1
            while i >= 0 {
                p[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
                i -= 1
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: width))
        }
    }

    /// Appends a non-negative integer in decimal.
    public static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var digits = 0
        var v = value
        while v > 0 { digits += 1; v /= 10 }
        appendDigits(value, width: digits, to: &out)
    }

    /// Appends `text` as a JSON string in the canonical form.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        // Canonical JSON escapes only control characters, quote and backslash (UTF-8 stays as it
        // is), so text without them is copied as it stands: the common case, Chinese included.
        // A native string's bytes are read where they lie (no copy, no uniqueness check).
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !hasByteToEscape(utf8) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain == true { return }
        if plain == nil, !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append(contentsOf: JSONValue.string(text).canonicalBytes())
    }

    /// Whether any byte is a control byte, a quote or a backslash (what canonical JSON escapes),
    /// looked for eight bytes at a time.
    static func hasByteToEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= bytes.count {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // Exact for any bytes: a byte below 0x20, or one that XORs to zero with '"' or '\\'.
            let below = (x &- ones &* 0x20) & ~x
            let quote = x ^ (ones &* 0x22), slash = x ^ (ones &* 0x5C)
            if (below | ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash)) & highs != 0 { return true }
            i += 8
        }
        while i < bytes.count {
            let b = base[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
    }
}

extension UUID {
    /// The lowercase 8-4-4-4-12 form, as stored in envelopes.
    public var lowercaseString: String {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        EnvelopeText.appendUUID(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses the 8-4-4-4-12 hex form (either case), like `init?(uuidString:)` but without `sscanf`.
    public init?(hexForm text: String) {
        var text = text
        guard let parsed = text.withUTF8({ EnvelopeText.uuid($0) }) else { return nil }
        self = parsed
    }
}
