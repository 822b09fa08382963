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
        if T.self == JSONValue.self, let same = v as? T { return same }
        if let scalarType = T.self as? any _JSONScalar.Type {
            let scalar = try scalarType._jsonUnbox(v, at: JSONCodingPath.render(_CodingPathNode.keys(path)))
            if let typed = scalar as? T { return typed }
        }
        return try T(from: _JSONValueDecoderImpl(value: v, path: path, userInfo: sendableUserInfo))
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

struct _KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let decoder: _JSONValueDecoderImpl

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func node(_ key: Key) -> _CodingPathNode {
        _CodingPathNode(parent: decoder.path, key: key)
    }

    private func render(_ key: Key) -> String {
        JSONCodingPath.render(_CodingPathNode.keys(node(key)))
    }

    private func require(_ key: Key) throws(JSONDecodingError) -> JSONValue {
        guard let v = object[key.stringValue] else {
            throw JSONDecodingError(kind: .missingField, path: render(key), message: "required field is missing")
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { try require(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try Bool._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Bool._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try String._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try String._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try Double._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Double._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try Float._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Float._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try Int._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Int._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try Int8._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Int8._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try Int16._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Int16._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try Int32._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Int32._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try Int64._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try Int64._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try UInt._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try UInt._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try UInt8._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try UInt8._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try UInt16._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try UInt16._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try UInt32._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try UInt32._jsonUnbox(v, at: render(key))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try UInt64._jsonUnbox(require(key), at: render(key))
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try UInt64._jsonUnbox(v, at: render(key))
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(require(key), as: T.self, path: node(key))
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = object[key.stringValue], !v.isNull else { return nil }
        return try decoder.unbox(v, as: T.self, path: node(key))
    }

    private func childDecoder(_ key: Key) throws -> _JSONValueDecoderImpl {
        _JSONValueDecoderImpl(value: try require(key), path: node(key), userInfo: decoder.sendableUserInfo)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        _JSONValueDecoderImpl(
            value: object[JSONCodingKey.super.stringValue] ?? .null,
            path: _CodingPathNode(parent: decoder.path, key: JSONCodingKey.super),
            userInfo: decoder.sendableUserInfo)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        _JSONValueDecoderImpl(
            value: object[key.stringValue] ?? .null, path: node(key), userInfo: decoder.sendableUserInfo)
    }
}

struct _UnkeyedDecoder: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let decoder: _JSONValueDecoderImpl
    var currentIndex = 0

    init(array: [JSONValue], decoder: _JSONValueDecoderImpl) {
        self.array = array
        self.decoder = decoder
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private var currentNode: _CodingPathNode {
        _CodingPathNode(parent: decoder.path, key: JSONCodingKey(index: currentIndex))
    }

    private func renderCurrent() -> String {
        JSONCodingPath.render(_CodingPathNode.keys(currentNode))
    }

    private func current() throws(JSONDecodingError) -> JSONValue {
        guard currentIndex < array.count else {
            throw JSONDecodingError(
                kind: .missingValue, path: renderCurrent(),
                message: "the array ends too early (it has only \(array.count) elements)")
        }
        return array[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if try current().isNull {
            currentIndex += 1
            return true
        }
        return false
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let v = try current()
        let r = try Bool._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let v = try current()
        let r = try String._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let v = try current()
        let r = try Double._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let v = try current()
        let r = try Float._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        let v = try current()
        let r = try Int._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        let v = try current()
        let r = try Int8._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        let v = try current()
        let r = try Int16._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        let v = try current()
        let r = try Int32._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        let v = try current()
        let r = try Int64._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
        let v = try current()
        let r = try UInt._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        let v = try current()
        let r = try UInt8._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        let v = try current()
        let r = try UInt16._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        let v = try current()
        let r = try UInt32._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        let v = try current()
        let r = try UInt64._jsonUnbox(v, at: renderCurrent())
        currentIndex += 1
        return r
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try current()
        let r = try decoder.unbox(v, as: T.self, path: currentNode)
        currentIndex += 1
        return r
    }

    private mutating func childDecoder() throws -> _JSONValueDecoderImpl {
        let v = try current()
        let child = _JSONValueDecoderImpl(value: v, path: currentNode, userInfo: decoder.sendableUserInfo)
        currentIndex += 1
        return child
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try childDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try childDecoder()
    }
}
