import Foundation
import Testing
import ShixiangCodes

@Suite("基本编码")
struct BasicCodeTests {
    @Test func nationalExample() throws {
        let code = try BasicCode("000104002000")
        #expect(code.region == .national)
        #expect(code.region.isNational)
        #expect(code.itemType == .licensing)
        #expect(code.mainItemCode == "04002")
        #expect(code.guidingDepartmentCode == "04")
        #expect(code.sequenceCode == "002")
        #expect(code.subItem == .none)
        #expect(!code.isSubItem)
        #expect(code.mainItemBasicCode == nil)
    }

    @Test func guangxiLocalExample() throws {
        let code = try BasicCode("452004020000")
        #expect(code.region == .local("45"))
        #expect(code.region.provinceName == "广西")
        #expect(code.itemType == .publicService)
        #expect(code.mainItemCode == "04020")
        #expect(code.subItem == .none)
    }

    @Test func subItemSemantics() throws {
        #expect(try BasicCode("00010400200Y").subItem == .hasSubItems)
        let sub = try BasicCode("000104002003")
        #expect(sub.subItem == .subItem(3))
        #expect(sub.isSubItem)
        #expect(sub.mainItemBasicCode?.value == "00010400200Y")
        #expect(try BasicCode("000104002999").subItem == .subItem(999))
    }

    @Test func localExtensionType() throws {
        let code = try BasicCode("441104002000")
        #expect(code.itemType == .localExtension(11))
        #expect(code.region.description == "44 广东")
    }

    @Test func wrongLength() {
        #expect(throws: BasicCodeError.wrongLength(expected: 12, actual: 11, text: "00010400200")) {
            try BasicCode("00010400200")
        }
        #expect(BasicCodeError.wrongLength(expected: 12, actual: 11, text: "00010400200").description
            == "基本编码 (basic code) must be 12 characters, got 11: \"00010400200\"")
    }

    @Test func errorsPerPart() {
        #expect(throws: BasicCodeError.invalidCharacter(part: .region, position: 2, character: "A")) {
            try BasicCode("0A0104002000")
        }
        #expect(throws: BasicCodeError.invalidCharacter(part: .itemType, position: 4, character: "X")) {
            try BasicCode("000X04002000")
        }
        #expect(throws: BasicCodeError.invalidCharacter(part: .mainItem, position: 7, character: "B")) {
            try BasicCode("000104B02000")
        }
        #expect(throws: BasicCodeError.invalidSubItem("0Y1", position: 11, character: "Y")) {
            try BasicCode("0001040020Y1")
        }
        #expect(throws: BasicCodeError.invalidSubItem("Y00", position: 10, character: "Y")) {
            try BasicCode("000104002Y00")
        }
        let message = BasicCodeError.invalidCharacter(part: .mainItem, position: 7, character: "B").description
        #expect(message == "基本编码 (basic code): 主项 (main item) must be digits, found 'B' at position 7")
    }

    @Test func configurableLayout() throws {
        let layout = try BasicCodeLayout(regionLength: 6, guidingDepartmentLength: 2, sequenceLength: 3, subItemLength: 3)
        #expect(layout.totalLength == 16)
        let code = try BasicCode("4507210104002000", layout: layout)
        #expect(code.region == .local("450721"))
        #expect(code.itemType == .licensing)
        #expect(code.mainItemCode == "04002")
        #expect(BasicCodeLayout.deployed.totalLength == 12)
        #expect(BasicCodeLayout.deployed.description == "2+2+(2+3)+3=12")
        #expect(throws: BasicCodeError.self) {
            try BasicCodeLayout(regionLength: 2, typeLength: 3, guidingDepartmentLength: 2, sequenceLength: 3, subItemLength: 3)
        }
        #expect(throws: BasicCodeError.self) {
            try BasicCodeLayout(regionLength: 2, guidingDepartmentLength: 2, sequenceLength: 3, subItemLength: 1)
        }
    }

    @Test func codableUsesLayoutFromUserInfo() throws {
        let layout = try BasicCodeLayout(regionLength: 6, guidingDepartmentLength: 2, sequenceLength: 3, subItemLength: 3)
        let decoder = JSONDecoder()
        decoder.userInfo[.basicCodeLayout] = layout
        let code = try decoder.decode(BasicCode.self, from: Data(#""4507210104002000""#.utf8))
        #expect(code.layout == layout)
        let plain = try JSONDecoder().decode(BasicCode.self, from: Data(#""000104002000""#.utf8))
        #expect(String(decoding: try JSONEncoder().encode(plain), as: UTF8.self) == #""000104002000""#)
        #expect(throws: BasicCodeError.self) {
            try JSONDecoder().decode(BasicCode.self, from: Data(#""4507210104002000""#.utf8))
        }
    }
}
