import Foundation
import ShixiangCodes
import ShixiangJSON

/// The catalogue (目录清单) as a spreadsheet for clerks: UTF-8 with BOM, CRLF.
///
/// Columns, in order: 基本编码, the 9 headers of seed 001 Annex 3 (``ShixiangCodes/DirectoryElement/header``),
/// 状态 (``ShixiangCodes/ItemStatus`` label), 权力来源 (``ShixiangCodes/PowerSource`` label) and
/// 不公开依据 (the document justifying 是否公开 = 否; the annex attaches it, the sheet names it).
///
/// Cells: text verbatim; 事项类型 as its label (行政许可), local extension types as their code;
/// 服务对象 / 办理形式 as labels joined by 、; 是否公开 as 是/否. Reading accepts codes or labels
/// (and the annex wording, see ``DirectoryElements``) and normalises them.
///
/// Import contract (``parse(table:)``): 基本编码 and the 9 element columns are required, the
/// other three optional; an unknown column is an error but the other columns are still read;
/// a missing or duplicate column stops the import (only header problems are returned). Each
/// record is checked — 基本编码 parses, 状态/权力来源 are valid, the elements pass
/// ``DirectoryElements/validate(_:mode:)`` with ``ValidationMode/complete``, 基本编码 is not
/// repeated — and returned only when it has no error; warnings (item type inside 基本编码
/// differing from 事项类型) do not stop it. Rows come back in file order with ``CatalogueCSVRow/sourceLine``.
///
/// Round trip: for rows whose elements are normalised and hold no null or empty optional
/// value, `parse(data: write(rows)).rows == rows`.
public enum CatalogueCSV: Sendable {
    /// 基本编码.
    public static let basicCodeHeader = DirectoryElement.basicCodeHeader
    /// 状态.
    public static let statusHeader = "状态"
    /// 权力来源.
    public static let powerSourceHeader = "权力来源"

    /// The header record.
    public static func header() -> [String] {
        [basicCodeHeader] + DirectoryElement.headers + [statusHeader, powerSourceHeader, DirectoryElements.nonPublicBasisHeader]
    }

    /// One record, aligned with ``header()``. `elements` should be normalised; values that are
    /// not (unknown codes, wrong types) are written as given so that re-reading reports them.
    public static func row(code: String, elements: JSONValue, status: ItemStatus?, powerSource: PowerSource?) -> [String] {
        var cells = [code]
        for element in DirectoryElement.allCases {
            cells.append(ElementCell.render(elements[element.key], kind: DirectoryElements.kind(element)))
        }
        cells.append(status.map { CodeField.itemStatus.display($0.code) } ?? "")
        cells.append(powerSource.map { CodeField.powerSource.display($0.code) } ?? "")
        cells.append(ElementCell.render(elements[DirectoryElements.nonPublicBasisKey], kind: .text))
        return cells
    }

    /// ``row(code:elements:status:powerSource:)`` for a row value.
    public static func row(_ row: CatalogueCSVRow) -> [String] {
        self.row(code: row.basicCode, elements: row.elements, status: row.status, powerSource: row.powerSource)
    }

    /// The whole file: BOM, header, one record per row, CRLF line ends.
    public static func write(_ rows: [CatalogueCSVRow]) -> Data {
        CSVWriter().data(header: header(), rows: rows.map(row))
    }

    /// Reads a file's bytes; unreadable CSV gives one `syntax` problem and no rows.
    public static func parse(data: Data) -> (rows: [CatalogueCSVRow], problems: [CSVRowProblem]) {
        let source = CSVSource.table(Array(data))
        guard let table = source.table else { return ([], source.problem.map { [$0] } ?? []) }
        return parse(table: table)
    }

