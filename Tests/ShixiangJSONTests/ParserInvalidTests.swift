import ShixiangTestSupport
import Testing
@testable import ShixiangJSON

/// One malformed input and the error kind it must produce.
struct InvalidCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let kind: JSONParseError.Kind
    var offset: Int? = nil

    init(_ name: String, _ text: String, _ kind: JSONParseError.Kind, offset: Int? = nil) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.kind = kind
        self.offset = offset
    }

    init(_ name: String, bytes: [UInt8], _ kind: JSONParseError.Kind, offset: Int? = nil) {
        self.name = name
        self.bytes = bytes
        self.kind = kind
        self.offset = offset
    }

    var testDescription: String { name }
}

let invalidCorpus: [InvalidCase] = [
    // Empty / whitespace
    InvalidCase("empty", "", .emptyInput, offset: 0),
    InvalidCase("only spaces", "   \n\t ", .emptyInput),
    // Trailing content
    InvalidCase("two values", "1 2", .trailingCharacters, offset: 2),
    InvalidCase("object then garbage", "{}x", .trailingCharacters, offset: 2),
    InvalidCase("true then garbage", "truex", .trailingCharacters, offset: 4),
    InvalidCase("closing bracket extra", "[1]]", .trailingCharacters, offset: 3),
    InvalidCase("NUL after value", "1\u{0}", .trailingCharacters, offset: 1),
    // Trailing commas
    InvalidCase("array trailing comma", "[1,]", .trailingComma, offset: 3),
    InvalidCase("object trailing comma", "{\"a\":1,}", .trailingComma, offset: 7),
    InvalidCase("nested trailing comma", "[[1,2,],3]", .trailingComma),
    // Missing pieces
    InvalidCase("leading comma", "[,1]", .unexpectedCharacter, offset: 1),
    InvalidCase("double comma", "[1,,2]", .unexpectedCharacter, offset: 3),
    InvalidCase("missing comma", "[1 2]", .unexpectedCharacter, offset: 3),
    InvalidCase("missing colon", "{\"a\" 1}", .unexpectedCharacter, offset: 5),
    InvalidCase("missing value", "{\"a\":}", .unexpectedCharacter, offset: 5),
    InvalidCase("unquoted key", "{a:1}", .unexpectedCharacter, offset: 1),
    InvalidCase("numeric key", "{1:1}", .unexpectedCharacter, offset: 1),
    InvalidCase("single quoted string", "'abc'", .unexpectedCharacter, offset: 0),
    InvalidCase("single quoted key", "{'a':1}", .unexpectedCharacter, offset: 1),
    InvalidCase("mismatched bracket", "[1}", .unexpectedCharacter, offset: 2),
    InvalidCase("mismatched brace", "{\"a\":1]", .unexpectedCharacter, offset: 6),
    InvalidCase("lone closing", "]", .unexpectedCharacter, offset: 0),
    InvalidCase("lone colon", ":", .unexpectedCharacter),
    InvalidCase("BOM", bytes: [0xEF, 0xBB, 0xBF, 0x31], .unexpectedCharacter, offset: 0),
    InvalidCase("vertical tab whitespace", "\u{0B}1", .unexpectedCharacter, offset: 0),
    InvalidCase("form feed whitespace", "[1,\u{0C}2]", .unexpectedCharacter),
    InvalidCase("non-ASCII outside string", "中", .unexpectedCharacter, offset: 0),
    // Unexpected end
    InvalidCase("open array", "[", .unexpectedEndOfInput, offset: 1),
    InvalidCase("open object", "{", .unexpectedEndOfInput, offset: 1),
    InvalidCase("array after comma", "[1,", .unexpectedEndOfInput),
    InvalidCase("object after colon", "{\"a\":", .unexpectedEndOfInput),
    InvalidCase("object after key", "{\"a\"", .unexpectedEndOfInput),
    InvalidCase("unterminated string", "\"abc", .unexpectedEndOfInput, offset: 4),
    InvalidCase("unterminated after escape", "\"abc\\", .unexpectedEndOfInput),
    InvalidCase("array missing close", "[1,2", .unexpectedEndOfInput),
    // Comments
    InvalidCase("line comment", "// hi\n1", .comment, offset: 0),
    InvalidCase("block comment inside", "[1/*x*/]", .comment, offset: 2),
    InvalidCase("comment after value", "1 // end", .comment, offset: 2),
    // Literals
    InvalidCase("misspelt true", "tru", .invalidLiteral, offset: 0),
    InvalidCase("capital True", "True", .unexpectedCharacter, offset: 0),
    InvalidCase("misspelt false", "fals", .invalidLiteral),
    InvalidCase("misspelt null", "nul", .invalidLiteral),
    InvalidCase("nil", "nil", .invalidLiteral),
    InvalidCase("NaN", "NaN", .invalidLiteral, offset: 0),
    InvalidCase("Infinity", "Infinity", .invalidLiteral),
    InvalidCase("-Infinity", "-Infinity", .invalidNumber),
    InvalidCase("undefined", "undefined", .unexpectedCharacter),
    // Numbers
    InvalidCase("plus sign", "+1", .invalidNumber, offset: 0),
    InvalidCase("leading dot", ".5", .invalidNumber, offset: 0),
    InvalidCase("trailing dot", "1.", .invalidNumber, offset: 2),
    InvalidCase("dot exponent", "1.e5", .invalidNumber),
    InvalidCase("leading zero", "01", .leadingZero, offset: 0),
    InvalidCase("negative leading zero", "-01", .leadingZero),
    InvalidCase("double zero", "00", .leadingZero),
    InvalidCase("leading zero in array", "[007]", .leadingZero, offset: 1),
    InvalidCase("lone minus", "-", .invalidNumber),
    InvalidCase("double minus", "--1", .invalidNumber),
    InvalidCase("minus space", "- 1", .invalidNumber),
    InvalidCase("empty exponent", "1e", .invalidNumber),
    InvalidCase("exponent sign only", "1e+", .invalidNumber),
    InvalidCase("hex number", "0x10", .trailingCharacters),
    InvalidCase("overflow exponent", "1e400", .numberOutOfRange, offset: 0),
    InvalidCase("negative overflow", "-1e309", .numberOutOfRange),
    InvalidCase("huge literal", "[" + String(repeating: "9", count: 400) + "]", .numberOutOfRange, offset: 1),
    InvalidCase("huge exponent", "1e999999999999999999999", .numberOutOfRange),
    // Strings: control characters
    InvalidCase("raw newline in string", "\"a\nb\"", .controlCharacterInString, offset: 2),
    InvalidCase("raw tab in string", "\"a\tb\"", .controlCharacterInString, offset: 2),
    InvalidCase("raw NUL in string", "\"\u{0}\"", .controlCharacterInString, offset: 1),
    InvalidCase("raw control in key", "{\"a\u{1F}\":1}", .controlCharacterInString),
    InvalidCase("raw newline after escape", "\"\\n\n\"", .controlCharacterInString, offset: 3),
    // Strings: escapes
    InvalidCase("bad escape x", "\"\\x\"", .invalidEscape, offset: 1),
    InvalidCase("bad escape single quote", "\"\\'\"", .invalidEscape),
    InvalidCase("bad escape 0", "\"\\0\"", .invalidEscape),
    InvalidCase("uppercase U escape", "\"\\U0041\"", .invalidEscape),
    InvalidCase("short unicode escape", "\"\\u12\"", .invalidUnicodeEscape, offset: 1),
    InvalidCase("non-hex unicode escape", "\"\\u12G4\"", .invalidUnicodeEscape),
    InvalidCase("unicode escape at end", "\"\\u", .invalidUnicodeEscape),
    InvalidCase("lone high surrogate", "\"\\uD800\"", .unpairedSurrogate, offset: 1),
    InvalidCase("lone low surrogate", "\"\\uDC00\"", .unpairedSurrogate, offset: 1),
    InvalidCase("high then text", "\"\\uD83Dabc\"", .unpairedSurrogate),
    InvalidCase("high then high", "\"\\uD83D\\uD83D\"", .unpairedSurrogate),
    InvalidCase("high then non-u escape", "\"\\uD83D\\n\"", .unpairedSurrogate),
    InvalidCase("reversed pair", "\"\\uDE00\\uD83D\"", .unpairedSurrogate),
    // UTF-8
    InvalidCase("lone continuation byte", bytes: [0x22, 0x80, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("overlong slash", bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("overlong 3-byte", bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("overlong 4-byte", bytes: [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("above U+10FFFF", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("F5 lead byte", bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8),
    InvalidCase("FF byte", bytes: [0x22, 0x61, 0xFF, 0x22], .invalidUTF8, offset: 2),
    InvalidCase("truncated sequence before quote", bytes: [0x22, 0xE4, 0xB8, 0x22], .invalidUTF8, offset: 1),
    InvalidCase("truncated at end of input", bytes: [0x22, 0xE4, 0xB8], .invalidUTF8, offset: 1),
    InvalidCase("invalid UTF-8 in escaped string", bytes: Array("\"\\n".utf8) + [0xC3, 0x28, 0x22], .invalidUTF8, offset: 3),
    InvalidCase("invalid UTF-8 in key", bytes: [0x7B, 0x22, 0xFE, 0x22, 0x3A, 0x31, 0x7D], .invalidUTF8, offset: 2),
    InvalidCase("invalid UTF-8 outside string", bytes: [0x5B, 0xFF, 0x5D], .invalidUTF8, offset: 1),
    InvalidCase("invalid UTF-8 after value", bytes: [0x31, 0x20, 0xC0], .invalidUTF8, offset: 2),
    // Duplicates
    InvalidCase("duplicate key", "{\"id\":1,\"id\":2}", .duplicateKey, offset: 8),
    InvalidCase("duplicate key nested", "{\"a\":{\"x\":1,\"y\":2,\"x\":3}}", .duplicateKey, offset: 18),
    InvalidCase("duplicate via escape", "{\"a\":1,\"\\u0061\":2}", .duplicateKey),
    InvalidCase("duplicate empty key", "{\"\":1,\"\":2}", .duplicateKey),
    // Depth
    InvalidCase("depth 65 arrays", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), .tooDeep, offset: 64),
    InvalidCase("depth 65 objects", String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65), .tooDeep),
]

@Suite("Parser rejects malformed input")
struct ParserInvalidTests {
    @Test("invalid corpus has at least 60 cases")
    func corpusSize() {
        #expect(invalidCorpus.count >= 60)
    }

    @Test("each invalid case fails with the expected kind", arguments: invalidCorpus)
    func invalid(_ c: InvalidCase) {
        do {
            let v = try JSONValue.parse(c.bytes)
            Issue.record("\(c.name): expected \(c.kind), parsed \(v)")
        } catch {
            #expect(error.kind == c.kind, "\(c.name): \(error.message)")
            if let offset = c.offset {
                #expect(error.offset == offset, "\(c.name): \(error.message)")
            }
            #expect(error.message.hasPrefix("Invalid JSON"))
            #expect(error.offset >= 0 && error.offset <= c.bytes.count)
        }
    }

    @Test func messagesAreReadable() {
        func message(_ s: String) -> String {
            do {
                _ = try JSONValue.parse(s)
                return "parsed"
            } catch {
                return error.message
            }
        }
        #expect(message("{\"a\":1 x}") == "Invalid JSON at byte 7: unexpected character 'x' (expected ',' or '}')")
        #expect(message("{\"id\":1,\"id\":2}") == "Invalid JSON: key \"id\" appears twice in the same object (byte 8)")
        #expect(message("[\"ab\u{FFFD}\"]").hasPrefix("parsed"))
        #expect(message(String(repeating: "[", count: 100)).hasPrefix("Invalid JSON: nested more than 64 levels deep"))
        #expect(message("1e400").contains("number out of range"))
        #expect(message("").contains("empty"))
        #expect(message("[1,]").contains("trailing commas are not allowed"))
        #expect(message("// c").contains("comments are not allowed"))
    }

    /// What `body` throws, as a parse error; nil if it throws nothing.
    static func parseFailure(_ body: () throws -> Void) -> JSONParseError? {
        do {
            try body()
            return nil
        } catch let error as JSONParseError {
            return error
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    /// What `JSONValue.parse` refuses `text` with; nil if it reads it.
    static func parseError(_ text: [UInt8]) -> JSONParseError? {
        parseFailure { _ = try JSONValue.parse(text) }
    }

    /// What a `JSONReader` stepping over `text` refuses it with; nil if it steps over it.
    static func skipError(_ text: [UInt8]) -> JSONParseError? {
        text.withUnsafeBytes { bytes in
            parseFailure {
                var r = JSONReader(bytes)
                try r.skipValue()
                try r.end()
            }
        }
    }

    /// Three-byte sequences after runs of Chinese text (checked six bytes at a time): each is
    /// accepted exactly when the standard library takes it as UTF-8, and refused at its lead byte,
    /// whether the string is made (a value) or only stepped over (by the reader).
    @Test func threeByteSequencesAfterChineseTextAreCheckedExactly() throws {
        let han: [UInt8] = Array("事".utf8)
        for lead: UInt8 in 0xE0...0xEF {
            for second: UInt8 in [0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0] {
                for third: UInt8 in [0x80, 0xBF, 0x41] {
                    for before in 0...3 {
                        let candidate = [lead, second, third]
                        let content = Array(repeating: han, count: before).flatMap { $0 } + candidate + han + Array("x".utf8)
                        let valid = String(validating: content, as: UTF8.self) != nil
                        let text = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
                        let leadOffset = 1 + 3 * before
                        do {
                            let value = try JSONValue.parse(text)
                            #expect(valid && value == .string(String(decoding: content, as: UTF8.self)), "\(candidate)")
                        } catch {
                            #expect(!valid && error.kind == .invalidUTF8 && error.offset == leadOffset, "\(candidate) after \(before): \(error)")
                        }
                        // Stepped over, as an object's member name and value.
                        let object = Array("{\"".utf8) + content + Array("\":".utf8) + text + Array("}".utf8)
                        let skipped = Self.skipError(object)
                        #expect((skipped == nil) == valid, "\(candidate) after \(before)")
                        if let skipped { #expect(skipped.kind == .invalidUTF8 && skipped.offset == 1 + leadOffset, "\(skipped)") }
                    }
                }
            }
        }
    }

    /// Strings are scanned eight bytes at a time to the first quote, backslash, control byte or
    /// non-ASCII byte: at every position of strings of 0 to 24 bytes, each is found exactly where
    /// it stands (an escape decoded, a character kept, a control or bad byte refused at its own
    /// offset), whether the string is made or stepped over, and the bytes beside them are plain.
    @Test func specialBytesInStringsAreFoundWhereverTheyStand() throws {
        for length in 0...24 {
            for position in 0..<max(length, 1) where position < length || length == 0 {
                for (inserted, decoded) in [("\\n", "\n"), ("\\\"", "\""), ("é", "é"), ("事", "事"), ("!", "!"), ("#", "#"), ("]", "]"), ("\u{7F}", "\u{7F}"), ("", "")] {
                    let before = String(repeating: "a", count: position), after = String(repeating: "b", count: max(0, length - position - 1))
                    let text = Array(("\"" + before + inserted + after + "\"").utf8)
                    #expect(try JSONValue.parse(text) == .string(before + decoded + after), "\(inserted.debugDescription) at \(position) of \(length)")
                    #expect(Self.skipError(text) == nil, "\(inserted.debugDescription) at \(position) of \(length)")
                }
                for (bad, kind) in [(UInt8(0x01), JSONParseError.Kind.controlCharacterInString), (0x1F, .controlCharacterInString), (0xFF, .invalidUTF8), (0x80, .invalidUTF8)] {
                    let text = Array("\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: position) + [bad]
                        + Array(repeating: UInt8(ascii: "b"), count: max(0, length - position - 1)) + Array("\"".utf8)
                    for error in [Self.parseError(text), Self.skipError(text)] {
                        #expect(error?.kind == kind && error?.offset == 1 + position, "\(bad) at \(position) of \(length): \(String(describing: error))")
                    }
                }
            }
        }
    }

    /// Every lead byte with second bytes at the edges of its range, before the closing quote, an
    /// escape, a control byte or the end of the input, is refused exactly where the first bad
    /// sequence starts (before whatever follows it), or read as the standard library reads it.
    @Test func badSequencesAreRefusedWhereTheyStartBeforeWhatFollows() throws {
        let han: [UInt8] = Array("事".utf8)
        for lead: UInt8 in 0x80...0xFF {
            for second: UInt8 in [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0] {
                let candidates: [[UInt8]] = [[lead, second], [lead, second, 0x80], [lead, second, 0x80, 0xBF], [lead, second, 0x41, 0x80]]
                for candidate in candidates {
                    let content = han + candidate + han
                    let valid = String(validating: content, as: UTF8.self) != nil
                    // Where the first bad sequence starts: the end of the longest valid prefix.
                    let badOffset = 1 + (0...content.count).last { String(validating: content[..<$0], as: UTF8.self) != nil }!
                    for (ending, kind) in [("\"", JSONParseError.Kind?.none), ("\\n\"", nil), ("\u{1}\"", .controlCharacterInString), ("", .unexpectedEndOfInput)] {
                        let text = [UInt8(ascii: "\"")] + content + Array(ending.utf8)
                        do {
                            let value = try JSONValue.parse(text)
                            #expect(valid && kind == nil, "\(candidate) then \(ending.debugDescription)")
                            let expected = String(decoding: content, as: UTF8.self) + (ending == "\\n\"" ? "\n" : "")
                            #expect(value == .string(expected), "\(candidate)")
                        } catch {
                            if valid {
                                #expect(kind != nil && error.kind == kind, "\(candidate) then \(ending.debugDescription): \(error)")
                            } else {
                                #expect(error.kind == .invalidUTF8 && error.offset == badOffset, "\(candidate) then \(ending.debugDescription): \(error)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func invalidUTF8Message() throws {
        do {
            _ = try JSONValue.parse([0x22, 0x61, 0x62, 0x63, 0x64, 0xFF, 0x22] as [UInt8])
            Issue.record("expected failure")
        } catch {
            #expect(error.message == "Invalid JSON: the text is not valid UTF-8 (byte 5)")
            #expect(error.kind == .invalidUTF8)
        }
    }

    @Test func duplicateKeyErrorNamesTheKey() {
        do {
            _ = try JSONValue.parse("{\"名称\":1,\"名称\":2}")
            Issue.record("expected failure")
        } catch {
            #expect(error.kind == .duplicateKey)
            #expect(error.key == "名称")
            #expect(error.message.contains("\"名称\""))
        }
    }

    @Test func depthBombOfOneMillionBrackets() {
        let bomb = [UInt8](repeating: 0x5B, count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bomb) }
        do {
            _ = try JSONValue.parse(bomb)
        } catch {
            #expect(error.kind == .tooDeep)
            #expect(error.offset == 64)
        }
        // Even with a huge configured limit the parser uses the heap, not the stack.
        let limits = JSONLimits(maxDepth: 2_000_000)
        do {
            _ = try JSONValue.parse(bomb, limits: limits)
            Issue.record("expected failure")
        } catch {
            #expect(error.kind == .unexpectedEndOfInput)
        }
    }

    @Test func depthLimitBoundary() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONValue.parse(ok)
        let limits = JSONLimits(maxDepth: 3)
        _ = try JSONValue.parse("[[[1]]]", limits: limits)
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[[[[1]]]]", limits: limits) }
        _ = try JSONValue.parse("1", limits: JSONLimits(maxDepth: 0))
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[]", limits: JSONLimits(maxDepth: 0)) }
    }

    @Test func stringAndInputLimits() throws {
        let limits = JSONLimits(maxStringBytes: 4, maxInputBytes: 20)
        _ = try JSONValue.parse("[\"abcd\"]", limits: limits)
        do {
            _ = try JSONValue.parse("[\"abcde\"]", limits: limits)
            Issue.record("expected failure")
        } catch {
            #expect(error.kind == .stringTooLong)
            #expect(error.offset == 1)
        }
        do {
            _ = try JSONValue.parse("{\"a\\n\\n\":1}", limits: JSONLimits(maxStringBytes: 4))
            Issue.record("expected failure")
        } catch {
            #expect(error.kind == .stringTooLong)
        }
        do {
            _ = try JSONValue.parse(String(repeating: " ", count: 21) + "1", limits: limits)
            Issue.record("expected failure")
        } catch {
            #expect(error.kind == .inputTooLarge)
        }
    }

    @Test func everyTruncationOfAValidDocumentFails() {
        let doc = Array("{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\ud83d\\ude00中\"],\"b\":{}}".utf8)
        for n in 0..<doc.count {
            let prefix = Array(doc[0..<n])
            #expect(throws: JSONParseError.self, "prefix of length \(n)") { try JSONValue.parse(prefix) }
        }
        #expect((try? JSONValue.parse(doc)) != nil)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array("{}[],:\"\\ 0123456789-+.eEtrufalsn".utf8) + [0x80, 0xC3, 0xE4, 0xF0, 0xFF, 0x0A, 0x00]
        var failures = 0
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 24)
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            do {
                let v = try JSONValue.parse(bytes)
                // Whatever parses must survive the canonical round trip.
                #expect(try JSONValue.parse(v.canonicalBytes()).canonicalBytes() == v.canonicalBytes())
            } catch {
                failures += 1
                #expect(!error.message.isEmpty)
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(failures > 0)
    }

    @Test func mutatedValidDocumentsNeverCrash() throws {
        var rng = SplitMix64(seed: 7)
        let base = Array(sampleEvent.utf8)
        for _ in 0..<5_000 {
            var bytes = base
            let edits = 1 + Int(rng.next() % 3)
            for _ in 0..<edits {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                }
            }
            do {
                let v = try JSONValue.parse(bytes)
                let canonical = v.canonicalBytes()
                #expect(try JSONValue.parse(canonical).canonicalBytes() == canonical)
            } catch {
                #expect(error.message.hasPrefix("Invalid JSON"))
            }
        }
    }
}
