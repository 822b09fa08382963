/// One CSV record with the 1-based physical line on which it starts in the source.
public struct CSVRow: Hashable, Sendable {
    /// The field values, unquoted.
    public var fields: [String]
    /// 1-based line number where the record starts (records may span lines).
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// The field at a 0-based index, or nil when the row is shorter.
    public subscript(index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }
}

/// A parsed CSV file: the header record and the data records.
public struct CSVTable: Hashable, Sendable {
    /// The first record's fields.
    public var header: [String]
    /// The data records (all records after the header), in file order.
    public var rows: [CSVRow]

    public init(header: [String], rows: [CSVRow]) {
        self.header = header
        self.rows = rows
    }

    /// The 0-based index of the first column named exactly `name`, or nil.
    public func columnIndex(_ name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// The value of column `name` in `row`, or nil when there is no such column or the row is
    /// too short.
    public func value(_ row: CSVRow, column name: String) -> String? {
        columnIndex(name).flatMap { row[$0] }
    }

    /// Headers that occur more than once, in first-occurrence order.
    public var duplicateHeaders: [String] {
        var seen: Set<String> = []
        var duplicates: [String] = []
        for name in header where !seen.insert(name).inserted && !duplicates.contains(name) {
            duplicates.append(name)
        }
        return duplicates
    }
}
