/// Why a CSV source cannot be read. Lines and columns are 1-based; a column counts characters
/// (Unicode scalars) from the start of the physical line, `field` counts CSV fields.
public enum CSVError: Error, CustomStringConvertible, Hashable, Sendable {
    /// The bytes are not valid UTF-8 (save the file as “CSV UTF-8”, not GBK/ANSI).
    case invalidUTF8(line: Int, column: Int)
    /// A quoted field is never closed.
    case unterminatedQuote(line: Int, column: Int)
    /// A `"` inside a field that does not start with `"`.
    case quoteInUnquotedField(line: Int, column: Int)
    /// Something other than `,` or a line end follows a closing quote.
    case textAfterClosingQuote(line: Int, column: Int)
    /// A record has a different number of fields than the header.
    case fieldCountMismatch(line: Int, expected: Int, actual: Int)
    /// The source holds no records at all.
    case missingHeader
    /// The file could not be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidUTF8(line, column):
            "CSV line \(line), column \(column): the file is not valid UTF-8 text (编码错误); save it as “CSV UTF-8”, not GBK/ANSI"
        case let .unterminatedQuote(line, column):
            "CSV line \(line), column \(column): a quoted field (引号字段) is never closed"
        case let .quoteInUnquotedField(line, column):
            "CSV line \(line), column \(column): a double quote (\") inside an unquoted field; quote the whole field and double the quote (\"\")"
        case let .textAfterClosingQuote(line, column):
            "CSV line \(line), column \(column): text after a closing quote; a quoted field must be followed by a comma or a line end"
        case let .fieldCountMismatch(line, expected, actual):
            "CSV line \(line): expected \(expected) fields (列) as in the header, got \(actual)"
        case .missingHeader:
            "CSV: the file is empty; the first line must be the header (表头)"
        case let .unreadable(path, reason):
            "CSV: cannot read \(path): \(reason)"
        }
    }
}
