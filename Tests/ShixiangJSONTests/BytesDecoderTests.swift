import ShixiangTestSupport
import Testing
@testable import ShixiangJSON

/// `JSONBytesDecoder` and `JSONReader`: the same answers as parse-then-decode on well-formed
/// input, the same refusals (as `JSONParseError`) on malformed input.
@Suite struct BytesDecoderTests {
    func bytesDecode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try Array(text.utf8).withUnsafeBytes { try JSONBytesDecoder().decode(T.self, from: $0) }
    }

    func treeDecode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValueDecoder().decode(T.self, from: try JSONValue.parse(text))
    }

    static let entry = """
        {"seq":7,"unit":"上海\\"市","amount":12.5,"ratio":0.25,"count":3,"small":-4,"big":9223372036854775807,"active":true,\
        "note":null,"tags":["a","b\\n"],"scores":{"x":1,"y":2},"evidence":[{"kind":"scan","sha256":"ab","pages":3}],\
        "actor":{"id":"u1","name":"王"},"status":"active","extra":{"z":[1,2.5,"三",null,{"k":false}]},"matrix":[[1,2],[]],\
        "optional_list":[1,null,3]}
        """

    @Test func decodesWhatTheTreeDecoderDecodes() throws {
        #expect(try bytesDecode(Entry.self, Self.entry) == treeDecode(Entry.self, Self.entry))
        #expect(try bytesDecode(JSONValue.self, Self.entry) == JSONValue.parse(Self.entry))
        #expect(try bytesDecode([Int].self, " [1, 2 ,3] ") == [1, 2, 3])
        #expect(try bytesDecode(String?.self, "null") == nil)
        #expect(try bytesDecode(Double.self, "3") == 3)
    }

    @Test func randomValuesRoundTrip() throws {
        var g = ValueGenerator(rng: SplitMix64(seed: 11))
        for _ in 0..<300 {
            let value = g.value(depth: 4)
            let bytes = value.canonicalBytes()
            let decoded = try bytes.withUnsafeBytes { try JSONBytesDecoder().decode(JSONValue.self, from: $0) }
            #expect(decoded.canonicalBytes() == bytes)
            // Through a keyed container too: as a member of an object.
            let wrapped = Array(#"{"v":"#.utf8) + bytes + Array("}".utf8)
            let inner = try wrapped.withUnsafeBytes { try JSONBytesDecoder().decode([String: JSONValue].self, from: $0) }
            #expect(inner["v"]?.canonicalBytes() == bytes)
        }
    }

    @Test func reportsTheSameDecodingErrors() throws {
        let cases = [
            #"{"kind":"scan","pages":3}"#,  // sha256 missing
            #"{"kind":"scan","sha256":5,"pages":3}"#,  // a number for a string
            #"{"kind":"scan","sha256":"x","pages":300}"#,  // out of range for UInt8
            #"{"kind":"scan","sha256":"x","pages":1.5}"#,  // not an integer
            #"{"kind":"scan","sha256":"x","pages":null}"#,  // null for a required value
            #"[1]"#,
        ]
        for text in cases {
            var tree: JSONDecodingError?
            var bytes: JSONDecodingError?
            do { _ = try treeDecode(Evidence.self, text) } catch let e as JSONDecodingError { tree = e }
            do { _ = try bytesDecode(Evidence.self, text) } catch let e as JSONDecodingError { bytes = e }
            #expect(tree != nil && tree == bytes, "\(text): \(String(describing: tree)) vs \(String(describing: bytes))")
        }
    }

    @Test func refusesMalformedBytesAsTheParserDoes() {
        let malformed = [
            "", " ", #"{"kind":"scan""#, #"{"kind":"scan",}"#, #"{"kind" "scan"}"#, #"{"kind":"scan"} x"#,
            #"{"kind":"a","kind":"b","sha256":"x","pages":1}"#,  // duplicate, in order
            #"{"sha256":"x","kind":"a","pages":1,"kind":"b"}"#,  // duplicate, out of order
            #"{"kind":"\u12","sha256":"x","pages":1}"#, #"{"kind":"\ud800","sha256":"x","pages":1}"#,
            "{\"kind\":\"a\u{1}\",\"sha256\":\"x\",\"pages\":1}", #"{"kind":"a","sha256":"x","pages":01}"#,
            #"{"kind":"a","sha256":"x","pages":1,"extra":[1,]}"#, #"{"kind":"a","sha256":"x","pages":1,"extra":tru}"#,
            #"{"kind":"a","sha256":"x","pages":1,"extra":{"a":1,}}"#, #"{"kind":"a","sha256":"x","pages":1,"extra":[1 2]}"#,
        ]
        for text in malformed {
            #expect(throws: JSONParseError.self, "\(text)") { _ = try bytesDecode(Evidence.self, text) }
            #expect(throws: JSONParseError.self, "\(text)") { _ = try JSONValue.parse(text) }
        }
        // Invalid UTF-8 inside a string, and inside a value stepped over.
        for bytes: [UInt8] in [Array(#"{"kind":""#.utf8) + [0xC3, 0x28] + Array(#"","sha256":"x","pages":1}"#.utf8),
                               Array(#"{"kind":"a","sha256":"x","pages":1,"extra":""#.utf8) + [0xFF] + Array(#""}"#.utf8)] {
            #expect(throws: JSONParseError.self) { _ = try bytes.withUnsafeBytes { try JSONBytesDecoder().decode(Evidence.self, from: $0) } }
        }
        // Depth: the limit holds for values decoded and values stepped over.
        let deep = #"{"kind":"a","sha256":"x","pages":1,"extra":"# + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "}"
        #expect(throws: JSONParseError.self) { _ = try bytesDecode(Evidence.self, deep) }
    }

    @Test func readerWalksAnObjectInPlace() throws {
        let text = #"{"a":1,"b":"两","c":{"d":[true,null]},"e":-7,"f":false}"#
        try Array(text.utf8).withUnsafeBytes { bytes in
            var r = JSONReader(bytes)
            try r.beginObject()
            var seen: [String] = []
            while let name = try r.nextMember() {
                seen.append(name.description)
                if name == "a" { #expect(try r.readInteger() == 1) }
                else if name == "b" { #expect(try r.readString() == "两") }
                else if name == "c" { #expect(try r.readValue() == ["d": [true, .null]]) }
                else if name == "e" { let range = try r.valueRange(); #expect(String(decoding: bytes[range], as: UTF8.self) == "-7") }
                else { #expect(try r.readBool() == false) }
            }
            try r.end()
            #expect(seen == ["a", "b", "c", "e", "f"])
        }
        for bad in [#"{"a":1,"a":2}"#, #"{"b":1,"a":2,"b":3}"#, #"{"a":1"#, #"{"a":1}}"#, #"{"a":1,}"#, #"{"a":"x"}"#] {
            #expect(throws: JSONParseError.self, "\(bad)") {
                try Array(bad.utf8).withUnsafeBytes { bytes in
                    var r = JSONReader(bytes)
                    try r.beginObject()
                    while try r.nextMember() != nil { _ = try r.readInteger() }
                    try r.end()
                }
            }
        }
    }
    @Test func readerFindsDuplicatesAfterNamesOutOfOrder() throws {
        /// The names read (values stepped over), or the duplicate error.
        func walk(_ text: String) throws -> [String] {
            try Array(text.utf8).withUnsafeBytes { bytes in
                var r = JSONReader(bytes)
                try r.beginObject()
                var seen: [String] = []
                while let name = try r.nextMember() {
                    seen.append(name.description)
                    try r.skipValue()
                }
                try r.end()
                return seen
            }
        }
        // In order, then out of order: the names before are read again, values stepped over.
        #expect(try walk(#"{"b":1,"a":2,"c":3}"#) == ["b", "a", "c"])
        #expect(try walk(#" { "b" : [1,{"c":2}] , "a" : 2 , "d" : 3 } "#) == ["b", "a", "d"])
        let cases: [(text: String, key: String, offset: Int)] = [
            (#"{"b":{"x":[1,{"y":2}]},"c":"s","a":1,"c":2}"#, "c", 37),
            (#"{ "b" : 1 , "a" : 2 , "b" : 3 }"#, "b", 22),
            (#"{"a":1,"c":2,"\u0063":3}"#, "c", 13),
            (#"{"\u0061":1,"b":2,"a":3}"#, "a", 18),
            (#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"a":18}"#, "a", 111),
        ]
        for c in cases {
            do {
                let seen = try walk(c.text)
                Issue.record("\(c.text): no duplicate found, read \(seen)")
            } catch let error as JSONParseError {
                #expect(error.kind == .duplicateKey, "\(c.text)")
                #expect(error.key == c.key, "\(c.text)")
                #expect(error.offset == c.offset, "\(c.text)")
            }
        }
    }

    @Test func readerComparesNamesWrittenWithAndWithoutEscapes() throws {
        // "\u0062" is b, "\"" a quote: escaped names compare by what they say, not how they are written.
        let text = #"{"a":1,"\u0062":2,"ab":3,"\"q":4,"":5,"名称":6}"#
        try Array(text.utf8).withUnsafeBytes { bytes in
            var r = JSONReader(bytes)
            try r.beginObject()
            var matched: [String] = []
            while let name = try r.nextMember() {
                for literal: StaticString in ["a", "b", "ab", "\"q", "", "名称", "abc", "q"] where name == literal {
                    matched.append(literal.description)
                }
                try r.skipValue()
            }
            try r.end()
            #expect(matched == ["a", "b", "ab", "\"q", "", "名称"])
        }
    }

    @Test func readerLendsStringBytesInPlaceOrDecoded() throws {
        let text = #"{"plain":"2026-11-24T15:36:00Z","escaped":"a\n\u4e24\"","empty":"","n":1}"#
        try Array(text.utf8).withUnsafeBytes { bytes in
            var r = JSONReader(bytes)
            try r.beginObject()
            var got: [String: String] = [:]
            while let name = try r.nextMember() {
                if name == "n" {
                    // Not a string: refused, as readString() refuses it.
                    #expect(throws: JSONParseError.self) { try r.withString { _ in 0 } }
                    break
                }
                got[name.description] = try r.withString { String(decoding: $0, as: UTF8.self) }
            }
            #expect(got == ["plain": "2026-11-24T15:36:00Z", "escaped": "a\n两\"", "empty": ""])
        }
        // Bad strings are refused as readString() refuses them.
        for bad in [#"{"s":"a\x"}"#, #"{"s":"\ud800"}"#, "{\"s\":\"a\u{01}\"}", #"{"s":"abc"#] {
            #expect(throws: JSONParseError.self, "\(bad)") {
                try Array(bad.utf8).withUnsafeBytes { bytes in
                    var r = JSONReader(bytes)
                    try r.beginObject()
                    _ = try r.nextMember()
                    _ = try r.withString { $0.count }
                }
            }
        }
    }

    @Test func readerWalksArraysInPlace() throws {
        let text = #"{"a":["x","两"],"b":[],"c":[{"n":1},{"n":2,"m":[3]}],"d":"z"}"#
        try Array(text.utf8).withUnsafeBytes { bytes in
            var r = JSONReader(bytes)
            try r.beginObject()
            var ns: [Int64] = []
            while let name = try r.nextMember() {
                if name == "a" { #expect(try r.readStrings() == ["x", "两"]) }
                else if name == "b" { #expect(try r.readStrings() == []) }
                else if name == "c" {
                    try r.beginArray()
                    while try r.nextElement() {
                        try r.beginObject()
                        while let inner = try r.nextMember() {
                            if inner == "n" { ns.append(try r.readInteger()) } else { try r.skipValue() }
                        }
                    }
                } else { #expect(try r.readString() == "z") }
            }
            try r.end()
            #expect(ns == [1, 2])
        }
        // Malformed arrays, wrong element types, and members asked of an array are refused.
        for bad in [#"{"a":["x",]}"#, #"{"a":[,"x"]}"#, #"{"a":["x" "y"]}"#, #"{"a":["x"}"#, #"{"a":[1]}"#, #"{"a":"x"}"#, #"{"a":["x"]"#] {
            #expect(throws: JSONParseError.self, "\(bad)") {
                try Array(bad.utf8).withUnsafeBytes { bytes in
                    var r = JSONReader(bytes)
                    try r.beginObject()
                    while try r.nextMember() != nil { _ = try r.readStrings() }
                    try r.end()
                }
            }
        }
        #expect(throws: JSONParseError.self) {
            try Array(#"[1]"#.utf8).withUnsafeBytes { bytes in
                var r = JSONReader(bytes)
                try r.beginArray()
                _ = try r.nextMember()
            }
        }
        #expect(throws: JSONParseError.self) {
            try Array(#"{"a":1}"#.utf8).withUnsafeBytes { bytes in
                var r = JSONReader(bytes)
                try r.beginObject()
                _ = try r.nextElement()
            }
        }
    }
}
