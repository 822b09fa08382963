/// Decodes `Decodable` types from a `JSONValue` tree.
///
/// Contract: unknown members are ignored; a missing or `null` member gives `nil`
/// for optionals (`decodeIfPresent`); `.int` is accepted where a floating-point
/// type is wanted and an integral `.double` where an integer type is wanted;
/// integers are range-checked for every width; `Bool` and `String` are strict
/// (no conversion from numbers). Every failure — including `DecodingError`s
/// thrown by a type's own `init(from:)` — is reported as a `JSONDecodingError`
/// whose `path` locates the value, e.g. `evidence[0].sha256: expected a string, found a number`.
public struct JSONValueDecoder: Sendable {
    /// Contextual information passed to `init(from:)` implementations.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates a decoder.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Decodes a `T` from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONDecodingError) -> T {
        do {
            return try _JSONValueDecoderImpl(value: value, path: nil, userInfo: userInfo).unbox(value, as: T.self, path: nil)
        } catch let error as JSONDecodingError {
            throw error
        } catch let error as DecodingError {
            throw JSONDecodingError(error)
        } catch {
            throw JSONDecodingError(kind: .invalidValue, path: "", message: String(describing: error))
        }
    }
}

extension JSONDecodingError {
    /// Converts a standard `DecodingError` (thrown by hand-written `init(from:)`).
    init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(_, let c):
            self.init(kind: .typeMismatch, path: JSONCodingPath.render(c.codingPath), message: c.debugDescription)
        case .valueNotFound(_, let c):
            self.init(kind: .missingValue, path: JSONCodingPath.render(c.codingPath), message: c.debugDescription)
        case .keyNotFound(let key, let c):
            self.init(
                kind: .missingField, path: JSONCodingPath.render(c.codingPath + [key]),
                message: "required field is missing")
        case .dataCorrupted(let c):
            self.init(kind: .invalidValue, path: JSONCodingPath.render(c.codingPath), message: c.debugDescription)
        @unknown default:
            self.init(kind: .invalidValue, path: "", message: String(describing: error))
        }
    }
}

/// An immutable linked coding path, so that successful decoding does not build arrays.
final class _CodingPathNode {
    let parent: _CodingPathNode?
    let key: any CodingKey

    init(parent: _CodingPathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func keys(_ node: _CodingPathNode?) -> [any CodingKey] {
        var out: [any CodingKey] = []
        var n = node
        while let current = n {
            out.append(current.key)
            n = current.parent
        }
        return out.reversed()
    }
}

struct _JSONValueDecoderImpl: Decoder {
    let value: JSONValue
    let path: _CodingPathNode?
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    init(value: JSONValue, path: _CodingPathNode?, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.path = path
        self.sendableUserInfo = userInfo
    }

    var codingPath: [any CodingKey] { _CodingPathNode.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    func mismatch(_ expected: String, _ found: JSONValue, at path: _CodingPathNode?) -> JSONDecodingError {
        JSONDecodingError(
            kind: found.isNull ? .missingValue : .typeMismatch,
            path: JSONCodingPath.render(_CodingPathNode.keys(path)),
            message: "expected \(expected), found \(found.typeNameWithArticle)")
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch("an object", value, at: path) }
        return KeyedDecodingContainer(_KeyedDecoder<Key>(object: object, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw mismatch("an array", value, at: path) }
        return _UnkeyedDecoder(array: array, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        self
    }

    /// Decodes any `Decodable` from `v` located at `path`.
    func unbox<T: Decodable>(_ v: JSONValue, as type: T.Type, path: _CodingPathNode?) throws -> T {
        // Metatype identity checks are cheap; a conformance cast (`as? any _JSONScalar.Type`)
        // is not, so only the most common scalars get a shortcut. Every other type,
        // scalars included, goes through its own init(from:) and the containers above.
        if T.self == JSONValue.self, let same = v as? T { return same }
        if T.self == String.self, let r = try String._jsonUnbox(v, at: render(path)) as? T { return r }
        if T.self == Int.self, let r = try Int._jsonUnbox(v, at: render(path)) as? T { return r }
        if T.self == Int64.self, let r = try Int64._jsonUnbox(v, at: render(path)) as? T { return r }
        if T.self == Double.self, let r = try Double._jsonUnbox(v, at: render(path)) as? T { return r }
        if T.self == Bool.self, let r = try Bool._jsonUnbox(v, at: render(path)) as? T { return r }
        return try T(from: _JSONValueDecoderImpl(value: v, path: path, userInfo: sendableUserInfo))
    }

    private func render(_ path: _CodingPathNode?) -> String {
        JSONCodingPath.render(_CodingPathNode.keys(path))
    }
}

extension _JSONValueDecoderImpl: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool {
        try Bool._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: String.Type) throws -> String {
        try String._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Double.Type) throws -> Double {
        try Double._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Float.Type) throws -> Float {
        try Float._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Int.Type) throws -> Int {
        try Int._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Int8.Type) throws -> Int8 {
        try Int8._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Int16.Type) throws -> Int16 {
        try Int16._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Int32.Type) throws -> Int32 {
        try Int32._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: Int64.Type) throws -> Int64 {
        try Int64._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: UInt.Type) throws -> UInt {
        try UInt._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: UInt8.Type) throws -> UInt8 {
        try UInt8._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: UInt16.Type) throws -> UInt16 {
        try UInt16._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: UInt32.Type) throws -> UInt32 {
        try UInt32._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        try UInt64._jsonUnbox(value, at: JSONCodingPath.render(codingPath))
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try unbox(value, as: T.self, path: path)
    }
}
