/// Why a JSON text was rejected, with the byte offset where the problem was found.
///
/// `offset` counts bytes from 0 at the start of the input. `message` is a complete
/// sentence meant for people who are not programmers, for example
/// `Invalid JSON at byte 17: unexpected character 'x' (expected ',' or '}')`.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem. Stable: tests and callers may switch on it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The input is empty or contains only whitespace.
        case emptyInput
        /// The input is larger than `JSONLimits.maxInputBytes`.
        case inputTooLarge
        /// The bytes are not valid UTF-8 (bad sequence, overlong form, encoded surrogate, > U+10FFFF).
        case invalidUTF8
        /// A character that cannot appear at this position.
        case unexpectedCharacter
        /// The text ended before the value was complete.
        case unexpectedEndOfInput
        /// Non-whitespace text after the complete top-level value.
        case trailingCharacters
        /// A comma directly followed by `]` or `}`.
        case trailingComma
        /// `//` or `/*` comments, which JSON does not allow.
        case comment
        /// A misspelt `true`, `false` or `null`, or `NaN`/`Infinity`.
        case invalidLiteral
        /// A number that does not follow the JSON grammar (`+1`, `.5`, `1.`, `1e`, `-`).
        case invalidNumber
        /// A number with a superfluous leading zero (`01`, `-00`).
        case leadingZero
        /// A number whose magnitude overflows `Double` (for example `1e400`).
        case numberOutOfRange
        /// A raw control character (U+0000 to U+001F) inside a string.
        case controlCharacterInString
        /// A backslash followed by something other than `" \ / b f n r t u`.
        case invalidEscape
        /// `\u` not followed by four hexadecimal digits.
        case invalidUnicodeEscape
        /// A `\uD800`–`\uDFFF` escape that is not part of a high+low surrogate pair.
        case unpairedSurrogate
        /// A string longer than `JSONLimits.maxStringBytes`.
        case stringTooLong
        /// The same member name twice in one object.
        case duplicateKey
        /// Nesting deeper than `JSONLimits.maxDepth`.
        case tooDeep
    }

    /// The category of the problem.
    public let kind: Kind
    /// Byte offset (from 0) of the problem in the input.
    public let offset: Int
    /// A plain-language explanation, including the byte offset.
    public let message: String
    /// For `.duplicateKey`, the repeated member name; otherwise `nil`.
    public let key: String?

    /// Creates an error. Normally only the parser does this.
    public init(kind: Kind, offset: Int, message: String, key: String? = nil) {
        self.kind = kind
        self.offset = offset
        self.message = message
        self.key = key
    }

    /// Same as `message`.
    public var description: String { message }
}
