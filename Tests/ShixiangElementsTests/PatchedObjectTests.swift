import ShixiangJSON
import ShixiangTestSupport
import Testing
@testable import ShixiangElements

/// Changes applied to a ``PatchedObject`` give the object that merging each into the tree in
/// turn gives, whatever the changes hold.
@Suite struct PatchedObjectTests {
    /// Names as fields have them, names that sort as prefixes, and names written with escapes.
    static let names = ["name", "names", "a", "ab", "fee", "事项名称", "é", "q\"uote", "tab\t"]

    static func change(_ g: inout SplitMix64) -> JSONValue {
        // Mostly objects; now and then something else, which counts as an empty change.
        if Int.random(in: 0..<12, using: &g) == 0 { return [.null, "text", [1, 2], 3].randomElement(using: &g)! }
        var o: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &g) {
            let name = names[Int.random(in: 0..<(Int.random(in: 0..<8, using: &g) == 0 ? names.count : names.count - 2), using: &g)]
            o[name] = [.null, .null, "甲\"乙", 7, ["unit": "workingDays", "value": 5], ["]", "}"]].randomElement(using: &g)!
        }
        return .object(o)
    }

    @Test func changesGiveWhatMergingThemInTurnGives() {
        var g = SplitMix64(seed: 0xF1E1D5)
        for _ in 0..<1_500 {
            var tree: JSONValue = Int.random(in: 0..<10, using: &g) == 0 ? "not an object" : Self.change(&g)
            var patched = PatchedObject(CanonicalJSON(tree))
            for _ in 0..<Int.random(in: 0...8, using: &g) {
                let change = Self.change(&g)
                tree = ElementObject.merging(change, into: tree)
                patched.apply(CanonicalJSON(change))
                if Bool.random(using: &g) {
                    // Read between changes, as a command reads a record it then changes again.
                    #expect(patched.object.bytes == tree.canonicalBytes())
                }
            }
            #expect(patched.object.bytes == tree.canonicalBytes(), "\(tree)")
            #expect(patched == PatchedObject(CanonicalJSON(tree)))
        }
    }

    @Test func readAndWrittenAsTheObject() throws {
        var patched = PatchedObject(CanonicalJSON(["name": "旧", "fee": 1]))
        patched.apply(CanonicalJSON(["name": "新", "fee": .null]))
        #expect(try JSONValueEncoder().encode(patched) == ["name": "新"])
        #expect(try JSONValueDecoder().decode(PatchedObject.self, from: ["name": "新"]) == patched)
        #expect(patched != PatchedObject(CanonicalJSON(["name": "旧"])))
    }
}
