import Foundation
import Testing
import ShixiangCodes

@Suite("统一社会信用代码")
struct UnifiedSocialCreditCodeTests {
    @Test func realExampleFromImplementationCodeOne() throws {
        // Characters 1–18 of 11450721MB155808114000104002000 (domain.md).
        let code = try UnifiedSocialCreditCode("11450721MB15580811")
        #expect(code.expectedCheckCharacter == "1")
        #expect(code.checkDigitValid)
        #expect(code.registrationAuthority == "1")
        #expect(code.organisationCategory == "1")
        #expect(code.divisionCode == "450721")
        #expect(code.organisationCode == "MB1558081")
        #expect(code.checkCharacter == "1")
    }

    @Test func realExampleFromImplementationCodeTwo() throws {
        let code = try UnifiedSocialCreditCode("114507210081153718")
        #expect(code.expectedCheckCharacter == "8")
        #expect(code.checkDigitValid)
        #expect(code.organisationCode == "008115371")
    }

    @Test func wrongCheckCharacterIsAWarningNotAnError() throws {
        let code = try UnifiedSocialCreditCode("11450721MB15580812")
        #expect(!code.checkDigitValid)
        #expect(code.expectedCheckCharacter == "1")
        #expect(code.value == "11450721MB15580812")
    }

    @Test(arguments: [
        ("91350100M000100Y4", Character("3")),
        ("11511301008778183", Character("N")),
        ("1151130100877844X", Character("4")),
        ("11511301MB1935318", Character("L")),
    ])
    func constructedCodesAreValid(first17: String, check: Character) throws {
        #expect(try UnifiedSocialCreditCode.checkCharacter(forFirst17: first17) == check)
        let made = try UnifiedSocialCreditCode.make(first17: first17)
        #expect(made.checkDigitValid)
        #expect(made.value == first17 + String(check))
    }

    @Test func checkValueThirtyOneMapsToZero() throws {
        // Find a 17-char body whose weighted sum is ≡ 0 (mod 31): then check = 31 → '0'.
        // "00000000000000000" sums to 0.
        #expect(try UnifiedSocialCreditCode.checkCharacter(forFirst17: "00000000000000000") == "0")
    }

    @Test func rejectsWrongLength() {
        #expect(throws: UnifiedSocialCreditCodeError.wrongLength(actual: 17, text: "11450721MB1558081")) {
            try UnifiedSocialCreditCode("11450721MB1558081")
        }
        let error = UnifiedSocialCreditCodeError.wrongLength(actual: 17, text: "11450721MB1558081")
        #expect(error.description == "统一社会信用代码 (unified social credit code) must be 18 characters, got 17: \"11450721MB1558081\"")
    }

    @Test func rejectsForbiddenCharacterWithPosition() {
        #expect(throws: UnifiedSocialCreditCodeError.invalidCharacter(position: 9, character: "O")) {
            try UnifiedSocialCreditCode("11450721OB15580811")
        }
        #expect(throws: UnifiedSocialCreditCodeError.invalidCharacter(position: 10, character: "b")) {
            try UnifiedSocialCreditCode("11450721Mb15580811")
        }
        #expect(throws: UnifiedSocialCreditCodeError.invalidCharacter(position: 18, character: "I")) {
            try UnifiedSocialCreditCode("11450721MB1558081I")
        }
        let message = UnifiedSocialCreditCodeError.invalidCharacter(position: 9, character: "O").description
        #expect(message.contains("'O' at position 9"))
        #expect(message.contains("I, O, Z, S and V never occur"))
        #expect(UnifiedSocialCreditCodeError.invalidCharacter(position: 10, character: "b").description.contains("upper case"))
    }

    @Test func countsCharactersNotBytes() {
        #expect(throws: UnifiedSocialCreditCodeError.invalidCharacter(position: 1, character: "统")) {
            try UnifiedSocialCreditCode("统1450721MB15580811")
        }
    }

    @Test func codableAsString() throws {
        let code = try UnifiedSocialCreditCode("114507210081153718")
        let data = try JSONEncoder().encode(code)
        #expect(String(decoding: data, as: UTF8.self) == #""114507210081153718""#)
        #expect(try JSONDecoder().decode(UnifiedSocialCreditCode.self, from: data) == code)
        #expect(throws: UnifiedSocialCreditCodeError.self) {
            try JSONDecoder().decode(UnifiedSocialCreditCode.self, from: Data(#""123""#.utf8))
        }
    }
}
