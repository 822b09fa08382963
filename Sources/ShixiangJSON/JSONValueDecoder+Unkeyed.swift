/// The unkeyed (array) container of `JSONValueDecoder`.
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
