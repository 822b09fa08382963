/// A closed (or mostly closed) table of codes with Chinese labels, such as 事项类型 or 行使层级.
///
/// Contract:
/// - `code` is the wire value. Numeric tables use their digit strings (`"01"`, `"4"`); the named
///   kinds (status, unit kind, adjustment kinds) use their lowerCamel English names (`"inUse"`).
/// - `init?(code:)` accepts exactly the strings `code` produces (no trimming, no case folding) and
///   returns `nil` for anything else.
/// - `label` is the Chinese label shown to clerks.
/// - `allCases` lists the standard values in table order. Tables with open extension ranges
///   (``ItemType``) list only their standard values there.
/// - Codable encodes the bare code string. Decoding an unknown code throws ``CodeTableError``,
///   whose message names the table and lists the valid codes.
public protocol CodeTable: Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible
where AllCases == [Self] {
    /// The table's name for messages, Chinese first: `"事项类型 (item type)"`.
    static var tableName: String { get }
    /// A human-readable list of the valid codes, used in error messages.
    /// Defaults to the codes of `allCases` joined by ", ".
    static var validCodesDescription: String { get }
    /// The wire value.
    var code: String { get }
    /// The Chinese label.
    var label: String { get }
    /// Creates the value for `code`, or returns `nil` when the code is not in the table.
    init?(code: String)
}

extension CodeTable {
    public static var validCodesDescription: String {
        allCases.map { "\($0.code) \($0.label)" }.joined(separator: ", ")
    }

    /// `"code label"`, e.g. `"01 行政许可"`.
    public var description: String { "\(code) \(label)" }

    /// The value as a `{code, label}` pair for outputs (JSON, CSV, reports).
    public var codeLabel: CodeLabel { CodeLabel(code: code, label: label) }

    /// All standard values as `{code, label}` pairs, in table order.
    public static var codeLabels: [CodeLabel] { allCases.map(\.codeLabel) }

    /// Parses `code`, throwing a ``CodeTableError`` that names the table and the valid codes.
    public static func parse(_ code: String) throws(CodeTableError) -> Self {
        guard let value = Self(code: code) else {
            throw CodeTableError(table: tableName, code: code, validCodes: validCodesDescription)
        }
        return value
    }

    /// Finds the standard value whose Chinese `label` equals `label` exactly, or `nil`.
    public static func value(forLabel label: String) -> Self? {
        allCases.first { $0.label == label }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        self = try Self.parse(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// A `{code, label}` pair for rendering code-table values in outputs.
public struct CodeLabel: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The wire code, e.g. `"01"`.
    public var code: String
    /// The Chinese label, e.g. `"行政许可"`.
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }

    public var description: String { "\(code) \(label)" }
}

/// An unknown code for a code table.
public struct CodeTableError: Error, CustomStringConvertible, Hashable, Sendable {
    /// The table's name, e.g. `"事项类型 (item type)"`.
    public var table: String
    /// The rejected code, as given.
    public var code: String
    /// The valid codes, as listed in the message.
    public var validCodes: String

    public init(table: String, code: String, validCodes: String) {
        self.table = table
        self.code = code
        self.validCodes = validCodes
    }

    public var description: String {
        "\(table): unknown code \"\(code)\"; valid codes are \(validCodes)"
    }
}
