/// The keyed (object) container of `JSONValueDecoder`.
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
