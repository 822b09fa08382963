import Testing
@testable import ShixiangJSON

struct Evidence: Codable, Equatable {
    var kind: String
    var sha256: String
    var pages: UInt8
    var checked: Bool?
}

struct Actor: Codable, Equatable {
    var id: String
    var displayName: String

    enum CodingKeys: String, CodingKey {
        case id
        case displayName = "name"
    }
}

enum Status: String, Codable, Equatable {
    case active, revoked
}

struct Entry: Codable, Equatable {
    var seq: Int64
    var unit: String
    var amount: Double
    var ratio: Float
    var count: Int
    var small: Int8
    var big: UInt64
    var active: Bool
    var note: String?
    var tags: [String]
    var scores: [String: Int]
    var evidence: [Evidence]
    var actor: Actor
    var status: Status
    var extra: JSONValue
    var matrix: [[Int]]
    var optionalList: [Int?]

    enum CodingKeys: String, CodingKey {
        case seq, unit, amount, ratio, count, small, big, active, note, tags, scores, evidence, actor, status, extra
        case matrix
        case optionalList = "optional_list"
    }
}

/// Exercises nested containers and superEncoder by hand.
class Base: Codable {
    var baseValue: Int
    init(baseValue: Int) { self.baseValue = baseValue }
}

final class Derived: Base, @unchecked Sendable {
    var name: String
    init(name: String, baseValue: Int) {
        self.name = name
        super.init(baseValue: baseValue)
    }
    enum CodingKeys: String, CodingKey { case name, meta }
    enum MetaKeys: String, CodingKey { case level }
    required init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        let meta = try c.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        _ = try meta.decode(Int.self, forKey: .level)
        try super.init(from: c.superDecoder())
    }
    override func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        var meta = c.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        try meta.encode(1, forKey: .level)
        try super.encode(to: c.superEncoder())
    }
}

struct Pair: Codable, Equatable {
    var left: Int
    var right: String
    init(left: Int, right: String) {
        self.left = left
        self.right = right
    }
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        left = try c.decode(Int.self)
        right = try c.decode(String.self)
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(left)
        try c.encode(right)
    }
}

func decodeError<T: Decodable>(_ type: T.Type, _ json: String) -> JSONDecodingError? {
    do {
        let v = try JSONValue.parse(json)
        _ = try JSONValueDecoder().decode(T.self, from: v)
        return nil
    } catch let e as JSONDecodingError {
        return e
    } catch {
        return JSONDecodingError(kind: .invalidValue, path: "?", message: "parse failed: \(error)")
    }
}

@Suite("Codable bridge")
struct CodableTests {
    let entry = Entry(
        seq: 9_000_000_000, unit: "上海市市场监督管理局", amount: 1234.5, ratio: 0.1, count: -3, small: -128,
        big: UInt64(Int64.max), active: true, note: nil, tags: ["a", "中"], scores: ["x": 1, "名": 2],
        evidence: [
            Evidence(kind: "scan", sha256: "abc", pages: 255, checked: true),
            Evidence(kind: "photo", sha256: "def", pages: 0, checked: nil),
        ],
        actor: Actor(id: "u1", displayName: "王小明"), status: .revoked, extra: ["free": [1, "form"]],
        matrix: [[1, 2], [], [3]], optionalList: [1, nil, 3])

    @Test func roundTripNestedStruct() throws {
        let v = try JSONValueEncoder().encode(entry)
        #expect(v["actor"]?["name"] == "王小明")
        #expect(v["actor"]?["displayName"] == nil)
        #expect(v["note"] == nil)  // nil optionals are omitted by synthesized encodeIfPresent
        #expect(v["ratio"] == .double(0.1))  // Float keeps its short decimal form
        #expect(v["status"] == "revoked")
        #expect(v["optional_list"] == [1, nil, 3])
        #expect(v["evidence"]?[0]?["pages"] == 255)
        let back = try JSONValueDecoder().decode(Entry.self, from: v)
        #expect(back == entry)
        // Through text as well.
        let reparsed = try JSONValue.parse(v.canonicalBytes())
        #expect(try JSONValueDecoder().decode(Entry.self, from: reparsed) == entry)
    }

    @Test func classHierarchyWithSuperEncoder() throws {
        let v = try JSONValueEncoder().encode(Derived(name: "d", baseValue: 7))
        #expect(v == ["name": "d", "meta": ["level": 1], "super": ["baseValue": 7]])
        let back = try JSONValueDecoder().decode(Derived.self, from: v)
        #expect(back.name == "d" && back.baseValue == 7)
    }

