import ShixiangTestSupport
import Testing
@testable import ShixiangJSON

@Suite("Parser accepts valid input")
struct ParserValidTests {
    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("\"hi\"") == .string("hi"))
        #expect(try parse(" \t\r\n 7 \n") == .int(7))
    }

    @Test func integerBoundaries() throws {
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808.0))
        #expect(try parse("-9223372036854775809") == .double(-9223372036854775809.0))
        #expect(try parse("18446744073709551616") == .double(18446744073709551616.0))
        let big = "1" + String(repeating: "0", count: 300)
        #expect(try parse(big) == .double(1e300))
    }

    @Test func doubles() throws {
        #expect(try parse("0.5") == .double(0.5))
        #expect(try parse("-0.0") == .double(-0.0))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("1E+2") == .double(100))
        #expect(try parse("1e-2") == .double(0.01))
        #expect(try parse("0.1") == .double(0.1))
        #expect(try parse("1.5e300") == .double(1.5e300))
        #expect(try parse("2.2250738585072014e-308") == .double(2.2250738585072014e-308))
        #expect(try parse("5e-324") == .double(.leastNonzeroMagnitude))
        #expect(try parse("1e-400") == .double(0))
        #expect(try parse("1.7976931348623157e308") == .double(1.7976931348623157e308))
        #expect(try parse("123456789012345678901234567890e-10") == .double(12345678901234567890.1234567890))
        #expect(try parse("0.30000000000000004") == .double(0.1 + 0.2))
        #expect(try parse("3.141592653589793") == .double(3.141592653589793))
        #expect(try parse("1e0") == .double(1))
        #expect(try parse("0e5") == .double(0))
        #expect(try parse("-1.25E-3") == .double(-0.00125))
    }

    @Test func fastPathMatchesSlowPath() throws {
        // Compare the parser's result with Swift's Double(String) on many decimal forms.
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20_000 {
            let mantissa = rng.next() % 100_000_000_000_000_000
            let exponent = Int(rng.next() % 80) - 40
            let text = "\(mantissa)e\(exponent)"
            let expected = Double(text)
            #expect(try parse(text).doubleValue == expected, "\(text)")
            let fraction = "\(rng.next() % 1000).\(rng.next() % 10_000_000_000)"
            #expect(try parse(fraction).doubleValue == Double(fraction), "\(fraction)")
        }
    }

    @Test func strings() throws {
        #expect(try parse(#""a\"b\\c\/d""#) == .string("a\"b\\c/d"))
        #expect(try parse(#""\b\f\n\r\t""#) == .string("\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u4E2D""#) == .string("Aé中"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse("\"中文 and émoji 😀\"") == .string("中文 and émoji 😀"))
        #expect(try parse("\"\u{7F}\u{2028}\u{2029}\"") == .string("\u{7F}\u{2028}\u{2029}"))
        #expect(try parse("\"\u{10FFFF}\"") == .string("\u{10FFFF}"))
        #expect(try parse("\"\"") == .string(""))
        let long = String(repeating: "长字符串", count: 1000)
        #expect(try parse("\"\(long)\"") == .string(long))
    }

    @Test func containers() throws {
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([:]))
        #expect(try parse("[ ]") == .array([]))
        #expect(try parse("{ }") == .object([:]))
        #expect(try parse("[1,[2,[3]],{\"a\":[]}]") == [1, [2, [3]], ["a": []]])
        #expect(try parse("{ \"a\" : 1 , \"b\" : [ true , null ] }") == ["a": 1, "b": [true, nil]])
        #expect(try parse("{\"\":0}") == ["": 0])
    }

    @Test func sampleEventParses() throws {
        let v = try parse(sampleEvent)
        #expect(v["seq"] == .int(1_048_576))
        #expect(v["data"]?["unit"]?.stringValue == "上海市浦东新区市场监督管理局")
        #expect(v["data"]?["evidence"]?[1]?["kind"] == "photo")
        #expect(v["data"]?["evidence"]?[2]?["pages"]?.intValue == 2)
        #expect(v["data"]?["amount"]?.doubleValue == 1234567.89)
        #expect(v["data"]?["note"]?.isNull == true)
    }

    @Test func overloadsAgree() throws {
        let text = "{\"k\":[1,2.5,\"三\"]}"
        let bytes = Array(text.utf8)
        let a = try JSONValue.parse(text)
        let b = try JSONValue.parse(bytes)
        let c = try JSONValue.parse(bytes[...])  // ArraySlice: generic Collection overload
        let d = try bytes.withUnsafeBytes { try JSONValue.parse($0) }
        let e = try JSONValue.parse(text.utf8)
        let f = try JSONParser(limits: .default).parse(text)
        let g = try JSONValue.parse(AnyCollection(bytes))  // non-contiguous: copied
        #expect(a == b && b == c && c == d && d == e && e == f && f == g)
    }

    @Test func exactlyMaxDepthParsesAndMillionElementArray() throws {
        let deep = String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
        var v = try parse(deep)
        for _ in 0..<64 { v = v[0] ?? .null }
        #expect(v == 1)
        let many = "[" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]"
        #expect(try parse(many).arrayValue?.count == 100_000)
    }
}
