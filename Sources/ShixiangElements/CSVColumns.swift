import ShixiangCodes

/// Matches a table's header against a sheet's columns (internal).
struct CSVColumns {
    /// Header → 0-based index, for known headers.
    let index: [String: Int]
    /// Header problems (unknown, missing, duplicate), all on line 1.
    let problems: [CSVRowProblem]
    /// True when records cannot be read (missing or duplicate columns).
    let isFatal: Bool

    init(table: CSVTable, known: [String], required: [String]) {
        var index: [String: Int] = [:]
        var problems: [CSVRowProblem] = []
        var fatal = false
        for (i, header) in table.header.enumerated() {
            if index[header] != nil {
                problems.append(CSVRowProblem(line: 1, column: header, .duplicateColumn, "column “\(header)” appears more than once; keep one"))
                fatal = true
            } else if known.contains(header) {
                index[header] = i
            } else {
                problems.append(CSVRowProblem(line: 1, column: header, .unknownColumn, "column “\(header)” is not a column of this sheet; its values are ignored. Columns: \(known.joined(separator: ", "))"))
            }
        }
        for header in required where index[header] == nil {
            problems.append(CSVRowProblem(line: 1, column: header, .missingColumn, "required column “\(header)” is missing; no row can be imported"))
            fatal = true
        }
        self.index = index
        self.problems = problems
        self.isFatal = fatal
    }

    /// The cell of `header` in `row`, nil when the column is absent (or the row is short).
    func cell(_ row: CSVRow, _ header: String) -> String? {
        index[header].flatMap { row[$0] }
    }
}

extension CSVRowProblem {
    /// A problem for an element finding, placed in the column of the finding's top-level key.
    init(line: Int, finding: ElementFinding, column: String?) {
        self.init(line: line, column: column, rule: finding.rule, message: finding.message)
    }
}

enum CSVSource {
    /// Reads bytes into a table; unreadable CSV gives the problem saying why.
    static func table(_ bytes: [UInt8]) -> (table: CSVTable?, problem: CSVRowProblem?) {
        do throws(CSVError) {
            return (try CSVReader().read(bytes: bytes), nil)
        } catch {
            let line: Int
            switch error {
            case let .invalidUTF8(l, _), let .unterminatedQuote(l, _), let .quoteInUnquotedField(l, _),
                 let .textAfterClosingQuote(l, _):
                line = l
            case let .fieldCountMismatch(l, _, _):
                line = l
            case .missingHeader, .unreadable:
                line = 1
            }
            return (nil, CSVRowProblem(line: line, column: nil, .syntax, error.description))
        }
    }
}
