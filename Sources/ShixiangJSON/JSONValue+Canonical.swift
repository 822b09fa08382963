/// Canonical JSON serialization — the byte form that is hashed into the event chain.
///
/// THESE RULES ARE FROZEN. Every byte of output is part of a SHA-256 hash chain;
/// changing any rule below breaks verification of existing chains. Rules:
///
/// 1. No whitespace anywhere (no spaces, no newlines, no trailing newline).
/// 2. `null`, `true`, `false` as literals.
/// 3. `.int`: plain decimal, `-` for negatives, no leading zeros, no `+`
///    (`0`, `-12`, `9223372036854775807`).
/// 4. `.double`:
///    a. if the value is integral and |x| < 2^53, it is written exactly like
///       the `.int` of the same value (`2.0` → `2`, `-0.0` → `0`), so that
///       `canonical(parse(canonical(v))) == canonical(v)`;
///    b. otherwise Swift's shortest round-trip `Double.description`
///       (`0.1`, `1e-07`, `1.5e+300`, `-2.5`, `5e-324`, `9.007199254740994e+15`;
///       the one integral value printed with `.0` is ±2^53: `9007199254740992.0`),
///       which is always valid JSON for finite values and parses back to the same
///       `.double`, so the fixed-point property holds;
///    c. NaN and ±infinity (which the parser never produces) are written as `null`.
/// 5. Strings: `"` + UTF-8 bytes + `"`. Only these are escaped:
///    `"` → `\"`, `\` → `\\`, U+0008 → `\b`, U+000C → `\f`, U+000A → `\n`,
///    U+000D → `\r`, U+0009 → `\t`, every other U+0000–U+001F → `\u00xx`
///    (lowercase hex). Everything else — `/`, U+007F, all non-ASCII including
///    U+2028/U+2029 — is written raw. No Unicode normalization is applied.
/// 6. Arrays: `[` elements joined by `,` `]`, in order.
/// 7. Objects: `{` `"key":value` pairs joined by `,` `}`, keys sorted by
///    unsigned lexicographic comparison of their UTF-8 bytes (a proper prefix
///    sorts first). This is NOT Swift's `String <` order.
///
/// Serialization recurses once per nesting level; values produced by the parser
/// are bounded by `JSONLimits.maxDepth`.
extension JSONValue {
    /// The canonical UTF-8 bytes of this value (see the rules at the top of this file).
    public func canonicalBytes() -> [UInt8] {
        var writer = ByteWriter()
        write(canonical: &writer)
        return writer.makeArray()
    }

    /// The canonical form as a `String` (same bytes as `canonicalBytes()`).
    public var canonicalString: String {
        var writer = ByteWriter()
        write(canonical: &writer)
        return writer.makeString()
    }

    /// Appends the canonical bytes of this value to `out`.
    public func writeCanonical(into out: inout [UInt8]) {
        var writer = ByteWriter()
        write(canonical: &writer)
        out.append(contentsOf: writer.bytes)
    }

    func write(canonical w: inout ByteWriter) {
        switch self {
        case .null:
            w.append("null")
        case .bool(let b):
            w.append(b ? "true" : "false")
        case .int(let i):
            Self.writeInt(i, to: &w)
        case .double(let d):
            Self.writeDouble(d, to: &w)
        case .string(let s):
            Self.writeString(s, to: &w)
        case .array(let a):
            w.append(0x5B)
            if !a.isEmpty {
                for element in a {
                    element.write(canonical: &w)
                    w.append(0x2C)
                }
                w.removeLast()
            }
            w.append(0x5D)
        case .object(let o):
            w.append(0x7B)
            if !o.isEmpty {
                Self.withSortedIndices(o) { indices in
                    for entry in indices {
                        let member = o[entry.index]
                        Self.writeString(member.key, to: &w)
                        w.append(0x3A)
                        member.value.write(canonical: &w)
                        w.append(0x2C)
                    }
                }
                w.removeLast()
            }
            w.append(0x7D)
        }
    }

    // MARK: - Building blocks (shared with the pretty printer)

    /// One object member prepared for sorting: the first 8 UTF-8 bytes of the key
    /// as a big-endian integer (zero-padded), so most comparisons are one integer compare.
    struct SortEntry {
        var prefix: UInt64
        var length: Int
        var index: Dictionary<String, JSONValue>.Index
    }

    /// Calls `body` with the indices of `o` ordered by the UTF-8 bytes of their keys.
    static func withSortedIndices<R>(
        _ o: [String: JSONValue], _ body: (UnsafeMutableBufferPointer<SortEntry>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: SortEntry.self, capacity: o.count) { buf in
            var n = 0
            var i = o.startIndex
            while i != o.endIndex && n < buf.count {
                let (prefix, length) = keyPrefix(o[i].key)
                buf.initializeElement(at: n, to: SortEntry(prefix: prefix, length: length, index: i))
                n += 1
                o.formIndex(after: &i)
            }
            var entries = UnsafeMutableBufferPointer(rebasing: buf[0..<n])
            @inline(__always)
            func less(_ a: SortEntry, _ b: SortEntry) -> Bool {
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                if a.length <= 8 || b.length <= 8 { return a.length < b.length }
                return utf8Less(o[a.index].key, o[b.index].key)
            }
            if n > 24 {
                entries.sort(by: less)
            } else if n > 1 {
                // Insertion sort: few comparisons and no allocation for typical small objects.
                for k in 1..<n {
                    let current = entries[k]
                    var j = k
                    while j > 0 && less(current, entries[j - 1]) {
                        entries[j] = entries[j - 1]
                        j -= 1
                    }
                    entries[j] = current
                }
            }
            let result = body(entries)
            _ = entries.deinitialize()
            return result
        }
    }

