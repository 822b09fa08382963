import Foundation

/// Writes CSV the way Excel (Chinese Windows) opens it correctly: UTF-8 with a byte order mark,
/// CRLF after every record, fields quoted only when needed.
///
/// A field is quoted when it contains `,`, `"`, CR or LF, or starts or ends with whitespace;
/// quotes inside are doubled. With ``neutraliseFormulas`` a field starting with `=`, `+`, `-`,
/// `@`, tab or CR is prefixed with `'` so spreadsheets do not evaluate it (this changes the
/// data: leave it off for files meant to be read back).
public struct CSVWriter: Sendable {
    /// Prefix the output with the UTF-8 BOM (EF BB BF). Default true.
    public var includeBOM: Bool
    /// The record terminator. Default CRLF.
    public var lineEnding: String
    /// Quote every field. Default false.
    public var quoteAll: Bool
    /// Guard against spreadsheet formula injection. Default false.
    public var neutraliseFormulas: Bool

    public init(includeBOM: Bool = true, lineEnding: String = "\r\n", quoteAll: Bool = false, neutraliseFormulas: Bool = false) {
        self.includeBOM = includeBOM
        self.lineEnding = lineEnding
        self.quoteAll = quoteAll
        self.neutraliseFormulas = neutraliseFormulas
    }

    /// The CSV text (never with a BOM; ``data(header:rows:)`` adds it).
    public func string(header: [String], rows: [[String]]) -> String {
        var out = ""
        out += record(header)
        for row in rows { out += record(row) }
        return out
    }

    /// The CSV bytes, with the BOM when ``includeBOM`` is set.
    public func data(header: [String], rows: [[String]]) -> Data {
        var data = Data()
        if includeBOM { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        data.append(contentsOf: Array(string(header: header, rows: rows).utf8))
        return data
    }

    /// Writes ``data(header:rows:)`` to `url` atomically.
    public func write(header: [String], rows: [[String]], to url: URL) throws {
        try data(header: header, rows: rows).write(to: url, options: .atomic)
    }

    /// One record including its line ending.
    public func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + lineEnding
    }

    /// One field, quoted when needed.
    public func escape(_ field: String) -> String {
        var value = field
        if neutraliseFormulas, let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        let needsQuotes = quoteAll
            || value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || value.first?.isWhitespace == true
            || value.last?.isWhitespace == true
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
