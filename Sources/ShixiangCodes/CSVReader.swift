import Foundation

/// Reads CSV (RFC 4180) from UTF-8 bytes.
///
/// Contract:
/// - fields may be quoted with `"`; a doubled `""` inside a quoted field is one quote; quoted
///   fields may contain commas and line breaks, which are kept verbatim;
/// - records end with CRLF, LF or a lone CR; a final line end is optional;
/// - a leading UTF-8 byte order mark is stripped; any invalid UTF-8 is rejected with its
///   position (the whole input is checked before parsing);
/// - a quote inside an unquoted field, or text after a closing quote, is an error (strict);
/// - the first record is the header; with ``requireSameFieldCount`` every data record must have
///   as many fields as the header; with ``skipBlankLines`` empty physical lines between records
///   are ignored (a line holding only `""` is not blank);
/// - every row carries the 1-based line on which it starts.
public struct CSVReader: Sendable {
    /// Reject records whose field count differs from the header's. Default true.
    public var requireSameFieldCount: Bool
    /// Ignore completely empty lines. Default true.
    public var skipBlankLines: Bool

    public init(requireSameFieldCount: Bool = true, skipBlankLines: Bool = true) {
        self.requireSameFieldCount = requireSameFieldCount
        self.skipBlankLines = skipBlankLines
    }

    /// Reads a table from bytes.
    public func read(_ data: Data) throws(CSVError) -> CSVTable {
        try read(bytes: Array(data))
    }

    /// Reads a table from a string (no UTF-8 errors are possible).
    public func read(string: String) throws(CSVError) -> CSVTable {
        try read(bytes: Array(string.utf8))
    }

    /// Reads a table from a file.
    public func read(contentsOf url: URL) throws(CSVError) -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try read(data)
    }

    /// Reads a table from bytes.
    public func read(bytes: [UInt8]) throws(CSVError) -> CSVTable {
        let records = try self.records(bytes: bytes)
        guard let first = records.first else { throw .missingHeader }
        let rows = Array(records.dropFirst())
        if requireSameFieldCount {
            for row in rows where row.fields.count != first.fields.count {
                throw .fieldCountMismatch(line: row.line, expected: first.fields.count, actual: row.fields.count)
            }
        }
        return CSVTable(header: first.fields, rows: rows)
    }

    /// All records, header included, without the field-count check.
    public func records(bytes: [UInt8]) throws(CSVError) -> [CSVRow] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let bad = UTF8Validation.firstInvalidOffset(bytes, from: start) {
            let (line, column) = Self.position(of: bad, in: bytes, from: start)
            throw .invalidUTF8(line: line, column: column)
        }
        var parser = Parser(bytes: bytes, start: start, skipBlankLines: skipBlankLines)
        return try parser.run()
    }

    /// Line and column of byte `offset`, counting from `start`.
    static func position(of offset: Int, in bytes: [UInt8], from start: Int) -> (Int, Int) {
        var line = 1
        var lineStart = start
        var i = start
        while i < offset {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (line, column(of: offset, lineStart: lineStart, in: bytes))
    }

    /// 1-based character column of byte `offset` on a line starting at `lineStart`.
    static func column(of offset: Int, lineStart: Int, in bytes: [UInt8]) -> Int {
        var column = 1
        var i = lineStart
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    private struct Parser {
        let bytes: [UInt8]
        let skipBlankLines: Bool
        var i: Int
        var line = 1
        var lineStart: Int

        static let quote: UInt8 = 0x22
        static let comma: UInt8 = 0x2C
        static let cr: UInt8 = 0x0D
        static let lf: UInt8 = 0x0A

        init(bytes: [UInt8], start: Int, skipBlankLines: Bool) {
            self.bytes = bytes
            self.skipBlankLines = skipBlankLines
            self.i = start
            self.lineStart = start
        }

        mutating func run() throws(CSVError) -> [CSVRow] {
            var records: [CSVRow] = []
            var fields: [String] = []
            var field: [UInt8] = []
            var recordStart = i
            var recordLine = line
            var fieldStart = i
            let n = bytes.count

            func column(_ at: Int) -> Int { CSVReader.column(of: at, lineStart: lineStart, in: bytes) }

            while i < n {
                let b = bytes[i]
                if b == Self.quote && i == fieldStart {
                    let quoteLine = line
                    let quoteColumn = column(i)
                    i += 1
                    while true {
                        guard i < n else { throw .unterminatedQuote(line: quoteLine, column: quoteColumn) }
                        let c = bytes[i]
                        if c == Self.quote {
                            if i + 1 < n && bytes[i + 1] == Self.quote {
                                field.append(Self.quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if c == Self.lf || (c == Self.cr && !(i + 1 < n && bytes[i + 1] == Self.lf)) {
                            line += 1
                            lineStart = i + 1
                        }
                        field.append(c)
                        i += 1
                    }
                    if i < n, bytes[i] != Self.comma, bytes[i] != Self.cr, bytes[i] != Self.lf {
                        throw .textAfterClosingQuote(line: line, column: column(i))
                    }
                } else if b == Self.comma {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    i += 1
                    fieldStart = i
                } else if b == Self.cr || b == Self.lf {
                    let blank = i == recordStart
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    if !(blank && skipBlankLines) {
                        records.append(CSVRow(fields: fields, line: recordLine))
                    }
                    fields.removeAll(keepingCapacity: true)
                    i += (b == Self.cr && i + 1 < n && bytes[i + 1] == Self.lf) ? 2 : 1
                    line += 1
                    lineStart = i
                    recordStart = i
                    recordLine = line
                    fieldStart = i
                } else if b == Self.quote {
                    throw .quoteInUnquotedField(line: line, column: column(i))
                } else {
                    field.append(b)
                    i += 1
                }
            }
            if i > recordStart {
                fields.append(String(decoding: field, as: UTF8.self))
                records.append(CSVRow(fields: fields, line: recordLine))
            }
            return records
        }
    }
}

/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// The offset of the first byte of the first invalid sequence at or after `from`, or nil.
    static func firstInvalidOffset(_ bytes: [UInt8], from: Int) -> Int? {
        var i = from
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            let b1 = bytes[i + 1]
            guard b1 >= lower && b1 <= upper else { return i }
            var k = 2
            while k < length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += length
        }
        return nil
    }
}
