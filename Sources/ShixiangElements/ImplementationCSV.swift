import Foundation
import ShixiangCodes
import ShixiangJSON

/// The implementation list (实施清单) as a spreadsheet: UTF-8 with BOM, CRLF.
///
/// Columns, in order: 实施机构统一社会信用代码, 基本编码, 实施编码 (read-only), then the headers of
/// Annex 4 rows 3–36 in annex order (``ShixiangCodes/ImplementationField/header``; 行使层级 is
/// row 6 and appears once, at its annex place).
///
/// 实施编码 is written on export (derived from the unit, 行使层级 and 基本编码; empty when a part
/// is invalid). Import ignores its value but, when the cell is not empty, checks it: a code
/// that does not parse or does not match the row is an error (clear the cell or make it match).
///
/// Cells: text verbatim; codes as labels; 服务对象 / 办理形式 as labels joined by 、; yes/no as
/// 是/否; time limits as text (20个工作日, 即办); the structured fields — 申请材料, 收费标准,
/// 收费依据, 常见问题, 办理流程 — as compact JSON with sorted keys, e.g.
/// `[{"copies":1,"name":"身份证","type":"原件"}]` (the keys of ``MaterialAttribute``,
/// ``FeeItemKey``, ``FAQKey``, ``ProcedureKey``). JSON was chosen over a 材料名称｜类型｜份数；…
/// line format because it round-trips every attribute and every character exactly; clerks
/// can still copy cells. On import a structured cell that does not start with `[` or `{` is
/// read as text: one 收费依据 citation, or a procedure written `申请→受理→审查→决定`.
///
/// Import contract (``parse(table:)``): the two identity columns and the columns of required
/// fields must exist (optional and conditional field columns and 实施编码 may be left out);
/// unknown columns are errors; missing or duplicate columns stop the import. Each record is
/// checked — credit code parses (a wrong check character is a warning), 基本编码 parses, JSON
/// cells parse, the fields pass ``ImplementationFields/validate(_:mode:)`` with
/// ``ValidationMode/complete``, 实施编码 matches, and the unit/item/level triple is not
/// repeated — and returned only without errors.
///
/// Round trip: for rows whose fields are normalised and hold no null or empty optional value,
/// `parse(data: write(rows)).rows == rows`.
public enum ImplementationCSV: Sendable {
    /// 实施机构统一社会信用代码.
    public static let unitCodeHeader = "实施机构统一社会信用代码"
    /// 基本编码.
    public static let basicCodeHeader = ImplementationField.basicCode.header
    /// 实施编码 (read-only).
    public static let implementationCodeHeader = ImplementationField.implementationCode.header

    /// Fields 3–36, the ones units fill.
    static let fields: [ImplementationField] = ImplementationField.allCases.filter { $0.requirement != .systemAssigned }

    /// The header record.
    public static func header() -> [String] {
        [unitCodeHeader, basicCodeHeader, implementationCodeHeader] + fields.map(\.header)
    }

    /// One record, aligned with ``header()``. `fields` should be normalised; values that are
    /// not are written as given so that re-reading reports them.
    public static func row(unitCode: String, basicCode: String, fields values: JSONValue) -> [String] {
        let derived = ImplementationCSVRow(unitCode: unitCode, basicCode: basicCode, fields: values).implementationCode
        var cells = [unitCode, basicCode, derived?.value ?? ""]
        for field in fields {
            cells.append(ElementCell.render(values[field.key], kind: ImplementationFields.kind(field)))
        }
        return cells
    }

    /// ``row(unitCode:basicCode:fields:)`` for a row value.
    public static func row(_ row: ImplementationCSVRow) -> [String] {
        self.row(unitCode: row.unitCode, basicCode: row.basicCode, fields: row.fields)
    }

    /// The whole file: BOM, header, one record per row, CRLF line ends.
    public static func write(_ rows: [ImplementationCSVRow]) -> Data {
        CSVWriter().data(header: header(), rows: rows.map(row))
    }

    /// Reads a file's bytes; unreadable CSV gives one `syntax` problem and no rows.
    public static func parse(data: Data) -> (rows: [ImplementationCSVRow], problems: [CSVRowProblem]) {
        let source = CSVSource.table(Array(data))
        guard let table = source.table else { return ([], source.problem.map { [$0] } ?? []) }
        return parse(table: table)
    }

