/// Construction of the plain-language parse errors.
extension JSONScanner {
    func endError(expected: String) -> JSONParseError {
        JSONParseError(
            kind: .unexpectedEndOfInput, offset: count,
            message: "Invalid JSON at byte \(count): the text ended too early (expected \(expected))")
    }

    func unterminatedString(_ quoteOffset: Int) -> JSONParseError {
        JSONParseError(
            kind: .unexpectedEndOfInput, offset: count,
            message: "Invalid JSON at byte \(count): the text ended inside a string that started at byte \(quoteOffset) (missing closing '\"')")
    }

    func tooDeep() -> JSONParseError {
        JSONParseError(
            kind: .tooDeep, offset: pos,
            message: "Invalid JSON: nested more than \(limits.maxDepth) levels deep (byte \(pos))")
    }

    func invalidUTF8(at offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .invalidUTF8, offset: offset,
            message: "Invalid JSON: the text is not valid UTF-8 (byte \(offset))")
    }

    func controlCharacter(at offset: Int, byte: UInt8) -> JSONParseError {
        JSONParseError(
            kind: .controlCharacterInString, offset: offset,
            message: "Invalid JSON at byte \(offset): control character \(UTF8Scanner.codePointName(UInt32(byte))) must be written as an escape (like \\n) inside a string")
    }

    func badUnicodeEscape(_ offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .invalidUnicodeEscape, offset: offset,
            message: "Invalid JSON at byte \(offset): \\u must be followed by exactly 4 hexadecimal digits")
    }

    func unpairedSurrogate(at offset: Int, unit: UInt16) -> JSONParseError {
        let hex = String(unit, radix: 16, uppercase: true)
        return JSONParseError(
            kind: .unpairedSurrogate, offset: offset,
            message: "Invalid JSON at byte \(offset): \\u\(hex) is half of a surrogate pair without its other half")
    }

    func trailingError() -> JSONParseError {
        let c = base[pos]
        if c >= 0x80, UTF8Scanner.decode(base, at: pos, count: count) == nil { return invalidUTF8(at: pos) }
        if c == 0x2F { return commentError(at: pos) }
        return JSONParseError(
            kind: .trailingCharacters, offset: pos,
            message: "Invalid JSON at byte \(pos): unexpected \(describe(at: pos)) after the end of the JSON value")
    }

    func commentError(at offset: Int) -> JSONParseError {
        JSONParseError(
            kind: .comment, offset: offset,
            message: "Invalid JSON at byte \(offset): comments are not allowed in JSON")
    }

    func valueStartError(_ c: UInt8, afterComma: Bool) -> JSONParseError {
        if afterComma && (c == 0x5D || c == 0x7D) {
            return JSONParseError(
                kind: .trailingComma, offset: pos,
                message: "Invalid JSON at byte \(pos): a comma must be followed by another value (trailing commas are not allowed)")
        }
        switch c {
        case 0x2B:
            return JSONParseError(
                kind: .invalidNumber, offset: pos,
                message: "Invalid JSON at byte \(pos): numbers must not start with '+'")
        case 0x2E:
            return JSONParseError(
                kind: .invalidNumber, offset: pos,
                message: "Invalid JSON at byte \(pos): numbers must start with a digit (write 0.5, not .5)")
        case 0x4E, 0x49:  // N, I
            return invalidLiteral(expected: nil)
        case 0x27:
            return JSONParseError(
                kind: .unexpectedCharacter, offset: pos,
                message: "Invalid JSON at byte \(pos): unexpected character \"'\" (strings must use double quotes)")
        default:
            return unexpected(at: pos, expected: "a value")
        }
    }

    func unexpected(at offset: Int, expected: String) -> JSONParseError {
        let c = base[offset]
        if c >= 0x80, UTF8Scanner.decode(base, at: offset, count: count) == nil { return invalidUTF8(at: offset) }
        if c == 0x2F { return commentError(at: offset) }
        return JSONParseError(
            kind: .unexpectedCharacter, offset: offset,
            message: "Invalid JSON at byte \(offset): unexpected \(describe(at: offset)) (expected \(expected))")
    }

    /// "character 'x'", "character '中'" or "control character U+0001".
    func describe(at offset: Int) -> String {
        let c = base[offset]
        if c >= 0x21 && c <= 0x7E { return "character '\(Character(Unicode.Scalar(c)))'" }
        if c < 0x80 { return "control character \(UTF8Scanner.codePointName(UInt32(c)))" }
        if let (scalar, _) = UTF8Scanner.decode(base, at: offset, count: count) {
            return "character '\(Character(scalar))' (\(UTF8Scanner.codePointName(scalar.value)))"
        }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }
}
