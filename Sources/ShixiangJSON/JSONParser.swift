/// A strict RFC 8259 JSON parser.
///
/// Contract:
/// - Accepts exactly the RFC 8259 grammar over UTF-8 input: one value, optionally
///   surrounded by whitespace (space, tab, LF, CR). No BOM, comments, trailing
///   commas, single quotes, `NaN`/`Infinity`, leading `+`, leading zeros, `.5`, `1.`.
/// - Rejects invalid UTF-8 anywhere (overlong forms, UTF-8-encoded surrogates,
///   code points above U+10FFFF, truncated sequences), raw control characters in
///   strings, unpaired `\u` surrogate escapes, and duplicate member names.
/// - Integer literals that fit `Int64` become `.int` (`-0` becomes `.int(0)`);
///   every other number becomes `.double`; a number that overflows `Double`
///   fails with `.numberOutOfRange`.
/// - Never traps and never recurses: nesting is tracked on a heap stack and
///   limited by `JSONLimits.maxDepth`.
///
/// Duplicate-key detection uses Swift `String` equality, which is Unicode
/// canonical equivalence: `"é"` (U+00E9) and `"e\u{301}"` in one object are
/// reported as duplicates, because a `[String: JSONValue]` could not hold both.
public struct JSONParser: Sendable {
    /// The limits applied to every parse.
    public var limits: JSONLimits

    /// Creates a parser with the given limits.
    public init(limits: JSONLimits = .default) {
        self.limits = limits
    }

    /// Parses one JSON text from raw bytes. The buffer is only read during the call.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        if let maxInput = limits.maxInputBytes, bytes.count > maxInput {
            throw JSONParseError(
                kind: .inputTooLarge, offset: 0,
                message: "Invalid JSON: the input is larger than \(maxInput) bytes")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(kind: .emptyInput, offset: 0, message: "Invalid JSON: the input is empty")
        }
        var scanner = _JSONScanner(
            base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, limits: limits)
        return try scanner.parseDocument()
    }

    /// Parses one JSON text from a byte array.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { return .success(try parse(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses one JSON text from any byte collection (copies it if it is not contiguous).
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let contiguous: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buf in
            do throws(JSONParseError) { return .success(try parse(UnsafeRawBufferPointer(buf))) } catch {
                return .failure(error)
            }
        }
        if let contiguous { return try contiguous.get() }
        return try parse(Array(bytes))
    }

    /// Parses one JSON text from a string (its UTF-8 form).
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { buf in
            do throws(JSONParseError) { return .success(try parse(UnsafeRawBufferPointer(buf))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

extension JSONValue {
    /// Parses one strict RFC 8259 JSON text. See `JSONParser` for the exact contract.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        try JSONParser(limits: limits).parse(bytes)
    }

    /// Parses one strict RFC 8259 JSON text from a byte array.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        try JSONParser(limits: limits).parse(bytes)
    }

    /// Parses one strict RFC 8259 JSON text from any byte collection (may copy).
    public static func parse(
        _ bytes: some Collection<UInt8>, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        try JSONParser(limits: limits).parse(bytes)
    }

    /// Parses one strict RFC 8259 JSON text from a string.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        try JSONParser(limits: limits).parse(text)
    }
}

// MARK: - Scanner

private let _quote: UInt8 = 0x22
private let _backslash: UInt8 = 0x5C

/// One open array or object on the parser's heap stack.
private struct _Frame {
    var isObject: Bool
    /// Index in `values` of this container's first element.
    var valueStart: Int
    /// Index in `keys` of this object's first member name.
    var keyStart: Int
}

