import Testing
@testable import ShixiangJSON

@Suite("JSONValue accessors and literals")
struct JSONValueTests {
    @Test func accessors() {
        let v: JSONValue = ["s": "x", "i": 3, "d": 2.0, "f": 2.5, "b": true, "a": [1, 2], "n": nil]
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 3)
        #expect(v["d"]?.intValue == 2)
        #expect(v["f"]?.intValue == nil)
        #expect(v["f"]?.doubleValue == 2.5)
        #expect(v["i"]?.doubleValue == 3.0)
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?.arrayValue?.count == 2)
        #expect(v["a"]?[1] == 2)
        #expect(v["a"]?[2] == nil)
        #expect(v["a"]?[-1] == nil)
        #expect(v["n"]?.isNull == true)
        #expect(v["missing"] == nil)
        #expect(v.objectValue?.count == 7)
        #expect(JSONValue.string("x")["k"] == nil)
        #expect(JSONValue.string("x")[0] == nil)
        #expect(JSONValue.double(1e300).intValue == nil)
        #expect(JSONValue.double(.nan).intValue == nil)
        #expect(JSONValue.double(-9223372036854775808.0).intValue == Int64.min)
        #expect(JSONValue.double(9223372036854775808.0).intValue == nil)
        #expect(JSONValue.int(1).stringValue == nil)
    }

    @Test func typeNames() {
        #expect(JSONValue.null.typeName == "null")
        #expect(JSONValue.bool(true).typeName == "boolean")
        #expect(JSONValue.int(1).typeName == "number")
        #expect(JSONValue.double(1).typeName == "number")
        #expect(JSONValue.string("").typeName == "string")
        #expect(JSONValue.array([]).typeName == "array")
        #expect(JSONValue.object([:]).typeName == "object")
    }

    @Test func literals() {
        let v: JSONValue = ["a": 1, "a": 2]
        #expect(v == .object(["a": .int(2)]))
        #expect((nil as JSONValue) == .null)
        #expect((1.5 as JSONValue) == .double(1.5))
        #expect(("s" as JSONValue) == .string("s"))
        #expect(([true] as JSONValue) == .array([.bool(true)]))
        #expect(JSONValue.int(1) != JSONValue.double(1))
        #expect("\(JSONValue.array([1, "a"]))" == #"[1,"a"]"#)
    }
}
