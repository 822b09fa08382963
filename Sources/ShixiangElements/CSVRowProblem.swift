/// A problem with one cell, row or header of an imported spreadsheet (CSV).
///
/// `line` is the 1-based physical line where the record starts in the source (the header is
/// line 1); `column` is the column header the problem is about, nil when it concerns the
/// whole record or file; `rule` is a stable identifier — an ``ElementRule`` raw value for
/// element findings, otherwise a ``CSVRule`` raw value.
public struct CSVRowProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How serious a problem is.
    public enum Severity: String, Hashable, Sendable, Codable {
        /// The record is not imported.
        case error
        /// The record is imported; the clerk should look (e.g. a credit code failing its check).
        case warning
    }

    /// 1-based source line.
    public var line: Int
    /// The column header, or nil.
    public var column: String?
    /// Stable rule identifier.
    public var rule: String
    /// A sentence a clerk understands.
    public var message: String
    /// Error or warning.
    public var severity: Severity

    public init(line: Int, column: String?, rule: String, message: String, severity: Severity = .error) {
        self.line = line
        self.column = column
        self.rule = rule
        self.message = message
        self.severity = severity
    }

    init(line: Int, column: String?, _ rule: CSVRule, _ message: String, severity: Severity = .error) {
        self.init(line: line, column: column, rule: rule.rawValue, message: message, severity: severity)
    }

    /// `"line 3, 事项类型: message [rule]"`.
    public var description: String {
        let place = column.map { "line \(line), \($0)" } ?? "line \(line)"
        let mark = severity == .warning ? " (warning)" : ""
        return "\(place): \(message) [\(rule)]\(mark)"
    }
}

/// Rule identifiers of spreadsheet-level problems (element problems use ``ElementRule``).
public enum CSVRule: String, CaseIterable, Hashable, Sendable, Codable {
    /// The file is not readable CSV (encoding, quoting, field counts).
    case syntax
    /// A header that is not a column of the sheet.
    case unknownColumn
    /// A required column is missing; no record is imported.
    case missingColumn
    /// A header appears twice; no record is imported.
    case duplicateColumn
    /// A JSON cell (materials, fees, FAQ, procedure) is not valid JSON.
    case json
    /// 基本编码 is not a valid basic code.
    case basicCode
    /// The item type inside 基本编码 differs from 事项类型 (warning).
    case basicCodeType
    /// 实施机构统一社会信用代码 is not a valid credit code.
    case unitCode
    /// The credit code's check character is wrong (warning; real codes like this exist).
    case checkDigit
    /// The read-only 实施编码 column does not match the row.
    case implementationCode
    /// The same item (or the same unit/item/level) appears twice in the file.
    case duplicateRow
    /// 状态 or 权力来源 is not a valid code or label.
    case code
}
