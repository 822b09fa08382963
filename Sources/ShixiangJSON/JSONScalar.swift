/// Scalar Swift types that map directly onto a `JSONValue` without a nested
/// encoder/decoder. Internal plumbing for `JSONValueEncoder`/`JSONValueDecoder`.
protocol _JSONScalar {
    /// What the decoder expects, for messages: "a string", "an integer".
    static var _jsonExpected: String { get }
    /// Converts a JSON value, or throws a `JSONDecodingError` at `path`.
    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> Self
    /// Converts to a JSON value, or throws an `EncodingError` at `path`.
    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue
}

extension _JSONScalar {
    static func _mismatch(_ value: JSONValue, at path: String) -> JSONDecodingError {
        JSONDecodingError(
            kind: value.isNull ? .missingValue : .typeMismatch, path: path,
            message: "expected \(_jsonExpected), found \(value.typeNameWithArticle)")
    }
}

extension Bool: _JSONScalar {
    static var _jsonExpected: String { "a boolean" }
    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> Bool {
        if case .bool(let b) = value { return b }
        throw _mismatch(value, at: path())
    }
    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue { .bool(self) }
}

extension String: _JSONScalar {
    static var _jsonExpected: String { "a string" }
    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> String {
        if case .string(let s) = value { return s }
        throw _mismatch(value, at: path())
    }
    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue { .string(self) }
}

extension Double: _JSONScalar {
    static var _jsonExpected: String { "a number" }
    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw _mismatch(value, at: path())
        }
    }
    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard isFinite else {
            throw EncodingError.invalidValue(
                self, .init(codingPath: path(), debugDescription: "\(self) cannot be represented in JSON"))
        }
        return .double(self)
    }
}

extension Float: _JSONScalar {
    static var _jsonExpected: String { "a number" }
    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> Float {
        let d = try Double._jsonUnbox(value, at: path())
        let f = Float(d)
        guard f.isFinite else {
            throw JSONDecodingError(
                kind: .numberOutOfRange, path: path(), message: "the number \(d) is too large for Float")
        }
        return f
    }
    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard isFinite else {
            throw EncodingError.invalidValue(
                self, .init(codingPath: path(), debugDescription: "\(self) cannot be represented in JSON"))
        }
        // Use the shortest decimal form of the Float, so 0.1 stays 0.1.
        return .double(Double(description) ?? Double(self))
    }
}

/// Shared integer conversion: accepts `.int` and integral `.double`, range-checked.
protocol _JSONInteger: _JSONScalar, FixedWidthInteger {}

extension _JSONInteger {
    static var _jsonExpected: String { "an integer" }

    static func _jsonUnbox(_ value: JSONValue, at path: @autoclosure () -> String) throws(JSONDecodingError) -> Self {
        switch value {
        case .int(let i):
            if let r = Self(exactly: i) { return r }
            throw outOfRange("\(i)", at: path())
        case .double(let d):
            if let i = JSONValue.exactInt64(d) {
                if let r = Self(exactly: i) { return r }
            } else if d >= 9_223_372_036_854_775_808.0 && d < 18_446_744_073_709_551_616.0 {
                // Integral (every double this large is) and beyond Int64: only UInt64/UInt fit.
                if let r = Self(exactly: UInt64(d)) { return r }
            } else if d.isFinite && d.magnitude < 9_223_372_036_854_775_808.0 {
                throw JSONDecodingError(
                    kind: .typeMismatch, path: path(), message: "expected a whole number, found \(d)")
            }
            throw outOfRange("\(d)", at: path())
        default:
            throw _mismatch(value, at: path())
        }
    }

    private static func outOfRange(_ shown: String, at path: String) -> JSONDecodingError {
        JSONDecodingError(
            kind: .numberOutOfRange, path: path,
            message: "the number \(shown) is out of range (allowed \(Self.min) to \(Self.max))")
    }

    func _jsonBoxed(at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard let i = Int64(exactly: self) else {
            throw EncodingError.invalidValue(
                self, .init(codingPath: path(), debugDescription: "\(self) is larger than the largest JSON integer (\(Int64.max))"))
        }
        return .int(i)
    }
}

extension Int: _JSONInteger {}
extension Int8: _JSONInteger {}
extension Int16: _JSONInteger {}
extension Int32: _JSONInteger {}
extension Int64: _JSONInteger {}
extension UInt: _JSONInteger {}
extension UInt8: _JSONInteger {}
extension UInt16: _JSONInteger {}
extension UInt32: _JSONInteger {}
extension UInt64: _JSONInteger {}
