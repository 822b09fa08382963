import Foundation
import Testing
import ShixiangCodes

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test func bomCRLFAndQuoting() {
        let writer = CSVWriter()
        let data = writer.data(header: ["事项名称", "备注"], rows: [["出生登记", "a,b"], ["x", "say \"hi\""]])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text == "事项名称,备注\r\n出生登记,\"a,b\"\r\nx,\"say \"\"hi\"\"\"\r\n")
    }

    @Test func escapeRules() {
        let writer = CSVWriter()
        #expect(writer.escape("plain") == "plain")
        #expect(writer.escape("") == "")
        #expect(writer.escape("two\nlines") == "\"two\nlines\"")
        #expect(writer.escape("crlf\r\nhere") == "\"crlf\r\nhere\"")
        #expect(writer.escape(" padded") == "\" padded\"")
        #expect(writer.escape("000104002000") == "000104002000")
        #expect(CSVWriter(quoteAll: true).escape("a") == "\"a\"")
        #expect(CSVWriter(neutraliseFormulas: true).escape("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter(neutraliseFormulas: true).escape("-1,2") == "\"'-1,2\"")
        #expect(CSVWriter(includeBOM: false).data(header: ["a"], rows: []) == Data("a\r\n".utf8))
    }

    @Test func roundTripTrickyContent() throws {
        let header = ["基本编码", "事项名称", "申请材料", "备注"]
        let rows: [[String]] = [
            ["000104002000", "出生医学证明（首次签发）", "1.申请表,原件1份\n2.身份证\r\n3.“其他材料”", "含\"引号\"与,逗号"],
            ["452004020000", "", "  前后空格  ", "\"\""],
            ["", ",", "\n", "末尾换行\n"],
            ["emoji 🧧", "Ünïcødé", "tab\there", "中文，全角逗号"],
        ]
        let data = CSVWriter().data(header: header, rows: rows)
        let table = try CSVReader().read(data)
        #expect(table.header == header)
        #expect(table.rows.map(\.fields) == rows)
        #expect(table.rows.map(\.line) == [2, 5, 6, 9])
    }

    @Test func writesFileAtomically() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shixiang-codes-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try CSVWriter().write(header: ["a"], rows: [["1"]], to: url)
        let table = try CSVReader().read(contentsOf: url)
        #expect(table.rows.map(\.fields) == [["1"]])
    }
}