    @Test func unkeyedAndTopLevelValues() throws {
        let pair = Pair(left: 1, right: "r")
        let v = try JSONValueEncoder().encode(pair)
        #expect(v == [1, "r"])
        #expect(try JSONValueDecoder().decode(Pair.self, from: v) == pair)
        #expect(try JSONValueEncoder().encode(5) == 5)
        #expect(try JSONValueEncoder().encode("s") == "s")
        #expect(try JSONValueEncoder().encode([1, 2]) == [1, 2])
        #expect(try JSONValueEncoder().encode(Optional<Int>.none) == nil)
        #expect(try JSONValueEncoder().encode(["k": [true]]) == ["k": [true]])
        #expect(try JSONValueDecoder().decode([String: [Int]].self, from: ["a": [1]]) == ["a": [1]])
        #expect(try JSONValueDecoder().decode(Int?.self, from: nil) == nil)
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: ["x": 1]) == ["x": 1])
    }

    @Test func numericConversions() throws {
        let d = JSONValueDecoder()
        #expect(try d.decode(Double.self, from: .int(3)) == 3.0)
        #expect(try d.decode(Int.self, from: .double(4.0)) == 4)
        #expect(try d.decode(UInt64.self, from: .double(1e19)) == 10_000_000_000_000_000_000)
        #expect(try d.decode(Float.self, from: .double(0.5)) == 0.5)
        #expect(try d.decode(UInt8.self, from: 255) == 255)
        #expect(try d.decode(Int8.self, from: -128) == -128)
        #expect(throws: JSONDecodingError.self) { try d.decode(UInt8.self, from: 256) }
        #expect(throws: JSONDecodingError.self) { try d.decode(UInt.self, from: -1) }
        #expect(throws: JSONDecodingError.self) { try d.decode(Int.self, from: 1.5) }
        #expect(throws: JSONDecodingError.self) { try d.decode(Int64.self, from: 1e19) }
        #expect(throws: JSONDecodingError.self) { try d.decode(Float.self, from: 1e300) }
        #expect(throws: JSONDecodingError.self) { try d.decode(Bool.self, from: 1) }
        #expect(throws: JSONDecodingError.self) { try d.decode(String.self, from: 1) }
    }

    @Test func encodingRangeErrors() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(UInt64.max) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["f": Float.infinity]) }
    }

    @Test func errorPathsAndMessages() {
        let good = #"{"kind":"scan","sha256":"x","pages":1}"#
        let e1 = decodeError([String: [Evidence]].self, #"{"evidence":[\#(good),{"kind":"k","sha256":5,"pages":1}]}"#)
        #expect(e1?.description == "evidence[1].sha256: expected a string, found a number")
        #expect(e1?.kind == .typeMismatch)
        #expect(e1?.path == "evidence[1].sha256")

        let e2 = decodeError(Actor.self, #"{"id":"u"}"#)
        #expect(e2?.description == "name: required field is missing")
        #expect(e2?.kind == .missingField)

        let e3 = decodeError(Evidence.self, #"{"kind":"scan","sha256":"x","pages":300}"#)
        #expect(e3?.path == "pages")
        #expect(e3?.kind == .numberOutOfRange)
        #expect(e3?.message.contains("300") == true)

        let e4 = decodeError(Evidence.self, #"{"kind":null,"sha256":"x","pages":1}"#)
        #expect(e4?.description == "kind: expected a string, found null")

        let e5 = decodeError([Evidence].self, #"{"kind":"scan"}"#)
        #expect(e5?.description == "expected an array, found an object")

        let e6 = decodeError(Entry.self, #"{"status":"bogus"}"#)
        #expect(e6 != nil)

        let e7 = decodeError([String: Status].self, #"{"a":"active","b":"nope"}"#)
        #expect(e7?.path == "b")
        #expect(e7?.kind == .invalidValue)

        let e8 = decodeError(Pair.self, #"[1]"#)
        #expect(e8?.path == "[1]")
        #expect(e8?.kind == .missingValue)

        let e9 = decodeError([String: Int].self, #"{"odd key.x":"s"}"#)
        #expect(e9?.description == #"["odd key.x"]: expected an integer, found a string"#)

        let e10 = decodeError([[Int]].self, #"[[1],[2,true]]"#)
        #expect(e10?.description == "[1][1]: expected an integer, found a boolean")
    }

    @Test func optionalsAndUnknownKeys() throws {
        let v = try JSONValue.parse(#"{"kind":"k","sha256":"s","pages":1,"checked":null,"unknown":[1,2]}"#)
        let e = try JSONValueDecoder().decode(Evidence.self, from: v)
        #expect(e == Evidence(kind: "k", sha256: "s", pages: 1, checked: nil))
        let missing = try JSONValue.parse(#"{"kind":"k","sha256":"s","pages":1}"#)
        #expect(try JSONValueDecoder().decode(Evidence.self, from: missing).checked == nil)
        let wrong = try JSONValue.parse(#"{"kind":"k","sha256":"s","pages":1,"checked":"yes"}"#)
        #expect(throws: JSONDecodingError.self) { try JSONValueDecoder().decode(Evidence.self, from: wrong) }
    }

    @Test func jsonValueIsCodableThroughForeignPaths() throws {
        // Nested JSONValue inside a struct survives a round trip unchanged.
        struct Wrapper: Codable, Equatable { var data: JSONValue }
        let w = Wrapper(data: ["a": [1, 2.5, "x", nil, true]])
        let v = try JSONValueEncoder().encode(w)
        #expect(try JSONValueDecoder().decode(Wrapper.self, from: v) == w)
    }
}
