/// Why a `JSONValue` could not be decoded into a Swift type.
///
/// `path` locates the offending value, rendered like `evidence[0].sha256`
/// (empty for the top-level value); member names that are not simple
/// identifiers are rendered as `["odd key"]`. `description` is
/// `"<path>: <message>"`, e.g. `evidence[0].sha256: expected a string, found a number`
/// or `unit: required field is missing`.
public struct JSONDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem.
    public enum Kind: String, Sendable, Hashable {
        /// The value has the wrong JSON type (for example a number where a string is expected).
        case typeMismatch
        /// A required member is absent.
        case missingField
        /// A required value is `null` (or an array ran out of elements).
        case missingValue
        /// A number does not fit the target type (for example 300 for `UInt8`, 1.5 for `Int`).
        case numberOutOfRange
        /// The value is well-typed but invalid for the target (raised by the type's own `init(from:)`).
        case invalidValue
    }

    /// The category of the problem.
    public let kind: Kind
    /// Where the problem is, like `evidence[0].sha256`; empty for the top level.
    public let path: String
    /// A plain-language explanation without the path.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// `"<path>: <message>"`, or just the message at the top level.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Coding keys used by the encoder and decoder.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    /// True for array positions, rendered as `[n]` in paths.
    let isIndex: Bool

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
        self.isIndex = false
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
        self.isIndex = true
    }

    init(index: Int) { self.init(intValue: index) }

    static let `super` = JSONCodingKey(stringValue: "super")
}

enum JSONCodingPath {
    /// Renders a coding path as `a.b[0].c`.
    static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let own = key as? JSONCodingKey, own.isIndex, let i = own.intValue {
                out += "[\(i)]"
            } else if let i = key.intValue, key.stringValue == "Index \(i)" {
                out += "[\(i)]"
            } else if isIdentifier(key.stringValue) {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            } else {
                out += "[" + JSONValue.quotedForMessage(key.stringValue) + "]"
            }
        }
        return out
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for b in s.utf8 {
            let isAlnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if !(isAlnum || b == 0x5F || b == 0x2D || b == 0x24 || b >= 0x80) { return false }
        }
        return true
    }
}
