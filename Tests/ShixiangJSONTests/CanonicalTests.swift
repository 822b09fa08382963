import ShixiangTestSupport
import Testing
@testable import ShixiangJSON

@Suite("Canonical serializer")
struct CanonicalTests {
    @Test func scalars() {
        #expect(canon(.null) == "null")
        #expect(canon(true) == "true")
        #expect(canon(false) == "false")
        #expect(canon(.int(0)) == "0")
        #expect(canon(.int(-12)) == "-12")
        #expect(canon(.int(Int64.max)) == "9223372036854775807")
        #expect(canon(.int(Int64.min)) == "-9223372036854775808")
    }

    @Test func integersAppendedToBytesAreTheirCanonicalText() {
        for n: Int64 in [0, 7, 9, 10, -1, -10, 99, 100, 1_234_567_890, .max, .min, .max - 1, .min + 1] {
            var out: [UInt8] = [0x2A]
            JSONValue.appendInteger(n, to: &out)
            #expect(out == [0x2A] + Array(String(n).utf8), "\(n)")
            #expect(Array(out.dropFirst()) == JSONValue.int(n).canonicalBytes(), "\(n)")
        }
    }

    @Test func doubles() {
        #expect(canon(.double(2.0)) == "2")
        #expect(canon(.double(-0.0)) == "0")
        #expect(canon(.double(-3.0)) == "-3")
        #expect(canon(.double(0.1)) == "0.1")
        #expect(canon(.double(1e-7)) == "1e-07")
        #expect(canon(.double(1.5e300)) == "1.5e+300")
        #expect(canon(.double(-2.5)) == "-2.5")
        #expect(canon(.double(9007199254740991.0)) == "9007199254740991")
        #expect(canon(.double(9007199254740992.0)) == "9007199254740992.0")
        #expect(canon(.double(-9007199254740992.0)) == "-9007199254740992.0")
        #expect(canon(.double(9007199254740994.0)) == "9.007199254740994e+15")
        #expect(canon(.double(1e15 * 9.99)) == "9.99e+15")
        #expect(canon(.double(1e16)) == "1e+16")
        #expect(canon(.double(.leastNonzeroMagnitude)) == "5e-324")
        #expect(canon(.double(1234567.89)) == "1234567.89")
        #expect(canon(.double(.nan)) == "null")
        #expect(canon(.double(.infinity)) == "null")
        #expect(canon(.double(-.infinity)) == "null")
    }

    @Test func escapeRules() {
        #expect(canon("a\"b") == #""a\"b""#)
        #expect(canon("a\\b") == #""a\\b""#)
        #expect(canon("\u{8}\u{C}\n\r\t") == #""\b\f\n\r\t""#)
        #expect(canon("\u{0}\u{1}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(canon("\u{1A}\u{0B}") == #""\u001a\u000b""#)
        #expect(canon("/") == "\"/\"")
        #expect(canon("\u{7F}") == "\"\u{7F}\"")
        #expect(canon("\u{2028}\u{2029}") == "\"\u{2028}\u{2029}\"")
        #expect(canon("中文😀") == "\"中文😀\"")
        // Long strings exercise the 8-byte skipping path, with specials at every position.
        for position in 0..<20 {
            var chars = Array(repeating: "x", count: 20)
            chars[position] = "\""
            let s = chars.joined()
            let expected = "\"" + chars.map { $0 == "\"" ? "\\\"" : $0 }.joined() + "\""
            #expect(canon(.string(s)) == expected)
        }
        let mixed = String(repeating: "中a\u{1}", count: 10)
        #expect(canon(.string(mixed)) == "\"" + String(repeating: "中a\\u0001", count: 10) + "\"")
    }

