/// A JSON value as defined by RFC 8259.
///
/// Numbers are split in two cases: `.int` holds every integer literal that fits
/// in `Int64` (including `-0`, which becomes `.int(0)`); `.double` holds every
/// other finite number (fractions, exponents, integers too large for `Int64`).
///
/// Equality is structural and follows Swift's rules: `.int(1) != .double(1.0)`,
/// and `String`/dictionary-key comparison uses Unicode canonical equivalence.
/// Compare canonical bytes (`canonicalBytes()`) when byte identity matters.
///
/// Objects are unordered (`[String: JSONValue]`); serializers sort keys by
/// their UTF-8 bytes, so output never depends on hash order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

// MARK: - Convenience accessors

extension JSONValue {
    /// The member named `key` if this is an object that has it; otherwise `nil`.
    ///
    /// Setting a member of an object replaces it (`nil` removes it); setting on anything but an
    /// object does nothing.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // release the old storage so the dictionary is mutated in place
            o[key] = newValue
            self = .object(o)
        }
    }

    /// The element at `index` if this is an array and `index` is in bounds; otherwise `nil`.
    /// Never traps, whatever the index.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    /// The string if this is `.string`; otherwise `nil`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer if this is `.int`, or a `.double` whose value is integral and
    /// exactly representable as `Int64`; otherwise `nil`.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Self.exactInt64(d)
        default: return nil
        }
    }

    /// `d` as an `Int64` if it is integral and in range; otherwise `nil`.
    /// (Implemented without libm so the module links without Foundation.)
    static func exactInt64(_ d: Double) -> Int64? {
        guard d >= -9_223_372_036_854_775_808.0 && d < 9_223_372_036_854_775_808.0 else { return nil }
        let i = Int64(d)
        return Double(i) == d ? i : nil
    }

    /// The number as a `Double` if this is `.int` or `.double`; otherwise `nil`.
    /// Large `.int` values are rounded to the nearest `Double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The boolean if this is `.bool`; otherwise `nil`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements if this is `.array`; otherwise `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members if this is `.object`; otherwise `nil`.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// `true` only for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type name: `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"` or `"object"`.
    /// `.int` and `.double` are both `"number"`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The type name with an article, for messages: "a string", "an object", "null".
    var typeNameWithArticle: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Builds an object. If a key is repeated, the last value wins (no trap).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: - Description

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of this value (same bytes as `canonicalBytes()`).
    public var description: String { canonicalString }
}
