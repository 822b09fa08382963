import Foundation
import Testing
import ShixiangCodes

@Suite("实施编码 and 业务办理项编码")
struct ImplementationCodeTests {
    @Test func firstRealExample() throws {
        let code = try ImplementationCode("11450721MB155808114000104002000")
        #expect(code.unit.value == "11450721MB15580811")
        #expect(code.unit.checkDigitValid)
        #expect(code.level == .county)
        #expect(code.basic.value == "000104002000")
        #expect(code.basic.region == .national)
        #expect(code.basic.itemType == .licensing)
        #expect(code.value == "11450721MB155808114000104002000")
        #expect(ImplementationCode.length() == 31)
    }

    @Test func secondRealExample() throws {
        let code = try ImplementationCode("1145072100811537184452004020000")
        #expect(code.unit.value == "114507210081153718")
        #expect(code.unit.checkDigitValid)
        #expect(code.level == .county)
        #expect(code.basic.value == "452004020000")
        #expect(code.basic.itemType == .publicService)
        #expect(code.basic.region.provinceName == "广西")
    }

    @Test func deriveRoundTrips() throws {
        let unit = try UnifiedSocialCreditCode("114507210081153718")
        let basic = try BasicCode("452004020000")
        let code = ImplementationCode.derive(unit: unit, level: .county, basic: basic)
        #expect(code.value == "1145072100811537184452004020000")
        #expect(try ImplementationCode(code.value) == code)
    }

    @Test func consistencyCheck() throws {
        let code = try ImplementationCode("11450721MB155808114000104002000")
        let unit = try UnifiedSocialCreditCode("11450721MB15580811")
        let basic = try BasicCode("000104002000")
        #expect(code.isConsistent(unit: unit, level: .county, basic: basic))
        #expect(code.isConsistent())
        let other = try UnifiedSocialCreditCode("114507210081153718")
        let mismatches = code.mismatches(unit: other, level: .township, basic: try BasicCode("452004020000"))
        #expect(mismatches == [
            .unit(expected: "114507210081153718", actual: "11450721MB15580811"),
            .level(expected: .township, actual: .county),
            .basicCode(expected: "452004020000", actual: "000104002000"),
        ])
        #expect(mismatches[1].description.contains("行使层级"))
    }

    @Test func errors() {
        #expect(throws: ImplementationCodeError.wrongLength(expected: 31, actual: 30, text: "11450721MB15580811400010400200")) {
            try ImplementationCode("11450721MB15580811400010400200")
        }
        #expect(throws: ImplementationCodeError.invalidUnit(.invalidCharacter(position: 9, character: "O"))) {
            try ImplementationCode("11450721OB155808114000104002000")
        }
        #expect(throws: ImplementationCodeError.invalidLevel("8")) {
            try ImplementationCode("11450721MB155808118000104002000")
        }
        #expect(throws: ImplementationCodeError.invalidBasicCode(.invalidCharacter(part: .itemType, position: 4, character: "X"), offset: 19)) {
            try ImplementationCode("11450721MB155808114000X04002000")
        }
        let message = ImplementationCodeError.invalidLevel("8").description
        #expect(message.contains("character 19"))
        #expect(message.contains("行使层级 (exercise level): unknown code \"8\""))
    }

    @Test func wrongCheckDigitStillParses() throws {
        let code = try ImplementationCode("11450721MB155808124000104002000")
        #expect(!code.unit.checkDigitValid)
        #expect(code.unit.expectedCheckCharacter == "1")
    }

    @Test func businessItemCode() throws {
        let item = try BusinessItemCode("114507210081153718445200402000001")
        #expect(item.implementation.value == "1145072100811537184452004020000")
        #expect(item.suffix == "01")
        #expect(item.number == 1)
        let built = try BusinessItemCode(implementation: item.implementation, number: 7)
        #expect(built.value == "114507210081153718445200402000007")
        #expect(throws: ImplementationCodeError.invalidBusinessSuffix("100")) {
            try BusinessItemCode(implementation: item.implementation, number: 100)
        }
        #expect(throws: ImplementationCodeError.invalidBusinessSuffix("0A")) {
            try BusinessItemCode("11450721008115371844520040200000A")
        }
        #expect(throws: ImplementationCodeError.self) {
            try BusinessItemCode("1145072100811537184452004020000")
        }
    }

    @Test func codable() throws {
        let code = try ImplementationCode("1145072100811537184452004020000")
        let data = try JSONEncoder().encode(code)
        #expect(String(decoding: data, as: UTF8.self) == #""1145072100811537184452004020000""#)
        #expect(try JSONDecoder().decode(ImplementationCode.self, from: data) == code)
    }
}
