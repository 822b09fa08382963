import Foundation
import Testing
@testable import ShixiangJSON

/// A value kept as its canonical bytes is, to every coder and comparison, the value itself.
@Suite struct CanonicalJSONTests {
    struct Holder: Codable, Equatable {
        var form: CanonicalJSON
        var note: String
    }

    static let values: [JSONValue] = [
        [:], ["b": 1, "a": ["x", .null, true, 2.5]], ["名称": "政务服务", "quote\"": "a\\b\n"], .string("一"), .int(-7), .array([]),
    ]

    @Test func bytesAreTheCanonicalTextAndValueIsTheValue() throws {
        for value in Self.values {
            let kept = CanonicalJSON(value)
            #expect(kept.bytes == value.canonicalBytes())
            #expect(kept.value == value)
            #expect(CanonicalJSON(canonicalBytes: value.canonicalBytes()) == kept)
            var out: [UInt8] = [0x5B]
            kept.write(into: &out)
            #expect(out == [0x5B] + value.canonicalBytes())
        }
        #expect(CanonicalJSON(["a": 1, "b": 2]) == CanonicalJSON(["b": 2, "a": 1]))
        #expect(CanonicalJSON(["a": 1]) != CanonicalJSON(["a": 2]))
    }

    @Test func codersSeeTheValueNotTheBytes() throws {
        for value in Self.values {
            let holder = Holder(form: CanonicalJSON(value), note: "n")
            // Through the tree coders.
            let tree = try JSONValueEncoder().encode(holder)
            #expect(tree == ["form": value, "note": "n"])
            #expect(try JSONValueDecoder().decode(Holder.self, from: tree) == holder)
            // Through Foundation's, and the bytes decoder.
            let text = try JSONEncoder().encode(holder)
            #expect(try JSONValue.parse(Array(text)) == tree)
            #expect(try JSONDecoder().decode(Holder.self, from: text) == holder)
            #expect(try Array(text).withUnsafeBytes { try JSONBytesDecoder().decode(Holder.self, from: $0) } == holder)
        }
    }

    @Test func aReaderTakesAMembersBytesAsTheyLie() throws {
        let document = JSONValue.object(["changes": ["elements": ["名称": "甲"], "level": "4"], "id": "a"]).canonicalBytes()
        let kept = try document.withUnsafeBytes { bytes -> CanonicalJSON in
            var r = JSONReader(bytes)
            var found: CanonicalJSON?
            try r.beginObject()
            while let name = try r.nextMember() {
                if name == "changes" { found = try r.readCanonical() } else { try r.skipValue() }
            }
            try r.end()
            return try #require(found)
        }
        #expect(kept.value == ["elements": ["名称": "甲"], "level": "4"])
        #expect(kept.bytes == kept.value.canonicalBytes())
        // What it steps over is checked as any value the reader reads.
        #expect(throws: JSONParseError.self) {
            try Array(#"{"changes":{"a":tru}}"#.utf8).withUnsafeBytes { bytes in
                var r = JSONReader(bytes)
                try r.beginObject()
                _ = try r.nextMember()
                _ = try r.readCanonical()
            }
        }
    }
}
