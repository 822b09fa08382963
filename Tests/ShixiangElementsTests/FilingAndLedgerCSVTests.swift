import Foundation
import ShixiangCodes
import ShixiangElements
import Testing

@Suite("FilingFormCSV and LedgerCSV")
struct FilingAndLedgerCSVTests {
    @Test func filingFormHeaderFollowsAnnex2() {
        #expect(FilingFormCSV.header() == ["实施/指导单位", "政务服务事项名称", "行使层级", "调整内容（基本目录）", "调整内容（实施清单）", "调整详情", "调整依据", "备注"])
    }

    @Test func filingFormRows() {
        let catalogue = FilingFormCSV.row(
            unit: "区市场监管局", itemName: "食品经营许可", level: ExerciseLevel.county,
            adjustment: .catalogue(.change, note: "名称"), details: "名称由“食品流通许可”变更为“食品经营许可”", basis: "国务院令第xx号")
        #expect(catalogue == ["区市场监管局", "食品经营许可", "区级", "变更（名称）", "", "名称由“食品流通许可”变更为“食品经营许可”", "国务院令第xx号", ""])

        let claim = FilingFormCSV.row(
            unit: "城南街道", itemName: "居住证签注", level: ExerciseLevel.township,
            adjustment: .implementation(.claim), details: "认领上级下发事项", basis: "渝府办发〔2024〕1号", remarks: "集中调整")
        #expect(claim[2] == "乡镇级")
        #expect(claim[3] == "")
        #expect(claim[4] == "其他（认领）")
        #expect(claim[7] == "集中调整")

        let split = FilingFormCSV.row(unit: "u", itemName: "i", level: "区级", adjustment: .implementation(.split), details: "d", basis: "b")
        #expect(split[4] == "颗粒化拆分")
        let plain = FilingFormCSV.row(unit: "u", itemName: "i", level: "区级", catalogueAdjustment: "新增", implementationAdjustment: "",
                                      details: "d", basis: "b", remarks: "")
        #expect(plain == ["u", "i", "区级", "新增", "", "d", "b", ""])

        let data = FilingFormCSV.write(rows: [catalogue, claim])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let table = try? CSVReader().read(data)
        #expect(table?.rows.map(\.fields) == [catalogue, claim])
    }

    @Test func ledger() throws {
        #expect(LedgerCSV.header() == ["事项名称", "基本编码", "实施编码", "调整类型", "状态", "提交日期", "审核日期", "公布日期", "备案日期", "转送日期", "归档日期", "备注"])
        let line = LedgerLine(itemName: "食品经营许可, 新办", basicCode: "000104002000", adjustmentKind: "新增", status: "已备案",
                              submittedOn: "2025-03-03", reviewedOn: "2025-03-04", publishedOn: "2025-03-04", filedOn: "2025-03-06",
                              remarks: "含\"引号\"\n换行")
        let row = LedgerCSV.row(line)
        #expect(row.count == 12)
        #expect(row == LedgerCSV.row(itemName: line.itemName, basicCode: line.basicCode, implementationCode: "", adjustmentKind: "新增",
                                     status: "已备案", submittedOn: "2025-03-03", reviewedOn: "2025-03-04", publishedOn: "2025-03-04",
                                     filedOn: "2025-03-06", forwardedOn: "", archivedOn: "", remarks: line.remarks))
        let table = try CSVReader().read(LedgerCSV.write([line]))
        #expect(table.header == LedgerCSV.header())
        #expect(table.rows.first?.fields == row)
    }
}