    @Test func noUnicodeNormalization() {
        #expect(JSONValue.string("e\u{301}").canonicalBytes() == [0x22, 0x65, 0xCC, 0x81, 0x22])
        #expect(JSONValue.string("\u{E9}").canonicalBytes() == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func keyOrderIsByUTF8Bytes() {
        let v: JSONValue = [
            "b": 1, "a": 2, "B": 3, "aa": 4, "": 5, "中": 6, "é": 7, "z": 8, "~": 9, "😀": 10, "\u{FFFD}": 11,
            "a\u{0}": 12, "abcdefgh1": 13, "abcdefgh": 14, "abcdefgh0": 15, "abcdefgi": 16,
        ]
        // UTF-8 order: "" < "B" < "a" < "a\0" < "aa" < "abcdefgh" < "abcdefgh0" < "abcdefgh1" < "abcdefgi"
        // < "b" < "z" < "~" < "é"(C3 A9) < "中"(E4) < U+FFFD(EF BF BD) < "😀"(F0)
        #expect(canon(v) == #"{"":5,"B":3,"a":2,"a\u0000":12,"aa":4,"abcdefgh":14,"abcdefgh0":15,"abcdefgh1":13,"abcdefgi":16,"b":1,"z":8,"~":9,"é":7,"中":6,"\#u{FFFD}":11,"😀":10}"#)
    }

    @Test func utf8OrderDiffersFromUTF16Order() {
        // U+FF61 (EF BD A1) sorts before U+1F600 (F0 ..) in UTF-8, but after it in UTF-16.
        let v: JSONValue = ["😀": 1, "\u{FF61}": 2]
        #expect(canon(v) == "{\"\u{FF61}\":2,\"😀\":1}")
    }

    @Test func largeObjectIsSorted() throws {
        var o: [String: JSONValue] = [:]
        for i in 0..<500 { o["k\(i * 7919 % 1000)"] = .int(Int64(i)) }
        let bytes = JSONValue.object(o).canonicalBytes()
        let keys = o.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let expected = "{" + keys.map { "\"\($0)\":" + (o[$0].map(canon) ?? "?") }.joined(separator: ",") + "}"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test func containersAndNesting() {
        #expect(canon([]) == "[]")
        #expect(canon([:]) == "{}")
        #expect(canon([1, "a", nil, [true]]) == #"[1,"a",null,[true]]"#)
        #expect(canon(["x": ["b": [], "a": [:]]]) == #"{"x":{"a":{},"b":[]}}"#)
    }

    @Test func sampleEventIsStable() throws {
        let v = try parse(sampleEvent)
        let c = v.canonicalString
        #expect(c.hasPrefix(#"{"actor":{"id":"u-20931","name":"王小明","role":"registrar"},"data":{"active":true,"amount":1234567.89,"count":42,"evidence":[{"kind":"scan","pages":3,"sha256":"#))
        #expect(!c.contains(" "))
        #expect(v.compactBytes() == v.canonicalBytes())
        var out: [UInt8] = [0x41]
        v.writeCanonical(into: &out)
        #expect(out == [0x41] + v.canonicalBytes())
    }

    @Test func fixedPointOnGeneratedValues() throws {
        var gen = ValueGenerator(rng: SplitMix64(seed: 2024))
        for _ in 0..<3_000 {
            let v = gen.value()
            let first = v.canonicalBytes()
            let reparsed = try JSONValue.parse(first)
            let second = reparsed.canonicalBytes()
            #expect(first == second, "\(String(decoding: first, as: UTF8.self))")
            // Pretty output parses to the same canonical form too.
            #expect(try JSONValue.parse(v.prettyString()).canonicalBytes() == first)
        }
    }

    @Test func generatedNumbersRoundTrip() throws {
        var gen = ValueGenerator(rng: SplitMix64(seed: 5))
        for _ in 0..<20_000 {
            let d = gen.double()
            let text = canon(.double(d))
            let back = try parse(text)
            #expect(back.doubleValue == d || (d == 0 && back.doubleValue == 0), "\(d) -> \(text)")
        }
    }

    @Test func prettyPrinter() throws {
        let v: JSONValue = ["名称": "测试", "list": [1, 2], "empty": [], "obj": [:], "n": nil]
        let expected = """
        {
          "empty": [],
          "list": [
            1,
            2
          ],
          "n": null,
          "obj": {},
          "名称": "测试"
        }
        """
        #expect(v.prettyString() == expected)
        #expect(JSONValue.array([1]).prettyString(indent: 4) == "[\n    1\n]")
        #expect(JSONValue.int(3).prettyString() == "3")
        #expect(JSONValue.array([1]).prettyString(indent: -1) == "[\n1\n]")
    }
}
