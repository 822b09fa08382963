/// A JSON value kept as its canonical bytes (``JSONValue/canonicalBytes()``): for values that are
/// carried whole from an event into a record and written out again unchanged (an adjustment's
/// changes, a filing's form), so that folding a log neither builds their trees nor sorts their
/// members again. ``value`` parses them when they are read.
///
/// Two are equal when their values are (canonical bytes are equal exactly then). As `Codable` it
/// is the value itself: `{"a":1}`, never the bytes.
public struct CanonicalJSON: Sendable, Equatable, Hashable {
    /// The value's canonical JSON.
    public let bytes: [UInt8]

    public init(_ value: JSONValue) {
        bytes = value.canonicalBytes()
    }

    /// Takes bytes that are known to be canonical JSON: a value stepped over and checked inside a
    /// canonical document (such as a stored event's data) is itself canonical.
    public init(canonicalBytes: [UInt8]) {
        bytes = canonicalBytes
    }

    /// The value (parsed from the bytes, which were checked when this was made).
    public var value: JSONValue {
        // The bytes are canonical JSON by construction; a failure here is a programming error.
        do { return try JSONValue.parse(bytes) } catch { preconditionFailure("CanonicalJSON holds bytes that do not parse: \(error)") }
    }

    /// Appends the canonical bytes to `out`.
    public func write(into out: inout [UInt8]) {
        out.append(contentsOf: bytes)
    }
}

extension CanonicalJSON: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

extension JSONReader {
    /// Reads any value as its bytes, which are canonical when the input is (a member of a stored event).
    public mutating func readCanonical() throws(JSONParseError) -> CanonicalJSON {
        let range = try valueRange()
        return CanonicalJSON(canonicalBytes: Array(UnsafeBufferPointer(start: s.base + range.lowerBound, count: range.count)))
    }
}
