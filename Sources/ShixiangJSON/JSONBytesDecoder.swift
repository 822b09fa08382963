/// Decodes `Decodable` types straight from JSON bytes, without building a `JSONValue` tree
/// (except for members whose type is `JSONValue` itself).
///
/// Same contract as ``JSONValueDecoder`` (unknown members ignored, `null` or missing gives `nil`
/// for optionals, the same number conversions and range checks, errors as `JSONDecodingError`
/// with a path), and the same syntax checks as ``JSONParser`` for every value it decodes or steps
/// over; a duplicate member name is found in every object it decodes (not inside values it only
/// steps over, as unknown members). Meant for bytes this program wrote itself (the log's stored
/// events, projection records), where it is several times faster than parse-then-decode;
/// requests from clients go through ``JSONParser`` and ``JSONValueDecoder``.
public struct JSONBytesDecoder: Sendable {
    public var limits: JSONLimits
    /// Whether the caller has already checked the whole input as one JSON value (for example a
    /// value a ``JSONReader`` stepped over), so the up-front pass is skipped. Whatever is decoded
    /// is still checked as it is read; only members no type asks for go unchecked.
    public var inputChecked: Bool

    public init(limits: JSONLimits = .default, inputChecked: Bool = false) {
        self.limits = limits
        self.inputChecked = inputChecked
    }

    /// Decodes a `T` from the whole of `bytes`. Throws `JSONParseError` for malformed JSON and
    /// `JSONDecodingError` when the JSON does not fit `T`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(kind: .emptyInput, offset: 0, message: "Invalid JSON: the input is empty (it contains only whitespace)")
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        var scanner = JSONScanner(base: base, count: bytes.count, limits: limits)
        scanner.skipWhitespace()
        let start = scanner.pos
        if start == scanner.count {
            throw JSONParseError(kind: .emptyInput, offset: 0, message: "Invalid JSON: the input is empty (it contains only whitespace)")
        }
        // The whole input is checked first (a cheap pass next to decoding), so malformed JSON is
        // refused as such, as the parser would, whatever the type would make of its start.
        if !inputChecked {
            try scanner.skipValue()
            scanner.skipWhitespace()
            if scanner.pos < scanner.count { throw scanner.trailingError() }
        }
        return try Self.decode(T.self, base: base, count: bytes.count, limits: limits, at: start, depth: 0)
    }

    /// Decodes a `T` from the value at `offset` of `base[0..<count]`.
    static func decode<T: Decodable>(_ type: T.Type, base: UnsafePointer<UInt8>, count: Int, limits: JSONLimits, at offset: Int, depth: Int) throws -> T {
        let impl = _BytesDecoderImpl(input: _BytesInput(base: base, count: count, limits: limits), start: offset, depth: depth, path: nil)
        do {
            return try impl.unbox(T.self, at: offset, depth: depth, path: nil)
        } catch let error as JSONDecodingError {
            throw error
        } catch let error as JSONParseError {
            throw error
        } catch let error as DecodingError {
            throw JSONDecodingError(error)
        }
    }
}

/// The input being decoded; valid only during one `decode` call.
struct _BytesInput {
    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: JSONLimits

    func scanner(at offset: Int, depth: Int) -> JSONScanner {
        var s = JSONScanner(base: base, count: count, limits: limits)
        s.pos = offset
        s.outerDepth = depth
        return s
    }
}

struct _BytesDecoderImpl: Decoder {
    let input: _BytesInput
    /// Where this decoder's value starts.
    let start: Int
    /// Containers open around it.
    let depth: Int
    let path: _CodingPathNode?

    var codingPath: [any CodingKey] { _CodingPathNode.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard input.base[start] == 0x7B else { throw try mismatch("an object") }
        return KeyedDecodingContainer(try _BytesKeyedDecoder<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard input.base[start] == 0x5B else { throw try mismatch("an array") }
        return try _BytesUnkeyedDecoder(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ expected: String) throws -> JSONDecodingError {
        let found = try scalar(at: start)
        return JSONDecodingError(kind: found.isNull ? .missingValue : .typeMismatch, path: JSONCodingPath.render(codingPath),
                                 message: "expected \(expected), found \(found.typeNameWithArticle)")
    }

    /// The value at `offset` if it is a scalar; an empty container of its kind otherwise (for messages).
    func scalar(at offset: Int) throws(JSONParseError) -> JSONValue {
        var s = input.scanner(at: offset, depth: depth)
        guard s.pos < s.count else { throw s.endError(expected: "a value") }
        switch s.base[s.pos] {
        case 0x7B: return .object([:])
        case 0x5B: return .array([])
        default: return try s.parseValue()
        }
    }

    /// Decodes any `Decodable` from the value at `offset`.
    func unbox<T: Decodable>(_ type: T.Type, at offset: Int, depth: Int, path: _CodingPathNode?) throws -> T {
        if T.self == JSONValue.self {
            var s = input.scanner(at: offset, depth: depth)
            return try s.parseValue() as! T
        }
        if T.self == String.self { return try String._jsonUnbox(scalar(at: offset), at: JSONCodingPath.render(_CodingPathNode.keys(path))) as! T }
        if T.self == Int.self { return try Int._jsonUnbox(scalar(at: offset), at: JSONCodingPath.render(_CodingPathNode.keys(path))) as! T }
        if T.self == Int64.self { return try Int64._jsonUnbox(scalar(at: offset), at: JSONCodingPath.render(_CodingPathNode.keys(path))) as! T }
        if T.self == Double.self { return try Double._jsonUnbox(scalar(at: offset), at: JSONCodingPath.render(_CodingPathNode.keys(path))) as! T }
        if T.self == Bool.self { return try Bool._jsonUnbox(scalar(at: offset), at: JSONCodingPath.render(_CodingPathNode.keys(path))) as! T }
        return try T(from: _BytesDecoderImpl(input: input, start: offset, depth: depth, path: path))
    }

    func isNull(at offset: Int) -> Bool { input.base[offset] == 0x6E }
}

extension _BytesDecoderImpl: SingleValueDecodingContainer {
    private func scalar<T: _JSONScalar>(_ type: T.Type) throws -> T {
        try T._jsonUnbox(scalar(at: start), at: JSONCodingPath.render(codingPath))
    }

    func decodeNil() -> Bool { isNull(at: start) }
    func decode(_ type: Bool.Type) throws -> Bool { try scalar(Bool.self) }
    func decode(_ type: String.Type) throws -> String { try scalar(String.self) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(T.self, at: start, depth: depth, path: path) }
}
