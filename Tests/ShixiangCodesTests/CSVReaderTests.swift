import Foundation
import Testing
import ShixiangCodes

@Suite("CSVReader")
struct CSVReaderTests {
    let reader = CSVReader()

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,\"line1\nline2\",end\r\n3,,\r\n"
        let table = try reader.read(string: text)
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.map(\.fields) == [
            ["1", "x, y", "he said \"hi\""],
            ["2", "line1\nline2", "end"],
            ["3", "", ""],
        ])
        #expect(table.rows.map(\.line) == [2, 3, 5])
    }

    @Test func lfAndLoneCRAndNoFinalNewline() throws {
        #expect(try reader.read(string: "a,b\n1,2\n3,4").rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        let cr = try reader.read(string: "a,b\r1,2\r3,4\r")
        #expect(cr.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(cr.rows.map(\.line) == [2, 3])
    }

    @Test func stripsBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("事项名称,事项类型\r\n出生登记,20\r\n".utf8))
        let table = try reader.read(data)
        #expect(table.header == ["事项名称", "事项类型"])
        #expect(table.rows.first?.fields == ["出生登记", "20"])
    }

    @Test func blankLinesAreSkippedButCountedForLineNumbers() throws {
        let table = try reader.read(string: "a\n\n1\n\n\n2\n")
        #expect(table.rows.map(\.fields) == [["1"], ["2"]])
        #expect(table.rows.map(\.line) == [3, 6])
        #expect(try reader.read(string: "a\n\"\"\n").rows.map(\.fields) == [[""]])
        let keep = CSVReader(skipBlankLines: false)
        #expect(try keep.read(string: "a\n\n1\n").rows.map(\.fields) == [[""], ["1"]])
    }

    @Test func rejectsInvalidUTF8WithPosition() {
        // GBK bytes for 事项 on line 2, after "ab,".
        let bytes = Array("x,y\nab,".utf8) + [0xCA, 0xC2, 0xCF, 0xEE] + Array("\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 2, column: 4)) { try reader.read(bytes: bytes) }
        // Overlong encoding of "/" and a lone surrogate are invalid too.
        #expect(throws: CSVError.invalidUTF8(line: 1, column: 1)) { try reader.read(bytes: [0xC0, 0xAF]) }
        #expect(throws: CSVError.invalidUTF8(line: 1, column: 3)) { try reader.read(bytes: Array("中,".utf8) + [0xED, 0xA0, 0x80]) }
        // Truncated sequence at the end.
        #expect(throws: CSVError.invalidUTF8(line: 1, column: 2)) { try reader.read(bytes: [0x61, 0xE4, 0xB8]) }
    }

    @Test func structuralErrorsCarryLineAndColumn() {
        #expect(throws: CSVError.unterminatedQuote(line: 2, column: 3)) {
            try reader.read(string: "a,b\n1,\"open\nstill open")
        }
        #expect(throws: CSVError.quoteInUnquotedField(line: 2, column: 4)) {
            try reader.read(string: "a,b\n1,5\"x,2\n")
        }
        #expect(throws: CSVError.textAfterClosingQuote(line: 2, column: 7)) {
            try reader.read(string: "a,b\n1,\"中文\"x\n")
        }
        #expect(throws: CSVError.fieldCountMismatch(line: 3, expected: 2, actual: 3)) {
            try reader.read(string: "a,b\n1,2\n1,2,3\n")
        }
        #expect(throws: CSVError.missingHeader) { try reader.read(string: "") }
        #expect(CSVError.fieldCountMismatch(line: 3, expected: 2, actual: 3).description == "CSV line 3: expected 2 fields (列) as in the header, got 3")
        #expect(CSVError.invalidUTF8(line: 2, column: 4).description.contains("GBK"))
    }

    @Test func raggedRowsAllowedWhenAsked() throws {
        let table = try CSVReader(requireSameFieldCount: false).read(string: "a,b\n1\n1,2,3\n")
        #expect(table.rows.map(\.fields.count) == [1, 3])
        #expect(table.rows[0][1] == nil)
    }

    @Test func tableLookups() throws {
        let table = try reader.read(string: "name,code,name\nx,1,y\n")
        #expect(table.columnIndex("code") == 1)
        #expect(table.value(table.rows[0], column: "name") == "x")
        #expect(table.value(table.rows[0], column: "missing") == nil)
        #expect(table.duplicateHeaders == ["name"])
    }

    @Test func unreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/shixiang/none.csv")
        #expect(throws: CSVError.self) { try reader.read(contentsOf: url) }
    }
}