    /// Reads a parsed table. See the type's import contract.
    public static func parse(table: CSVTable) -> (rows: [CatalogueCSVRow], problems: [CSVRowProblem]) {
        let known = header()
        let columns = CSVColumns(table: table, known: known, required: [basicCodeHeader] + DirectoryElement.headers)
        var problems = columns.problems
        guard !columns.isFatal else { return ([], problems) }

        var rows: [CatalogueCSVRow] = []
        var seenCodes: [String: Int] = [:]
        for record in table.rows {
            var rowProblems: [CSVRowProblem] = []
            let line = record.line

            let code = columns.cell(record, basicCodeHeader) ?? ""
            let basic: BasicCode?
            do {
                basic = try BasicCode.parse(code.trimmedWhitespace)
            } catch {
                basic = nil
                rowProblems.append(CSVRowProblem(line: line, column: basicCodeHeader, .basicCode, code.isEmpty ? "基本编码 (basic code) is required" : error.description))
            }
            if let basic {
                if let first = seenCodes[basic.value] {
                    rowProblems.append(CSVRowProblem(line: line, column: basicCodeHeader, .duplicateRow, "基本编码 (basic code) \(basic.value) already appears on line \(first)"))
                } else {
                    seenCodes[basic.value] = line
                }
            }

            let status = readCode(record, columns, statusHeader, CodeField.itemStatus, ItemStatus.init(code:), line, &rowProblems)
            let powerSource = readCode(record, columns, powerSourceHeader, CodeField.powerSource, PowerSource.init(code:), line, &rowProblems)

            var members: [String: JSONValue] = [:]
            for element in DirectoryElement.allCases {
                if let cell = columns.cell(record, element.header), let value = try? ElementCell.read(cell, kind: DirectoryElements.kind(element)) {
                    members[element.key] = value
                }
            }
            if let cell = columns.cell(record, DirectoryElements.nonPublicBasisHeader), !cell.isEmpty {
                members[DirectoryElements.nonPublicBasisKey] = .string(cell)
            }
            let raw = JSONValue.object(members)
            for finding in DirectoryElements.validate(raw, mode: .complete) {
                rowProblems.append(CSVRowProblem(line: line, finding: finding, column: header(forKey: finding.topLevelKey)))
            }
            let (elements, _) = DirectoryElements.normalise(raw)

            if let basic, let type = elements[DirectoryElement.itemType.key]?.stringValue, ItemType(code: type) != nil,
               type != basic.itemType.code {
                rowProblems.append(CSVRowProblem(line: line, column: basicCodeHeader, .basicCodeType,
                    "基本编码 (basic code) \(basic.value) carries item type \(basic.itemType.code) but 事项类型 (item type) is \(CodeField.itemType.display(type)) (\(type))", severity: .warning))
            }

            problems += rowProblems
            if !rowProblems.contains(where: { $0.severity == .error }) {
                rows.append(CatalogueCSVRow(basicCode: code.trimmedWhitespace, elements: elements, status: status, powerSource: powerSource, sourceLine: line))
            }
        }
        return (rows, problems)
    }

    /// The column header for an element key (nil for unknown keys).
    static func header(forKey key: String) -> String? {
        if key == DirectoryElements.nonPublicBasisKey { return DirectoryElements.nonPublicBasisHeader }
        return DirectoryElement(key: key)?.header
    }

    /// Reads an optional code column (状态, 权力来源).
    private static func readCode<T>(
        _ record: CSVRow, _ columns: CSVColumns, _ header: String, _ field: CodeField,
        _ make: (String) -> T?, _ line: Int, _ problems: inout [CSVRowProblem]
    ) -> T? {
        guard let cell = columns.cell(record, header), !cell.trimmedWhitespace.isEmpty else { return nil }
        guard let codes = field.resolve(cell), codes.count == 1, let code = codes.first, let value = make(code) else {
            problems.append(CSVRowProblem(line: line, column: header, .code, "\(header) “\(cell)” is not a valid code or label of \(field.tableName); valid: \(field.validDescription)"))
            return nil
        }
        return value
    }
}
