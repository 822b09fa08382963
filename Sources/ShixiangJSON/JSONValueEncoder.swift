/// Encodes `Encodable` values into a `JSONValue` tree (no text involved).
///
/// Mapping: `Bool` → `.bool`; `String` → `.string`; signed integers and
/// unsigned integers ≤ `Int64.max` → `.int` (larger `UInt`/`UInt64` values throw
/// `EncodingError.invalidValue`); `Double` → `.double`; `Float` → `.double` of
/// its shortest decimal form (so `Float(0.1)` becomes `0.1`); non-finite
/// floating-point values throw; `nil` optionals → omitted by synthesized
/// `encodeIfPresent`, `.null` when encoded explicitly; `[String: T]` → `.object`;
/// a nested value that encodes nothing → `.object([:])`. `JSONValue` members are
/// embedded as they are. If a key is encoded twice, the last value wins.
public struct JSONValueEncoder: Sendable {
    /// Contextual information passed to `encode(to:)` implementations.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates an encoder.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Encodes `value` into a tree.
    /// - Throws: `EncodingError` for out-of-range integers, non-finite numbers,
    ///   a top-level value that encodes nothing, or any error thrown by `value`.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let node = _EncodingNode()
        try value.encode(to: _JSONValueEncoderImpl(node: node, codingPath: [], userInfo: userInfo))
        guard let result = node.finish(topLevel: true) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return result
    }
}

/// A member or element being encoded: a finished value, or a node still being filled.
enum _EncodingChild {
    case value(JSONValue)
    case node(_EncodingNode)

    func finish() -> JSONValue {
        switch self {
        case .value(let v): return v
        case .node(let n): return n.finish() ?? .object([:])
        }
    }
}

/// A mutable tree node; containers hold references so nested containers can
/// be filled in any order.
final class _EncodingNode {
    enum State {
        case empty
        case value(JSONValue)
        case array([_EncodingChild])
        case object([String: _EncodingChild])
    }

    var state: State = .empty

    init() {}

    /// Turns this node into an object if it is not one already (keeps existing members).
    func makeObject() {
        if case .object = state { return }
        state = .object([:])
    }

    func makeArray() {
        if case .array = state { return }
        state = .array([])
    }

    func set(_ child: _EncodingChild, forKey key: String) {
        makeObject()
        guard case .object(var members) = state else { return }
        state = .empty  // drop the reference so the dictionary is uniquely owned
        members[key] = child
        state = .object(members)
    }

    func append(_ child: _EncodingChild) {
        makeArray()
        guard case .array(var elements) = state else { return }
        state = .empty
        elements.append(child)
        state = .array(elements)
    }

    var arrayCount: Int {
        if case .array(let elements) = state { return elements.count }
        return 0
    }

    /// The finished value; `nil` if nothing was encoded.
    func finish(topLevel: Bool = false) -> JSONValue? {
        switch state {
        case .empty: return topLevel ? nil : .object([:])
        case .value(let v): return v
        case .array(let elements): return .array(elements.map { $0.finish() })
        case .object(let members): return .object(members.mapValues { $0.finish() })
        }
    }
}

struct _JSONValueEncoderImpl: Encoder {
    let node: _EncodingNode
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    init(node: _EncodingNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.node = node
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(_KeyedEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return _UnkeyedEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        _SingleValueEncoder(encoder: self)
    }

    func child(_ node: _EncodingNode, key: any CodingKey) -> _JSONValueEncoderImpl {
        _JSONValueEncoderImpl(node: node, codingPath: codingPath + [key], userInfo: sendableUserInfo)
    }

    /// Boxes any encodable value; `JSONValue` is embedded directly.
    func box<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]) throws -> _EncodingChild {
        if let json = value as? JSONValue { return .value(json) }
        let node = _EncodingNode()
        try value.encode(to: _JSONValueEncoderImpl(node: node, codingPath: path(), userInfo: sendableUserInfo))
        if case .value(let v) = node.state { return .value(v) }
        return .node(node)
    }
}

struct _KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: _JSONValueEncoderImpl
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.node.set(.value(.null), forKey: key.stringValue)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        encoder.node.set(.value(try value._jsonBoxed(at: codingPath + [key])), forKey: key.stringValue)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        encoder.node.set(try encoder.box(value, at: codingPath + [key]), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = _EncodingNode()
        encoder.node.set(.node(child), forKey: key.stringValue)
        return encoder.child(child, key: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = _EncodingNode()
        encoder.node.set(.node(child), forKey: key.stringValue)
        return encoder.child(child, key: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = _EncodingNode()
        encoder.node.set(.node(child), forKey: JSONCodingKey.super.stringValue)
        return encoder.child(child, key: JSONCodingKey.super)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = _EncodingNode()
        encoder.node.set(.node(child), forKey: key.stringValue)
        return encoder.child(child, key: key)
    }
}

struct _UnkeyedEncoder: UnkeyedEncodingContainer {
    let encoder: _JSONValueEncoderImpl
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.arrayCount }

    private var nextKey: JSONCodingKey { JSONCodingKey(index: count) }

    mutating func encodeNil() throws {
        encoder.node.append(.value(.null))
    }
    mutating func encode(_ value: Bool) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: String) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Double) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Float) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Int) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Int8) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Int16) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Int32) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: Int64) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: UInt) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: UInt8) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: UInt16) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: UInt32) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode(_ value: UInt64) throws {
        encoder.node.append(.value(try value._jsonBoxed(at: codingPath + [nextKey])))
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node.append(try encoder.box(value, at: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        let child = _EncodingNode()
        encoder.node.append(.node(child))
        return encoder.child(child, key: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        let child = _EncodingNode()
        encoder.node.append(.node(child))
        return encoder.child(child, key: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = nextKey
        let child = _EncodingNode()
        encoder.node.append(.node(child))
        return encoder.child(child, key: key)
    }
}

struct _SingleValueEncoder: SingleValueEncodingContainer {
    let encoder: _JSONValueEncoderImpl
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.node.state = .value(.null)
    }
    mutating func encode(_ value: Bool) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: String) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Double) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Float) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Int) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Int8) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Int16) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Int32) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: Int64) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: UInt) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: UInt8) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: UInt16) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: UInt32) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode(_ value: UInt64) throws {
        encoder.node.state = .value(try value._jsonBoxed(at: codingPath))
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        switch try encoder.box(value, at: codingPath) {
        case .value(let v): encoder.node.state = .value(v)
        case .node(let n): encoder.node.state = n.state
        }
    }
}
