import ShixiangJSON

/// The members of a plain JSON-RPC request line, found without parsing it into objects: for the
/// server's hottest methods, where building a dictionary for `{"jsonrpc","id","method"}` costs
/// more than answering.
///
/// It accepts only the common, unambiguous shape: one JSON object with members `jsonrpc` (exactly
/// `"2.0"`), `method` (a string of printable ASCII without escapes), optionally `id` (an integer
/// that fits 64 bits, or such a string) and `params` (any object or array, located here and parsed
/// strictly by the caller), each at most once, with JSON whitespace between tokens. Anything else
/// (batches, escapes, odd ids, unknown or repeated members, malformed text) gives `nil`, and the
/// line goes to the general parser, which answers exactly as the protocol says. So whatever
/// ``scan(_:)`` accepts, ``RPCRequest/validate(_:)`` would accept with the same meaning.
public struct RequestHead: Sendable, Equatable {
    /// `nil` for a notification.
    public var id: JSONValue?
    public var method: String
    /// Where the `params` value lies in the line (an object or array, not yet checked), if present.
    public var params: Range<Int>?

    public static func scan(_ line: UnsafeRawBufferPointer) -> RequestHead? {
        var s = Scanner(bytes: line)
        s.skipSpace()
        guard s.take(UInt8(ascii: "{")) else { return nil }
        var id: JSONValue?
        var method: String?
        var params: Range<Int>?
        var sawVersion = false
        var first = true
        while true {
            s.skipSpace()
            if first && s.take(UInt8(ascii: "}")) { return nil }  // `{}`: invalid, the parser says why
            first = false
            // Member names and the version are compared where they lie: no strings are made for them.
            guard let key = s.plainSpan() else { return nil }
            s.skipSpace()
            guard s.take(UInt8(ascii: ":")) else { return nil }
            s.skipSpace()
            if s.spells(key, "jsonrpc") {
                guard !sawVersion, let version = s.plainSpan(), s.spells(version, "2.0") else { return nil }
                sawVersion = true
            } else if s.spells(key, "method") {
                guard method == nil, let m = s.plainString() else { return nil }
                method = m
            } else if s.spells(key, "id") {
                guard id == nil else { return nil }
                if let text = s.plainString() {
                    id = .string(text)
                } else if let n = s.integer() {
                    id = .int(n)
                } else {
                    return nil
                }
            } else if s.spells(key, "params") {
                guard params == nil, let span = s.container() else { return nil }
                params = span
            } else {
                return nil
            }
            s.skipSpace()
            if s.take(UInt8(ascii: ",")) { continue }
            guard s.take(UInt8(ascii: "}")) else { return nil }
            s.skipSpace()
            guard s.atEnd, sawVersion, let method else { return nil }
            return RequestHead(id: id, method: method, params: params)
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var pos = 0

        var atEnd: Bool { pos == bytes.count }

        mutating func skipSpace() {
            while pos < bytes.count {
                let b = bytes[pos]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                pos += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard pos < bytes.count, bytes[pos] == byte else { return false }
            pos += 1
            return true
        }

        /// A string of printable ASCII without escapes; nil (position unchanged) otherwise.
        mutating func plainString() -> String? {
            guard let span = plainSpan() else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[span]), as: UTF8.self)
        }

        /// Where the content of a string of printable ASCII without escapes lies (between its
        /// quotes); nil (position unchanged) for any other value.
        mutating func plainSpan() -> Range<Int>? {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { return nil }
            var end = pos + 1
            while end < bytes.count {
                let b = bytes[end]
                if b == UInt8(ascii: "\"") { break }
                guard b >= 0x20, b < 0x7F, b != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            defer { pos = end + 1 }
            return (pos + 1)..<end
        }

        /// Whether the bytes of `span` are exactly `literal`.
        func spells(_ span: Range<Int>, _ literal: StaticString) -> Bool {
            guard span.count == literal.utf8CodeUnitCount else { return false }
            let text = literal.utf8Start
            for i in 0..<span.count where bytes[span.lowerBound + i] != text[i] { return false }
            return true
        }

        /// An integer in JSON's grammar (no fraction or exponent) that fits `Int64`.
        mutating func integer() -> Int64? {
            var i = pos
            let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            let digitsStart = i
            var value: Int64 = 0
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                let digit = Int64(bytes[i] - UInt8(ascii: "0"))
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                value = next
                i += 1
            }
            let digits = i - digitsStart
            guard digits > 0, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
            if negative && value == 0 { return nil }  // "-0" is a double to the parser; let it decide
            pos = i
            return value
        }

        /// The span of an object or array value, skipping strings (and their escapes) to find its
        /// matching close; its content is not checked here.
        mutating func container() -> Range<Int>? {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") || bytes[pos] == UInt8(ascii: "[") else { return nil }
            let start = pos
            var depth = 0
            var i = pos
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    i += 1
                    while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
                        i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard i < bytes.count else { return nil }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        pos = i + 1
                        return start..<pos
                    }
                default:
                    break
                }
                i += 1
            }
            return nil
        }
    }
}
