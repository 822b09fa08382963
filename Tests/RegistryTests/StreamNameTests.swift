import Testing
@testable import Registry

@Suite struct StreamNameTests {
    @Test func streamNamesSplitAtTheirFirstSlash() {
        let cases: [(String, (String, String)?)] = [
            ("item/000104002000", ("item", "000104002000")),
            ("adjustment/0192f5c4-6a1e-7c3b-9d2e-5f8a7b6c5d4e", ("adjustment", "0192f5c4-6a1e-7c3b-9d2e-5f8a7b6c5d4e")),
            ("calendar/cn", ("calendar", "cn")),
            ("a/b/c", ("a", "b/c")),
            ("/x", ("", "x")),
            ("x/", ("x", "")),
            ("单位/名称", ("单位", "名称")),
            // Split at the byte: a combining mark after the slash stays with the key.
            ("item/\u{301}x", ("item", "\u{301}x")),
            ("no-slash", nil),
            ("", nil),
        ]
        for (stream, expected) in cases {
            let parsed = StreamName.parse(stream)
            #expect(parsed?.kind == expected?.0 && parsed?.key == expected?.1, "\(stream)")
        }
        // What the builders make, parse gives back.
        #expect(StreamName.parse(StreamName.item("000104002000"))?.key == "000104002000")
        #expect(StreamName.parse(StreamName.adjustment("x-1"))?.kind == "adjustment")
    }
}