/// The parsing state over one contiguous input. Internal: use `JSONParser`.
struct _JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: JSONLimits
    var pos = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, limits: JSONLimits) {
        self.base = base
        self.count = count
        self.limits = limits
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let b = base[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if pos == count {
            throw JSONParseError(
                kind: .emptyInput, offset: 0, message: "Invalid JSON: the input is empty (it contains only whitespace)")
        }
        var frames: [_Frame] = []
        var values: [JSONValue] = []
        var keys: [String] = []
        var keyOffsets: [Int] = []
        var afterComma = false
        var current: JSONValue

        parseValue: while true {
            // Invariant: whitespace skipped; a value must start at `pos`.
            guard pos < count else {
                throw endError(expected: "a value")
            }
            let c = base[pos]
            switch c {
            case _quote:
                current = .string(try parseString())
            case 0x30...0x39, 0x2D:  // 0-9, '-'
                current = try parseNumber()
            case 0x7B:  // {
                if frames.count >= limits.maxDepth { throw tooDeep() }
                pos += 1
                skipWhitespace()
                if pos < count && base[pos] == 0x7D {
                    pos += 1
                    current = .object([:])
                } else {
                    frames.append(_Frame(isObject: true, valueStart: values.count, keyStart: keys.count))
                    try parseMemberName(keys: &keys, keyOffsets: &keyOffsets, afterComma: false)
                    afterComma = false
                    continue parseValue
                }
            case 0x5B:  // [
                if frames.count >= limits.maxDepth { throw tooDeep() }
                pos += 1
                skipWhitespace()
                if pos < count && base[pos] == 0x5D {
                    pos += 1
                    current = .array([])
                } else {
                    frames.append(_Frame(isObject: false, valueStart: values.count, keyStart: keys.count))
                    afterComma = false
                    continue parseValue
                }
            case 0x74:  // t
                try expectLiteral("true")
                current = .bool(true)
            case 0x66:  // f
                try expectLiteral("false")
                current = .bool(false)
            case 0x6E:  // n
                try expectLiteral("null")
                current = .null
            default:
                throw valueStartError(c, afterComma: afterComma)
            }

            // A complete value is in `current`: attach it to the enclosing containers,
            // closing as many as the input closes.
            while true {
                guard let top = frames.last else {
                    skipWhitespace()
                    if pos < count { throw trailingError() }
                    return current
                }
                values.append(current)
                skipWhitespace()
                guard pos < count else {
                    throw endError(expected: top.isObject ? "',' or '}'" : "',' or ']'")
                }
                let d = base[pos]
                if d == 0x2C {  // ,
                    pos += 1
                    skipWhitespace()
                    if top.isObject {
                        try parseMemberName(keys: &keys, keyOffsets: &keyOffsets, afterComma: true)
                        afterComma = false
                    } else {
                        afterComma = true
                    }
                    continue parseValue
                }
                if top.isObject {
                    guard d == 0x7D else { throw unexpected(at: pos, expected: "',' or '}'") }
                    pos += 1
                    current = try closeObject(top, values: &values, keys: &keys, keyOffsets: &keyOffsets)
                } else {
                    guard d == 0x5D else { throw unexpected(at: pos, expected: "',' or ']'") }
                    pos += 1
                    current = .array(Array(values[top.valueStart...]))
                    values.removeSubrange(top.valueStart...)
                }
                frames.removeLast()
            }
        }
    }

    /// Parses `"name"` then `:` and leaves `pos` at the start of the member value.
    private mutating func parseMemberName(
        keys: inout [String], keyOffsets: inout [Int], afterComma: Bool
    ) throws(JSONParseError) {
        guard pos < count else { throw endError(expected: "a member name in double quotes") }
        let c = base[pos]
        guard c == _quote else {
            if afterComma && c == 0x7D {
                throw JSONParseError(
                    kind: .trailingComma, offset: pos,
                    message: "Invalid JSON at byte \(pos): a comma must be followed by another member (trailing commas are not allowed)")
            }
            throw unexpected(at: pos, expected: "a member name in double quotes")
        }
        keyOffsets.append(pos)
        keys.append(try parseString())
        skipWhitespace()
        guard pos < count else { throw endError(expected: "':'") }
        guard base[pos] == 0x3A else { throw unexpected(at: pos, expected: "':'") }
        pos += 1
        skipWhitespace()
    }

    private func closeObject(
        _ frame: _Frame, values: inout [JSONValue], keys: inout [String], keyOffsets: inout [Int]
    ) throws(JSONParseError) -> JSONValue {
        let n = keys.count - frame.keyStart
        var dict = [String: JSONValue](minimumCapacity: n)
        var vi = frame.valueStart
        for ki in frame.keyStart..<keys.count {
            let key = keys[ki]
            if dict.updateValue(values[vi], forKey: key) != nil {
                let off = keyOffsets[ki]
                throw JSONParseError(
                    kind: .duplicateKey, offset: off,
                    message: "Invalid JSON: key \(Self.quoted(key)) appears twice in the same object (byte \(off))",
                    key: key)
            }
            vi += 1
        }
        keys.removeSubrange(frame.keyStart...)
        keyOffsets.removeSubrange(frame.keyStart...)
        values.removeSubrange(frame.valueStart...)
        return .object(dict)
    }

    // MARK: Literals

    private mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        if count - pos >= n {
            var i = 0
            while i < n && base[pos + i] == w[i] { i += 1 }
            if i == n {
                pos += n
                return
            }
        }
        throw invalidLiteral(expected: "\(word)")
    }

    private func invalidLiteral(expected: String?) -> JSONParseError {
        // Collect the offending word (letters only, at most 12) for the message.
        var end = pos
        while end < count && end - pos < 12 {
            let b = base[end] | 0x20
            if b >= 0x61 && b <= 0x7A { end += 1 } else { break }
        }
        let word = String(decoding: UnsafeBufferPointer(start: base + pos, count: max(end - pos, 1)), as: UTF8.self)
        let hint: String
        if let expected {
            hint = " (did you mean \(expected)?)"
        } else {
            hint = " (NaN and Infinity are not allowed in JSON)"
        }
        return JSONParseError(
            kind: .invalidLiteral, offset: pos,
            message: "Invalid JSON at byte \(pos): '\(word)' is not a valid value\(hint)")
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote at `pos`; leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        let quoteOffset = pos
        let start = pos + 1
        var i = start
        while i < count {
            let b = base[i]
            if b == _quote { break }
            if b == _backslash { return try parseEscapedString(quoteOffset: quoteOffset, firstEscape: i) }
            if b < 0x20 { throw controlCharacter(at: i, byte: b) }
            i += 1
        }
        guard i < count else { throw unterminatedString(quoteOffset) }
        try checkStringLength(i - start, quoteOffset: quoteOffset)
        let slice = UnsafeBufferPointer(start: base + start, count: i - start)
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw invalidUTF8(at: UTF8Scanner.firstInvalid(base, from: start, to: i) ?? start)
        }
        pos = i + 1
        return s
    }

    private mutating func parseEscapedString(quoteOffset: Int, firstEscape: Int) throws(JSONParseError) -> String {
        let start = quoteOffset + 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape - start))
        var i = firstEscape
        var runStart = i
        while true {
            guard i < count else { throw unterminatedString(quoteOffset) }
            let b = base[i]
            if b == _quote { break }
            if b < 0x20 { throw controlCharacter(at: i, byte: b) }
            if b != _backslash {
                i += 1
                continue
            }
            if runStart < i {
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            }
            guard i + 1 < count else { throw unterminatedString(quoteOffset) }
            let e = base[i + 1]
            switch e {
            case _quote: scratch.append(_quote); i += 2
            case _backslash: scratch.append(_backslash); i += 2
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
                    guard next + 1 < count, base[next] == _backslash, base[next + 1] == 0x75 else {
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
        let end = i
        let s: String? = scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        guard let s else {
            throw invalidUTF8(at: UTF8Scanner.firstInvalid(base, from: start, to: end) ?? start)
        }
        pos = end + 1
        return s
    }

    private func hex4(at p: Int, escapeOffset: Int) throws(JSONParseError) -> UInt16 {
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
    private func checkStringLength(_ length: Int, quoteOffset: Int) throws(JSONParseError) {
        if let maxBytes = limits.maxStringBytes, length > maxBytes {
            throw JSONParseError(
                kind: .stringTooLong, offset: quoteOffset,
                message: "Invalid JSON at byte \(quoteOffset): a string is longer than the limit of \(maxBytes) bytes")
        }
    }

    // MARK: Numbers

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var i = pos
        var negative = false
        if base[i] == 0x2D {
            negative = true
            i += 1
        }
        guard i < count else {
            throw JSONParseError(
                kind: .invalidNumber, offset: start,
                message: "Invalid JSON at byte \(start): a '-' must be followed by digits")
        }
        var mantissa: UInt64 = 0
        var overflow = false  // more significant digits than fit in `mantissa`
        var droppedDigits = 0  // integer digits not accumulated because of overflow
        let first = base[i]
        if first == 0x30 {
            i += 1
            if i < count && base[i] &- 0x30 < 10 {
                throw JSONParseError(
                    kind: .leadingZero, offset: start,
                    message: "Invalid JSON at byte \(start): numbers must not start with a superfluous zero (like 01)")
            }
        } else if first &- 0x31 < 9 {
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if !overflow {
                    let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                    let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
                    if o1 || o2 { overflow = true; droppedDigits += 1 } else { mantissa = m2 }
                } else {
                    droppedDigits += 1
                }
                i += 1
            }
        } else {
            throw JSONParseError(
                kind: .invalidNumber, offset: i,
                message: "Invalid JSON at byte \(i): a '-' must be followed by digits")
        }
        var isInteger = true
        var fractionDigits = 0
        if i < count && base[i] == 0x2E {  // .
            isInteger = false
            i += 1
            guard i < count, base[i] &- 0x30 < 10 else {
                throw JSONParseError(
                    kind: .invalidNumber, offset: i,
                    message: "Invalid JSON at byte \(i): a decimal point must be followed by digits (write 1.0, not 1.)")
            }
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if !overflow {
                    let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                    let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
                    if o1 || o2 { overflow = true } else { mantissa = m2; fractionDigits += 1 }
                }
                i += 1
            }
        }
        var exponent = 0
        if i < count && (base[i] | 0x20) == 0x65 {  // e or E
            isInteger = false
            i += 1
            var expNegative = false
            if i < count && (base[i] == 0x2B || base[i] == 0x2D) {
                expNegative = base[i] == 0x2D
                i += 1
            }
            guard i < count, base[i] &- 0x30 < 10 else {
                throw JSONParseError(
                    kind: .invalidNumber, offset: i,
                    message: "Invalid JSON at byte \(i): an exponent ('e') must be followed by digits")
            }
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if exponent < 100_000_000 { exponent = exponent * 10 + Int(d) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        pos = i

        if isInteger && !overflow {
            if negative {
                if mantissa <= UInt64(Int64.max) { return .int(-Int64(mantissa)) }
                if mantissa == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
        if !overflow && mantissa <= (1 << 53) {
            let e10 = exponent - fractionDigits
            if e10 >= -22 && e10 <= 22 {
                var d = Double(mantissa)
                if e10 < 0 { d /= Self.exactPowersOfTen[-e10] } else { d *= Self.exactPowersOfTen[e10] }
                return .double(negative ? -d : d)
            }
        }
        _ = droppedDigits
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw JSONParseError(
                kind: .numberOutOfRange, offset: start,
                message: "Invalid JSON at byte \(start): number out of range (too large to represent)")
        }
        return .double(d)
    }

    // MARK: Errors

    private func endError(expected: String) -> JSONParseError {
        JSONParseError(
            kind: .unexpectedEndOfInput, offset: count,
            message: "Invalid JSON at byte \(count): the text ended too early (expected \(expected))")
    }

    private func unterminatedString(_ quoteOffset: Int) -> JSONParseError {
        JSONParseError(
            kind: .unexpectedEndOfInput, offset: count,
            message: "Invalid JSON at byte \(count): the text ended inside a string that started at byte \(quoteOffset) (missing closing '\"')")
    }

    private func tooDeep() -> JSONParseError {
        JSONParseError(
            kind: .tooDeep, offset: pos,
            message: "Invalid JSON: nested more than \(limits.maxDepth) levels deep (byte \(pos))")
    }

    private func invalidUTF8(at offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .invalidUTF8, offset: offset,
            message: "Invalid JSON: the text is not valid UTF-8 (byte \(offset))")
    }

    private func controlCharacter(at offset: Int, byte: UInt8) -> JSONParseError {
        JSONParseError(
            kind: .controlCharacterInString, offset: offset,
            message: "Invalid JSON at byte \(offset): control character \(UTF8Scanner.codePointName(UInt32(byte))) must be written as an escape (like \\n) inside a string")
    }

    private func badUnicodeEscape(_ offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .invalidUnicodeEscape, offset: offset,
            message: "Invalid JSON at byte \(offset): \\u must be followed by exactly 4 hexadecimal digits")
    }

    private func unpairedSurrogate(at offset: Int, unit: UInt16) -> JSONParseError {
        let hex = String(unit, radix: 16, uppercase: true)
        return JSONParseError(
            kind: .unpairedSurrogate, offset: offset,
            message: "Invalid JSON at byte \(offset): \\u\(hex) is half of a surrogate pair without its other half")
    }

    private func trailingError() -> JSONParseError {
        let c = base[pos]
        if c >= 0x80, UTF8Scanner.decode(base, at: pos, count: count) == nil { return invalidUTF8(at: pos) }
        if c == 0x2F { return commentError(at: pos) }
        return JSONParseError(
            kind: .trailingCharacters, offset: pos,
            message: "Invalid JSON at byte \(pos): unexpected \(describe(at: pos)) after the end of the JSON value")
    }

    private func commentError(at offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .comment, offset: offset,
            message: "Invalid JSON at byte \(offset): comments are not allowed in JSON")
    }

    private func valueStartError(_ c: UInt8, afterComma: Bool) -> JSONParseError {
        if afterComma && (c == 0x5D || c == 0x7D) {
            return JSONParseError(
                kind: .trailingComma, offset: pos,
                message: "Invalid JSON at byte \(pos): a comma must be followed by another value (trailing commas are not allowed)")
        }
        switch c {
        case 0x2B:
            return JSONParseError(
                kind: .invalidNumber, offset: pos,
                message: "Invalid JSON at byte \(pos): numbers must not start with '+'")
        case 0x2E:
            return JSONParseError(
                kind: .invalidNumber, offset: pos,
                message: "Invalid JSON at byte \(pos): numbers must start with a digit (write 0.5, not .5)")
        case 0x4E, 0x49:  // N, I
            return invalidLiteral(expected: nil)
        case 0x27:
            return JSONParseError(
                kind: .unexpectedCharacter, offset: pos,
                message: "Invalid JSON at byte \(pos): unexpected character \"'\" (strings must use double quotes)")
        default:
            return unexpected(at: pos, expected: "a value")
        }
    }

    private func unexpected(at offset: Int, expected: String) -> JSONParseError {
        let c = base[offset]
        if c >= 0x80, UTF8Scanner.decode(base, at: offset, count: count) == nil { return invalidUTF8(at: offset) }
        if c == 0x2F { return commentError(at: offset) }
        return JSONParseError(
            kind: .unexpectedCharacter, offset: offset,
            message: "Invalid JSON at byte \(offset): unexpected \(describe(at: offset)) (expected \(expected))")
    }

    /// "character 'x'", "character '中'" or "control character U+0001".
    private func describe(at offset: Int) -> String {
        let c = base[offset]
        if c >= 0x21 && c <= 0x7E { return "character '\(Character(Unicode.Scalar(c)))'" }
        if c < 0x80 { return "control character \(UTF8Scanner.codePointName(UInt32(c)))" }
        if let (scalar, _) = UTF8Scanner.decode(base, at: offset, count: count) {
            return "character '\(Character(scalar))' (\(UTF8Scanner.codePointName(scalar.value)))"
        }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    static func quoted(_ key: String) -> String {
        var out: [UInt8] = []
        JSONValue.writeCanonicalString(key, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
