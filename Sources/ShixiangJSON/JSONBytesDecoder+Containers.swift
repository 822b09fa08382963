/// The keyed (object) container of `JSONBytesDecoder`: the object's members are found once,
/// with where each value starts; each value is decoded in place when asked for.
struct _BytesKeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: _BytesDecoderImpl
    private var members: [(name: JSONScanner.MemberName, value: Int)] = []

    init(decoder: _BytesDecoderImpl) throws(JSONParseError) {
        self.decoder = decoder
        var s = decoder.input.scanner(at: decoder.start, depth: decoder.depth)
        if decoder.depth >= s.limits.maxDepth { throw s.tooDeep() }
        s.outerDepth = decoder.depth + 1
        s.pos += 1  // {
        s.skipWhitespace()
        if s.pos < s.count && s.base[s.pos] == 0x7D { return }
        members.reserveCapacity(12)
        var ascending = true  // names in strictly increasing byte order so far (canonical JSON): no duplicate possible
        var afterComma = false
        while true {
            let keyOffset = s.pos
            let name = try s.scanMemberName(afterComma: afterComma)
            if ascending, let last = members.last, name.compare(last.name, in: s.base) != 1 { ascending = false }
            if !ascending, members.contains(where: { $0.name.same(name, in: s.base) }) {
                let key = Self.string(name, s.base)
                throw JSONParseError(kind: .duplicateKey, offset: keyOffset,
                                     message: "Invalid JSON: key \(JSONValue.quotedForMessage(key)) appears twice in the same object (byte \(keyOffset))",
                                     key: key)
            }
            members.append((name, s.pos))
            try s.skipValue()
            s.skipWhitespace()
            guard s.pos < s.count else { throw s.endError(expected: "',' or '}'") }
            let d = s.base[s.pos]
            s.pos += 1
            if d == 0x7D { return }
            guard d == 0x2C else { throw s.unexpected(at: s.pos - 1, expected: "',' or '}'") }
            s.skipWhitespace()
            afterComma = true
        }
    }

    static func string(_ name: JSONScanner.MemberName, _ base: UnsafePointer<UInt8>) -> String { name.string(in: base) }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.compactMap { Key(stringValue: Self.string($0.name, decoder.input.base)) } }

    /// Where the value of `key` starts, if the object has it.
    private func find(_ key: Key) -> Int? {
        var name = key.stringValue
        let base = decoder.input.base
        return name.withUTF8 { k in
            for m in members where m.name.equals(k, in: base) { return m.value }
            return nil
        }
    }

    private func node(_ key: Key) -> _CodingPathNode { _CodingPathNode(parent: decoder.path, key: key) }

    private func require(_ key: Key) throws(JSONDecodingError) -> Int {
        guard let at = find(key) else {
            throw JSONDecodingError(kind: .missingField, path: JSONCodingPath.render(_CodingPathNode.keys(node(key))), message: "required field is missing")
        }
        return at
    }

    private func scalar<T: _JSONScalar>(_ type: T.Type, _ key: Key) throws -> T {
        try T._jsonUnbox(decoder.scalar(at: require(key)), at: JSONCodingPath.render(_CodingPathNode.keys(node(key))))
    }

    private func scalarIfPresent<T: _JSONScalar>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let at = find(key), !decoder.isNull(at: at) else { return nil }
        return try T._jsonUnbox(decoder.scalar(at: at), at: JSONCodingPath.render(_CodingPathNode.keys(node(key))))
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(at: try require(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(Bool.self, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(String.self, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(Double.self, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(Float.self, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(Int.self, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(Int8.self, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(Int16.self, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(Int32.self, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(Int64.self, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(UInt.self, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(UInt8.self, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(UInt16.self, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(UInt32.self, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(UInt64.self, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try scalarIfPresent(Bool.self, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try scalarIfPresent(String.self, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalarIfPresent(Double.self, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try scalarIfPresent(Float.self, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalarIfPresent(Int.self, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try scalarIfPresent(Int8.self, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try scalarIfPresent(Int16.self, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try scalarIfPresent(Int32.self, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try scalarIfPresent(Int64.self, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try scalarIfPresent(UInt.self, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try scalarIfPresent(UInt8.self, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try scalarIfPresent(UInt16.self, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try scalarIfPresent(UInt32.self, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try scalarIfPresent(UInt64.self, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(T.self, at: require(key), depth: decoder.depth + 1, path: node(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let at = find(key), !decoder.isNull(at: at) else { return nil }
        return try decoder.unbox(T.self, at: at, depth: decoder.depth + 1, path: node(key))
    }

    private func nested(_ key: Key) throws -> _BytesDecoderImpl {
        _BytesDecoderImpl(input: decoder.input, start: try require(key), depth: decoder.depth + 1, path: node(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try nested(key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try nested(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONCodingKey(stringValue: "super")
        var name = "super"
        let at = name.withUTF8 { k in members.first { $0.name.equals(k, in: decoder.input.base) }?.value }
        guard let at else {
            throw JSONDecodingError(kind: .missingField, path: JSONCodingPath.render(codingPath + [key]), message: "required field is missing")
        }
        return _BytesDecoderImpl(input: decoder.input, start: at, depth: decoder.depth + 1, path: _CodingPathNode(parent: decoder.path, key: key))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try nested(key) }
}

/// The unkeyed (array) container of `JSONBytesDecoder`.
struct _BytesUnkeyedDecoder: UnkeyedDecodingContainer {
    let decoder: _BytesDecoderImpl
    private var starts: [Int] = []
    private(set) var currentIndex = 0

    init(decoder: _BytesDecoderImpl) throws(JSONParseError) {
        self.decoder = decoder
        var s = decoder.input.scanner(at: decoder.start, depth: decoder.depth)
        if decoder.depth >= s.limits.maxDepth { throw s.tooDeep() }
        s.outerDepth = decoder.depth + 1
        s.pos += 1  // [
        s.skipWhitespace()
        if s.pos < s.count && s.base[s.pos] == 0x5D { return }
        var afterComma = false
        while true {
            guard s.pos < s.count else { throw s.endError(expected: "a value") }
            if afterComma && s.base[s.pos] == 0x5D { throw s.valueStartError(0x5D, afterComma: true) }
            starts.append(s.pos)
            try s.skipValue()
            s.skipWhitespace()
            guard s.pos < s.count else { throw s.endError(expected: "',' or ']'") }
            let d = s.base[s.pos]
            s.pos += 1
            if d == 0x5D { return }
            guard d == 0x2C else { throw s.unexpected(at: s.pos - 1, expected: "',' or ']'") }
            s.skipWhitespace()
            afterComma = true
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { starts.count }
    var isAtEnd: Bool { currentIndex >= starts.count }

    private func node() -> _CodingPathNode { _CodingPathNode(parent: decoder.path, key: JSONCodingKey(index: currentIndex)) }

    private mutating func next() throws(JSONDecodingError) -> Int {
        guard currentIndex < starts.count else {
            throw JSONDecodingError(kind: .missingValue, path: JSONCodingPath.render(_CodingPathNode.keys(node())),
                                    message: "expected a value, but the array has only \(starts.count) elements")
        }
        return starts[currentIndex]
    }

    private mutating func scalar<T: _JSONScalar>(_ type: T.Type) throws -> T {
        let at = try next()
        let value = try T._jsonUnbox(decoder.scalar(at: at), at: JSONCodingPath.render(_CodingPathNode.keys(node())))
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        let at = try next()
        guard decoder.isNull(at: at) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(Bool.self) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(String.self) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(Double.self) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(Float.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar(Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar(UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(UInt64.self) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let at = try next()
        let value = try decoder.unbox(T.self, at: at, depth: decoder.depth + 1, path: node())
        currentIndex += 1
        return value
    }

    private mutating func nested() throws -> _BytesDecoderImpl {
        let at = try next()
        let d = _BytesDecoderImpl(input: decoder.input, start: at, depth: decoder.depth + 1, path: node())
        currentIndex += 1
        return d
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nested().container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nested().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try nested() }
}