    /// The first 8 UTF-8 bytes of `key`, big-endian and zero-padded, and its UTF-8 length.
    @inline(__always)
    static func keyPrefix(_ key: String) -> (UInt64, Int) {
        func compute(_ p: UnsafeBufferPointer<UInt8>) -> (UInt64, Int) {
            var prefix: UInt64 = 0
            let m = min(p.count, 8)
            for k in 0..<8 {
                prefix = prefix << 8 | (k < m ? UInt64(p[k]) : 0)
            }
            return (prefix, p.count)
        }
        if let r = key.utf8.withContiguousStorageIfAvailable(compute) { return r }
        var copy = key
        return copy.withUTF8(compute)
    }

    /// Unsigned lexicographic comparison of UTF-8 bytes.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
                let n = min(pa.count, pb.count)
                var i = 0
                while i < n {
                    let x = pa[i]
                    let y = pb[i]
                    if x != y { return x < y }
                    i += 1
                }
                return pa.count < pb.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func writeInt(_ value: Int64, to w: inout ByteWriter) {
        withDecimalText(value) { text in w.append(text.baseAddress!, count: text.count) }
    }

    /// Appends the canonical text of integer `value` (as in ``canonicalBytes()``) to `out`.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        withDecimalText(value) { out.append(contentsOf: $0) }
    }

    /// Calls `body` with the decimal text of `value` (a `-` first if negative), written backwards
    /// into a small stack buffer.
    private static func withDecimalText<R>(_ value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            var magnitude = value.magnitude
            var k = 20
            repeat {
                k -= 1
                tmp[k] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                k -= 1
                tmp[k] = 0x2D
            }
            return body(UnsafeBufferPointer(rebasing: tmp[k..<20]))
        }
    }

    static func writeDouble(_ d: Double, to w: inout ByteWriter) {
        guard d.isFinite else {
            w.append("null")
            return
        }
        if d.magnitude < 9_007_199_254_740_992.0 {
            let i = Int64(d)
            if Double(i) == d {
                writeInt(i, to: &w)
                return
            }
        }
        var text = d.description
        text.withUTF8 { buf in
            if let p = buf.baseAddress { w.append(p, count: buf.count) }
        }
    }

    /// Writes `s` as a JSON string with the canonical escaping rules.
    static func writeString(_ s: String, to w: inout ByteWriter) {
        w.append(0x22)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { buf in
            writeEscaped(buf, to: &w)
        }
        if done == nil {
            var copy = s
            copy.withUTF8 { writeEscaped($0, to: &w) }
        }
        w.append(0x22)
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C
    }

    private static func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>, to w: inout ByteWriter) {
        guard let p = buf.baseAddress else { return }
        let n = buf.count
        var runStart = 0
        var i = 0
        while i < n {
            // Skip 8 plain bytes at a time: no byte < 0x20, no '"', no '\'.
            while i + 8 <= n {
                let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = x ^ (ones &* 0x22)
                let slash = x ^ (ones &* 0x5C)
                let special = ((x &- ones &* 0x20) & ~x)
                    | ((quote &- ones) & ~quote)
                    | ((slash &- ones) & ~slash)
                if special & highs != 0 { break }
                i += 8
            }
            if i >= n { break }
            let b = p[i]
            if !needsEscape(b) {
                i += 1
                continue
            }
            if runStart < i { w.append(p + runStart, count: i - runStart) }
            w.reserve(6)
            w.appendUnchecked(0x5C)
            switch b {
            case 0x22: w.appendUnchecked(0x22)
            case 0x5C: w.appendUnchecked(0x5C)
            case 0x08: w.appendUnchecked(0x62)
            case 0x0C: w.appendUnchecked(0x66)
            case 0x0A: w.appendUnchecked(0x6E)
            case 0x0D: w.appendUnchecked(0x72)
            case 0x09: w.appendUnchecked(0x74)
            default:
                let hex = hexDigits.utf8Start
                w.appendUnchecked(0x75)
                w.appendUnchecked(0x30)
                w.appendUnchecked(0x30)
                w.appendUnchecked(hex[Int(b >> 4)])
                w.appendUnchecked(hex[Int(b & 0x0F)])
            }
            i += 1
            runStart = i
        }
        if runStart < n { w.append(p + runStart, count: n - runStart) }
    }

    /// The canonical text of `key` with quotes, for messages.
    static func quotedForMessage(_ key: String) -> String {
        var w = ByteWriter(capacity: key.utf8.count + 8)
        writeString(key, to: &w)
        return w.makeString()
    }
}

extension JSONValue {
    /// Compact UTF-8 JSON for the wire. Currently identical to `canonicalBytes()`
    /// (sorted keys, no whitespace, never contains a raw line feed, so it is safe
    /// for newline-delimited protocols); callers must not rely on that identity.
    public func compactBytes() -> [UInt8] { canonicalBytes() }

    /// Compact JSON text for the wire (see `compactBytes()`).
    public var compactString: String { canonicalString }
}
