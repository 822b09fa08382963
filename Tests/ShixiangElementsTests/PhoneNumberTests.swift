import ShixiangElements
import Testing

@Suite("PhoneNumber")
struct PhoneNumberTests {
    @Test(arguments: ["0826-2345678", "(0826)2345678", "（0826）2345678", "+86 826 2345678", "13800138000", "12345", "12315"])
    func accepted(_ number: String) {
        #expect(PhoneNumber.invalidParts(of: number, allowURL: false) == [])
    }

    @Test(arguments: ["123456", "电话2345678", "0826-234567a", "123", "000-000", "1234567890123456789012"])
    func rejected(_ number: String) {
        #expect(PhoneNumber.invalidParts(of: number, allowURL: false) == [number])
    }

    @Test func severalNumbersAndURLs() {
        #expect(PhoneNumber.invalidParts(of: "0826-2345678；12345", allowURL: false) == [])
        #expect(PhoneNumber.invalidParts(of: "0826-2345678、abc", allowURL: false) == ["abc"])
        #expect(PhoneNumber.invalidParts(of: "https://ts.example.gov.cn", allowURL: true) == [])
        #expect(PhoneNumber.invalidParts(of: "  ", allowURL: true) == [""])
    }
}
