import Foundation
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

@Suite("CatalogueCSV")
struct CatalogueCSVTests {
    static func csv(_ text: String) throws -> CSVTable {
        try CSVReader().read(string: text)
    }

    static let header = CatalogueCSV.header().joined(separator: ",")

    @Test func headerFollowsAnnex3() {
        #expect(CatalogueCSV.header() == [
            "基本编码", "事项名称", "事项类型", "行使内容", "实施机构名称", "服务对象", "服务主题", "设定依据", "办理形式", "是否公开",
            "状态", "权力来源", "不公开依据",
        ])
    }

    @Test func rowRendersLabels() {
        let row = CatalogueCSV.row(code: "000104002000", elements: Samples.directory, status: .inUse, powerSource: .delegatedFromAbove)
        #expect(row == [
            "000104002000", "食品经营许可", "行政许可", "对食品经营者的经营条件进行审查并作出许可决定", "区市场监督管理局",
            "自然人、企业法人", "准营准办", "《中华人民共和国食品安全法》第三十五条", "窗口办理、网上办理", "是", "在用", "上级下放", "",
        ])
        let local = CatalogueCSV.row(code: "451104002000", elements: ["itemType": "11", "isPublic": false], status: nil, powerSource: nil)
        #expect(local[2] == "11")
        #expect(local[9] == "否")
    }

    @Test func writeHasBOMAndCRLF() {
        let data = CatalogueCSV.write([CatalogueCSVRow(basicCode: "000104002000", elements: Samples.directory)])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("基本编码,事项名称,"))
        #expect(text.hasSuffix("\r\n"))
    }

    @Test func generatedRowsRoundTrip() {
        var generator = RowGenerator(seed: 20250304)
        let rows = (0..<300).map { _ in generator.catalogueRow() }
        let findings = rows.flatMap { DirectoryElements.validate($0.elements, mode: .complete) }
        #expect(findings == [])
        let parsed = CatalogueCSV.parse(data: CatalogueCSV.write(rows))
        #expect(parsed.problems == [])
        #expect(parsed.rows == rows)
        #expect(parsed.rows.first?.sourceLine == 2)
    }

    @Test func parseAcceptsLabelsAndCodes() throws {
        let table = try Self.csv("""
        \(Self.header)
        000104002000,甲,行政审批,内容,区局,个人（含个体工商户）,婚姻登记,依据,窗口,是,在用,上级下放,
        000104003000,乙,01,内容,区局,1、2,准营准办,依据,1/2,否,inUse,2,区保密文件
        """)
        let (rows, problems) = CatalogueCSV.parse(table: table)
        #expect(problems == [])
        #expect(rows.count == 2)
        #expect(rows[0].elements["itemType"] == "01")
        #expect(rows[0].elements["serviceObject"] == ["1"])
        #expect(rows[0].elements["handlingForm"] == ["1"])
        #expect(rows[0].status == .inUse)
        #expect(rows[0].powerSource == .delegatedFromAbove)
        #expect(rows[1].elements["isPublic"] == false)
        #expect(rows[1].elements["nonPublicBasis"] == "区保密文件")
        #expect(rows[1].elements["handlingForm"] == ["1", "2"])
        #expect(rows[1].powerSource == .delegatedFromAbove)
    }

    @Test func badValuesNameLineAndColumn() throws {
        let table = try Self.csv("""
        \(Self.header)
        000104009000,甲,行政审查,内容,有关部门,自然人,婚姻登记,依据,窗口办理,也许,在办,,
        0001040020,乙,行政许可,内容,区局,自然人,婚姻登记,依据,窗口办理,否,,,
        000104002000,丙,行政许可,内容,区局,自然人,婚姻登记,依据,窗口办理,是,,,
        000104002000,丁,行政许可,内容,区局,自然人,婚姻登记,依据,窗口办理,是,,,
        """)
        let (rows, problems) = CatalogueCSV.parse(table: table)
        #expect(rows.map(\.sourceLine) == [4])
        #expect(problems.map { "\($0.line) \($0.column ?? "-") \($0.rule)" } == [
            "2 状态 code",
            "2 实施机构名称 vagueWording", "2 是否公开 type", "2 事项类型 code",
            "3 基本编码 basicCode", "3 不公开依据 required",
            "5 基本编码 duplicateRow",
        ])
        #expect(problems.allSatisfy { !$0.message.isEmpty && $0.severity == .error })
    }

    @Test func headerProblems() throws {
        let missing = try Self.csv("基本编码,事项名称,颜色\n000104002000,甲,红\n")
        let (rows, problems) = CatalogueCSV.parse(table: missing)
        #expect(rows == [])
        #expect(problems.first.map { "\($0.line) \($0.column ?? "-") \($0.rule)" } == "1 颜色 unknownColumn")
        #expect(problems.filter { $0.rule == "missingColumn" }.compactMap(\.column) == Array(DirectoryElement.headers.dropFirst()))

        let extra = try Self.csv(Self.header + ",颜色\n000104002000,甲,01,内容,区局,1,婚姻登记,依据,1,是,,,,红\n")
        let parsed = CatalogueCSV.parse(table: extra)
        #expect(parsed.rows.count == 1)
        #expect(parsed.problems.map(\.rule) == ["unknownColumn"])

        let duplicate = try Self.csv(Self.header + ",事项名称\n")
        #expect(CatalogueCSV.parse(table: duplicate).problems.map(\.rule) == ["duplicateColumn"])
    }

    @Test func optionalColumnsMayBeLeftOut() throws {
        let table = try Self.csv(
            (["基本编码"] + DirectoryElement.headers).joined(separator: ",") + "\n000104002000,甲,01,内容,区局,1,婚姻登记,依据,1,是\n")
        let (rows, problems) = CatalogueCSV.parse(table: table)
        #expect(problems == [])
        #expect(rows.first?.status == nil)
    }

    @Test func basicCodeTypeMismatchIsAWarning() throws {
        let table = try Self.csv("\(Self.header)\n002004002000,甲,01,内容,区局,1,婚姻登记,依据,1,是,,,\n")
        let (rows, problems) = CatalogueCSV.parse(table: table)
        #expect(rows.count == 1)
        #expect(problems.map(\.rule) == ["basicCodeType"])
        #expect(problems.first?.severity == .warning)
    }

    @Test func unreadableCSVIsOneSyntaxProblem() {
        let (rows, problems) = CatalogueCSV.parse(data: Data("基本编码,事项名称\n\"unterminated\n".utf8))
        #expect(rows == [])
        #expect(problems.map(\.rule) == ["syntax"])
        #expect(problems.first?.line == 2)
    }
}
