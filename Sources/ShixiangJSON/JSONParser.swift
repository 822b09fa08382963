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
        var scanner = JSONScanner(
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
