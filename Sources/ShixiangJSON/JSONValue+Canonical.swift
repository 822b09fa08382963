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
///       (`0.1`, `1e-07`, `1.5e+300`, `9.007199254740992e+15`), which is
///       always valid JSON for finite values;
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
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeCanonical(into: &out)
        return out
    }

    /// The canonical form as a `String` (same bytes as `canonicalBytes()`).
    public var canonicalString: String {
        String(decoding: canonicalBytes(), as: UTF8.self)
    }

    /// Appends the canonical bytes of this value to `out`.
    public func writeCanonical(into out: inout [UInt8]) {
        switch self {
        case .null:
            Self.appendLiteral("null", to: &out)
        case .bool(let b):
            Self.appendLiteral(b ? "true" : "false", to: &out)
        case .int(let i):
            Self.writeInt(i, into: &out)
        case .double(let d):
            Self.writeDouble(d, into: &out)
        case .string(let s):
            Self.writeCanonicalString(s, into: &out)
        case .array(let a):
            out.append(0x5B)
            var first = true
            for element in a {
                if !first { out.append(0x2C) }
                first = false
                element.writeCanonical(into: &out)
            }
            out.append(0x5D)
        case .object(let o):
            out.append(0x7B)
            var first = true
            for (key, value) in Self.sortedMembers(o) {
                if !first { out.append(0x2C) }
                first = false
                Self.writeCanonicalString(key, into: &out)
                out.append(0x3A)
                value.writeCanonical(into: &out)
            }
            out.append(0x7D)
        }
    }

    // MARK: - Building blocks (shared with the pretty printer)

    @inline(__always)
    static func appendLiteral(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Members sorted by the UTF-8 bytes of their keys.
    static func sortedMembers(_ o: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        var members = Array(o)
        if members.count > 1 {
            members.sort { utf8Less($0.key, $1.key) }
        }
        return members
    }

    /// Unsigned lexicographic comparison of UTF-8 bytes.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
                let n = min(pa.count, pb.count)
                if n > 0, let ba = pa.baseAddress, let bb = pb.baseAddress {
                    let c = memcmpBytes(ba, bb, n)
                    if c != 0 { return c < 0 }
                }
                return pa.count < pb.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    @inline(__always)
    private static func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        while i < n {
            let x = a[i]
            let y = b[i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return 0
    }

    static func writeInt(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(0x30 + UInt8(magnitude))
            return
        }
        let start = out.count
        while magnitude > 0 {
            out.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        }
        out[start...].reverse()
    }

    static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            appendLiteral("null", to: &out)
            return
        }
        if d.magnitude < 9_007_199_254_740_992.0, d == d.rounded(.towardZero) {
            writeInt(Int64(d), into: &out)
            return
        }
        out.append(contentsOf: d.description.utf8)
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Writes `s` as a JSON string with the canonical escaping rules.
    static func writeCanonicalString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { buf in
            writeEscaped(buf, into: &out)
        }
        if done == nil {
            var copy = s
            copy.withUTF8 { writeEscaped($0, into: &out) }
        }
        out.append(0x22)
    }

    private static func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard let p = buf.baseAddress else { return }
        let n = buf.count
        var runStart = 0
        var i = 0
        while i < n {
            let b = p[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart)) }
            out.append(0x5C)
            switch b {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x08: out.append(0x62)
            case 0x0C: out.append(0x66)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            default:
                let hex = hexDigits.utf8Start
                out.append(0x75)
                out.append(0x30)
                out.append(0x30)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
            i += 1
            runStart = i
        }
        if runStart < n { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: n - runStart)) }
    }
}

extension JSONValue {
    /// Compact UTF-8 JSON for the wire. Currently identical to `canonicalBytes()`
    /// (sorted keys, no whitespace); callers must not rely on that identity.
    public func compactBytes() -> [UInt8] { canonicalBytes() }

    /// Compact JSON text for the wire (see `compactBytes()`).
    public var compactString: String { canonicalString }
}