    /// Reads a parsed table. See the type's import contract.
    public static func parse(table: CSVTable) -> (rows: [ImplementationCSVRow], problems: [CSVRowProblem]) {
        let required = [unitCodeHeader, basicCodeHeader] + fields.filter { $0.requirement == .required }.map(\.header)
        let columns = CSVColumns(table: table, known: header(), required: required)
        var problems = columns.problems
        guard !columns.isFatal else { return ([], problems) }

        var rows: [ImplementationCSVRow] = []
        var seen: [String: Int] = [:]
        for record in table.rows {
            let line = record.line
            var rowProblems: [CSVRowProblem] = []

            let unitText = (columns.cell(record, unitCodeHeader) ?? "").trimmedWhitespace
            var unit: UnifiedSocialCreditCode?
            do {
                let parsed = try UnifiedSocialCreditCode.parse(unitText)
                unit = parsed
                if !parsed.checkDigitValid {
                    rowProblems.append(CSVRowProblem(line: line, column: unitCodeHeader, .checkDigit,
                        "统一社会信用代码 (unified social credit code) \(unitText) ends in \(parsed.checkCharacter) but its check character should be \(parsed.expectedCheckCharacter); please verify it against the registration", severity: .warning))
                }
            } catch {
                rowProblems.append(CSVRowProblem(line: line, column: unitCodeHeader, .unitCode,
                    unitText.isEmpty ? "实施机构统一社会信用代码 (unit credit code) is required" : error.description))
            }

            let basicText = (columns.cell(record, basicCodeHeader) ?? "").trimmedWhitespace
            var basic: BasicCode?
            do {
                basic = try BasicCode.parse(basicText)
            } catch {
                rowProblems.append(CSVRowProblem(line: line, column: basicCodeHeader, .basicCode,
                    basicText.isEmpty ? "基本编码 (basic code) is required" : error.description))
            }

            var members: [String: JSONValue] = [:]
            var unreadable: Set<String> = []
            for field in fields {
                guard let cell = columns.cell(record, field.header) else { continue }
                do throws(JSONParseError) {
                    if let value = try ElementCell.read(cell, kind: ImplementationFields.kind(field)) {
                        members[field.key] = value
                    }
                } catch {
                    unreadable.insert(field.key)
                    rowProblems.append(CSVRowProblem(line: line, column: field.header, .json,
                        "\(ImplementationFields.name(field)) is not valid JSON: \(error.description)"))
                }
            }
            let raw = JSONValue.object(members)
            // A cell already reported as invalid JSON is not also reported as missing.
            for finding in ImplementationFields.validate(raw, mode: .complete) where !unreadable.contains(finding.topLevelKey) {
                rowProblems.append(CSVRowProblem(line: line, finding: finding, column: ImplementationField(key: finding.topLevelKey)?.header))
            }
            let (values, _) = ImplementationFields.normalise(raw)
            let level = values[ImplementationField.exerciseLevel.key]?.stringValue.flatMap(ExerciseLevel.init(code:))

            let codeText = (columns.cell(record, implementationCodeHeader) ?? "").trimmedWhitespace
            if !codeText.isEmpty {
                do {
                    let code = try ImplementationCode.parse(codeText)
                    for mismatch in code.mismatches(unit: unit, level: level, basic: basic) {
                        rowProblems.append(CSVRowProblem(line: line, column: implementationCodeHeader, .implementationCode,
                            "\(mismatch.description); 实施编码 is derived by the registry: clear the cell or make it match"))
                    }
                } catch {
                    rowProblems.append(CSVRowProblem(line: line, column: implementationCodeHeader, .implementationCode,
                        "\(error.description); 实施编码 is derived by the registry: clear the cell or correct it"))
                }
            }

            if let unit, let basic, let level {
                let identity = unit.value + level.code + basic.value
                if let first = seen[identity] {
                    rowProblems.append(CSVRowProblem(line: line, column: nil, .duplicateRow,
                        "the same unit, 基本编码 (basic code) and 行使层级 (exercise level) already appear on line \(first)"))
                } else {
                    seen[identity] = line
                }
            }

            problems += rowProblems
            if !rowProblems.contains(where: { $0.severity == .error }) {
                rows.append(ImplementationCSVRow(unitCode: unitText, basicCode: basicText, fields: values, sourceLine: line))
            }
        }
        return (rows, problems)
    }
}
