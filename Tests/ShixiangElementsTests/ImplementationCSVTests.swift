import Foundation
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

@Suite("ImplementationCSV")
struct ImplementationCSVTests {
    static func unit() throws -> String {
        try UnifiedSocialCreditCode.make(first17: "11511602MB1558081").value
    }

    /// A file with the sample entry, with `cells` (header → cell) replaced.
    static func file(_ unit: String, _ cells: [String: String] = [:], basic: String = "000104002000") -> CSVTable {
        let header = ImplementationCSV.header()
        var row = ImplementationCSV.row(unitCode: unit, basicCode: basic, fields: Samples.implementation)
        for (column, cell) in cells {
            if let i = header.firstIndex(of: column) { row[i] = cell }
        }
        return CSVTable(header: header, rows: [CSVRow(fields: row, line: 2)])
    }

    @Test func headerIsIdentityThenAnnex4() {
        let header = ImplementationCSV.header()
        #expect(Array(header.prefix(3)) == ["实施机构统一社会信用代码", "基本编码", "实施编码"])
        #expect(Array(header.dropFirst(3)) == ImplementationField.allCases.dropFirst(2).map(\.header))
        #expect(header.count == 37)
        #expect(header.filter { $0 == "行使层级" }.count == 1)
    }

    @Test func rowRendersReadableCells() throws {
        let unit = try Self.unit()
        let row = ImplementationCSV.row(unitCode: unit, basicCode: "000104002000", fields: Samples.implementation)
        let header = ImplementationCSV.header()
        func cell(_ name: String) -> String? { header.firstIndex(of: name).map { row[$0] } }
        #expect(cell("实施编码") == unit + "4" + "000104002000")
        #expect(cell("行使层级") == "县级")
        #expect(cell("法定办结时限") == "20个工作日")
        #expect(cell("是否收费") == "否")
        #expect(cell("服务对象") == "企业法人")
        #expect(cell("办理形式") == "窗口办理、网上办理")
        #expect(cell("运行系统") == "市级")
        #expect(cell("收费标准") == "")
        #expect(cell("申请材料")?.hasPrefix("[{\"copies\":1,\"electronicRequired\":true,\"name\":\"食品经营许可申请书\"") == true)
    }

    @Test func sampleRoundTrips() throws {
        let unit = try Self.unit()
        let rows = [ImplementationCSVRow(unitCode: unit, basicCode: "000104002000", fields: Samples.implementation)]
        let parsed = ImplementationCSV.parse(data: ImplementationCSV.write(rows))
        #expect(parsed.problems == [])
        #expect(parsed.rows == rows)
        #expect(parsed.rows.first?.implementationCode?.value == unit + "4000104002000")
    }

    @Test func generatedRowsRoundTrip() throws {
        let unit = try Self.unit()
        var generator = RowGenerator(seed: 7)
        let rows = (0..<200).map { _ in generator.implementationRow(unit: unit) }
        let findings = rows.flatMap { ImplementationFields.validate($0.fields, mode: .complete) }
        #expect(findings == [])
        let parsed = ImplementationCSV.parse(data: ImplementationCSV.write(rows))
        #expect(parsed.problems == [])
        #expect(parsed.rows == rows)
    }

    @Test func readableCellsAreNormalised() throws {
        let table = Self.file(try Self.unit(), [
            "行使层级": "区县", "法定办结时限": "15个工作日", "承诺办结时限": "5个工作日", "办理流程": "申请→受理→决定",
            "服务对象": "2", "是否支持预约办理": "否", "实施编码": "",
        ])
        let (rows, problems) = ImplementationCSV.parse(table: table)
        #expect(problems == [])
        let fields = try #require(rows.first?.fields)
        #expect(fields["exerciseLevel"] == "4")
        #expect(fields["statutoryTimeLimit"] == ["value": 15, "unit": "workingDays"])
        #expect(fields["procedure"] == ["steps": [["name": "申请"], ["name": "受理"], ["name": "决定"]]])
        #expect(fields["supportsAppointment"] == false)
    }

    @Test func problemsNameLineAndColumn() throws {
        let unit = try Self.unit()
        let table = Self.file(unit, [
            "申请材料": "[{\"name\":\"其他材料\"}]",
            "常见问题": "[{\"question\":",
            "承诺办结时限": "30个工作日",
            "咨询电话": "请来电",
        ])
        let (rows, problems) = ImplementationCSV.parse(table: table)
        #expect(rows == [])
        #expect(problems.map { "\($0.line) \($0.column ?? "-") \($0.rule)" } == [
            "2 常见问题 json",
            "2 咨询电话 phone",
            "2 申请材料 vagueWording",
            "2 承诺办结时限 promisedExceedsStatutory",
        ])
    }

    @Test func identityProblems() throws {
        let badUnit = ImplementationCSV.parse(table: Self.file("11511602MB155808", basic: "00010400200"))
        #expect(badUnit.problems.map { "\($0.column ?? "-") \($0.rule)" } == ["实施机构统一社会信用代码 unitCode", "基本编码 basicCode"])

        let unit = try Self.unit()
        let wrongCheck = String(unit.dropLast()) + (unit.hasSuffix("0") ? "1" : "0")
        let warned = ImplementationCSV.parse(table: Self.file(wrongCheck))
        #expect(warned.rows.count == 1)
        #expect(warned.problems.map(\.rule) == ["checkDigit"])
        #expect(warned.problems.first?.severity == .warning)
    }

    @Test func implementationCodeIsCheckedNotImported() throws {
        let unit = try Self.unit()
        let consistent = ImplementationCSV.parse(table: Self.file(unit, ["实施编码": unit + "4000104002000"]))
        #expect(consistent.problems == [])
        let otherLevel = ImplementationCSV.parse(table: Self.file(unit, ["实施编码": unit + "5000104002000"]))
        #expect(otherLevel.rows == [])
        #expect(otherLevel.problems.map { "\($0.column ?? "-") \($0.rule)" } == ["实施编码 implementationCode"])
        #expect(otherLevel.problems.first?.message.contains("clear the cell") == true)
        let garbage = ImplementationCSV.parse(table: Self.file(unit, ["实施编码": "xyz"]))
        #expect(garbage.problems.map(\.rule) == ["implementationCode"])
    }

    @Test func duplicateEntriesAndMissingColumns() throws {
        let unit = try Self.unit()
        let row = ImplementationCSVRow(unitCode: unit, basicCode: "000104002000", fields: Samples.implementation)
        let parsed = ImplementationCSV.parse(data: ImplementationCSV.write([row, row]))
        #expect(parsed.rows.count == 1)
        #expect(parsed.problems.map { "\($0.line) \($0.rule)" } == ["3 duplicateRow"])

        let header = ImplementationCSV.header().filter { $0 != "申请材料" && $0 != "通办范围" && $0 != "实施编码" }
        let missing = ImplementationCSV.parse(table: CSVTable(header: header, rows: []))
        #expect(missing.problems.map { "\($0.column ?? "-") \($0.rule)" } == ["申请材料 missingColumn"])
    }
}
