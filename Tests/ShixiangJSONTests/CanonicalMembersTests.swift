import ShixiangTestSupport
import Testing
@testable import ShixiangJSON

/// The members of canonical objects read and merged as bytes (``CanonicalJSON/member(_:)``,
/// ``CanonicalJSON/replacingMembers(with:)``): the same answers as the trees give, or none.
@Suite struct CanonicalMembersTests {
    /// The tree merge the bytes must agree with: every member of `change` set over `base`, a
    /// `null` removing the member.
    static func treeMerge(_ change: JSONValue, into base: JSONValue) -> JSONValue {
        var result = base.objectValue ?? [:]
        for (key, value) in change.objectValue ?? [:] {
            if value.isNull { result.removeValue(forKey: key) } else { result[key] = value }
        }
        return .object(result)
    }

    /// Names that sort in every way bytes can: prefixes of each other, beyond ASCII, empty.
    static let names = ["", "a", "ab", "abc", "b", "name", "names", "fields", "z", "é", "é1", "事项", "事项名称", "A", "_", "0"]
    /// Names written with an escape in canonical JSON.
    static let escapedNames = ["q\"uote", "back\\slash", "tab\t"]

    static func value(_ g: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth < 2 ? 9 : 6), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64.random(in: -1_000...1_000_000, using: &g))
        case 3: return .double(Double(Int.random(in: -500...500, using: &g)) / 8)
        // Strings holding what a byte scan must step over: quotes, backslashes, brackets, commas, colons.
        case 4: return .string(["", "甲", "a\"b", "c\\d", "{[,:]}", "x\\\"}", "line\nbreak", "王\u{1}"].randomElement(using: &g)!)
        case 5: return .string(String(repeating: "办理", count: Int.random(in: 0...40, using: &g)))
        case 6: return .array((0..<Int.random(in: 0...3, using: &g)).map { _ in value(&g, depth: depth + 1) })
        default: return object(&g, depth: depth + 1, names: names)
        }
    }

    static func object(_ g: inout SplitMix64, depth: Int, names: [String]) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &g) { o[names.randomElement(using: &g)!] = value(&g, depth: depth) }
        return .object(o)
    }

    @Test func mergedBytesAreTheCanonicalBytesOfTheMergedTrees() {
        var g = SplitMix64(seed: 0x5EED)
        var merged = 0
        for _ in 0..<4_000 {
            let base = Self.object(&g, depth: 0, names: Self.names), change = Self.object(&g, depth: 0, names: Self.names)
            let bytes = CanonicalJSON(base).replacingMembers(with: CanonicalJSON(change))
            #expect(bytes?.bytes == Self.treeMerge(change, into: base).canonicalBytes(), "\(base) ← \(change)")
            if bytes != nil { merged += 1 }
        }
        #expect(merged == 4_000)
    }

    @Test func namesWithEscapesAndObjectsOutOfOrderAreLeftToTheTrees() {
        var g = SplitMix64(seed: 7)
        for name in Self.escapedNames {
            for _ in 0..<50 {
                var base = Self.object(&g, depth: 0, names: Self.names), change = Self.object(&g, depth: 0, names: Self.names)
                if Bool.random(using: &g) { base[name] = "x" } else { change[name] = "y" }
                #expect(CanonicalJSON(base).replacingMembers(with: CanonicalJSON(change)) == nil, "\(base) ← \(change)")
            }
        }
        // Bytes that are not canonical after all (names out of order, or repeated): no answer rather than a wrong one.
        let sorted = CanonicalJSON(["a": 1, "c": 3])
        for unsorted in [#"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#] {
            #expect(sorted.replacingMembers(with: CanonicalJSON(canonicalBytes: Array(unsorted.utf8))) == nil)
            #expect(CanonicalJSON(canonicalBytes: Array(unsorted.utf8)).replacingMembers(with: sorted) == nil)
        }
        // Whitespace where canonical JSON has none: no merge, and a member is still found.
        for spaced in [#"{"a": 1,"b":2}"#, #"{"a":1 ,"b":2}"#, #"{"a":1, "b":2}"#, #"{ "a":1,"b":2}"#, #"{"a":1,"b":2 }"#, #"{"a":[1, 2],"b":2}"#, #"{"a":{"x":1 },"b":2}"#] {
            let kept = CanonicalJSON(canonicalBytes: Array(spaced.utf8))
            #expect(sorted.replacingMembers(with: kept) == nil, "\(spaced)")
            #expect(kept.replacingMembers(with: sorted) == nil, "\(spaced)")
            #expect(kept.member("b") == 2, "\(spaced)")
        }
        // Anything but two objects.
        for other: JSONValue in [.null, 1, "s", [1, 2], true] {
            #expect(CanonicalJSON(other).replacingMembers(with: sorted) == nil)
            #expect(sorted.replacingMembers(with: CanonicalJSON(other)) == nil)
        }
    }

    @Test func emptyObjectsAndRemovals() {
        let base = CanonicalJSON(["a": 1, "b": ["x": [1, "]"]], "c": "}"])
        #expect(base.replacingMembers(with: CanonicalJSON([:]))?.bytes == base.bytes)
        #expect(CanonicalJSON([:]).replacingMembers(with: base)?.bytes == base.bytes)
        #expect(base.replacingMembers(with: CanonicalJSON(["a": .null, "b": .null, "c": .null]))?.bytes == Array("{}".utf8))
        #expect(base.replacingMembers(with: CanonicalJSON(["b": .null, "d": .null]))?.bytes == Array(#"{"a":1,"c":"}"}"#.utf8))
        #expect(CanonicalJSON([:]).replacingMembers(with: CanonicalJSON(["a": .null]))?.bytes == Array("{}".utf8))
    }

    @Test func aMemberIsFoundAtTheTopLevelOnly() {
        var g = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let object = Self.object(&g, depth: 0, names: Self.names + Self.escapedNames)
            let kept = CanonicalJSON(object)
            for name in Self.names + Self.escapedNames + ["absent"] {
                // Compared as canonical bytes: a double with no fraction reads back as an integer.
                #expect(kept.member(name)?.canonicalBytes() == object[name]?.canonicalBytes(), "\(name) in \(object)")
            }
        }
        let nested = CanonicalJSON(["outer": ["name": "inner"]])
        #expect(nested.member("name") == nil)
        #expect(nested.member("outer") == ["name": "inner"])
        for other: JSONValue in [.null, "name", ["name"]] { #expect(CanonicalJSON(other).member("name") == nil) }
    }
}
