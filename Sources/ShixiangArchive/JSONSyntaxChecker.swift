/// A strict RFC 8259 syntax check of a JSON text, without building values.
///
/// Stricter than Foundation's `JSONSerialization`, which on Linux accepts trailing commas:
/// exactly one value (any type) surrounded by optional white space; objects, arrays, strings
/// with valid escapes and valid UTF-8, numbers per the grammar, `true`/`false`/`null`. A leading
/// UTF-8 byte-order mark is ignored, as RFC 8259 §8.1 permits. Nesting is limited to
/// ``maxDepth`` levels and is checked iteratively, so hostile input cannot exhaust the stack.
public enum JSONSyntaxChecker {
    /// Deepest nesting of objects and arrays accepted.
    public static let maxDepth = 10_000

    /// `nil` if `bytes` is one valid JSON text, else a message with the byte offset.
    public static func problem(in bytes: UnsafeRawBufferPointer) -> String? {
        var scanner = Scanner(bytes: bytes)
        do {
            try scanner.document()
            return nil
        } catch {
            return error.message
        }
    }

    /// `nil` if `bytes` is one valid JSON text, else a message with the byte offset.
    public static func problem(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { problem(in: $0) }
    }

    struct SyntaxError: Error {
        let message: String
    }

    private enum Container { case object, array }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0
        var stack: [Container] = []

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        func error(_ expected: String) -> SyntaxError {
            let found = current.map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte 0x\(String($0, radix: 16))" } ?? "end of file"
            return SyntaxError(message: "invalid JSON at byte \(position): expected \(expected), found \(found)")
        }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ name: String) throws(SyntaxError) {
            guard current == byte else { throw error(name) }
            position += 1
        }

        mutating func document() throws(SyntaxError) {
            valueLoop: while true {
                skipWhitespace()
                // A value is expected here.
                switch current {
                case UInt8(ascii: "{"):
                    try checkDepth()
                    position += 1
                    skipWhitespace()
                    if current == UInt8(ascii: "}") {
                        position += 1
                    } else {
                        push(.object)
                        try key()
                        continue valueLoop
                    }
                case UInt8(ascii: "["):
                    try checkDepth()
                    position += 1
                    skipWhitespace()
                    if current == UInt8(ascii: "]") {
                        position += 1
                    } else {
                        push(.array)
                        continue valueLoop
                    }
                case UInt8(ascii: "\""):
                    try string()
                case UInt8(ascii: "-")?, (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
                    try number()
                case UInt8(ascii: "t"): try literal("true")
                case UInt8(ascii: "f"): try literal("false")
                case UInt8(ascii: "n"): try literal("null")
                default:
                    throw error("a value")
                }
                // After a value: close containers or move to the next member.
                while true {
                    skipWhitespace()
                    guard let top = stack.last else {
                        guard current == nil else { throw error("end of file after the JSON value") }
                        return
                    }
                    if current == UInt8(ascii: ",") {
                        position += 1
                        if top == .object { try key() }
                        continue valueLoop
                    }
                    let close = top == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    guard current == close else { throw error(top == .object ? "',' or '}'" : "',' or ']'") }
                    position += 1
                    stack.removeLast()
                }
            }
        }

        /// Fails if opening one more object or array would exceed ``JSONSyntaxChecker/maxDepth``.
        func checkDepth() throws(SyntaxError) {
            guard stack.count < JSONSyntaxChecker.maxDepth else {
                throw SyntaxError(message: "invalid JSON at byte \(position): nesting deeper than \(JSONSyntaxChecker.maxDepth) levels")
            }
        }

        mutating func push(_ container: Container) {
            stack.append(container)
        }

        /// `"key" :` inside an object.
        mutating func key() throws(SyntaxError) {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("a member name in double quotes") }
            try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
        }

        mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let text = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for byte in text {
                guard current == byte else { throw error("'\(word)'") }
                position += 1
            }
        }

        mutating func digits() throws(SyntaxError) {
            guard let byte = current, (0x30...0x39).contains(byte) else { throw error("a digit") }
            while let byte = current, (0x30...0x39).contains(byte) { position += 1 }
        }

        mutating func number() throws(SyntaxError) {
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else {
                try digits()
            }
            if current == UInt8(ascii: ".") {
                position += 1
                try digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                try digits()
            }
        }

        mutating func string() throws(SyntaxError) {
            try expect(UInt8(ascii: "\""), "'\"'")
            while true {
                guard let byte = current else { throw error("'\"' closing the string") }
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escape = current else { throw error("an escape character") }
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 1
                    case UInt8(ascii: "u"):
                        position += 1
                        for _ in 0..<4 {
                            guard let hex = current, hex.isHexDigit else { throw error("four hex digits after \\u") }
                            position += 1
                        }
                    default:
                        throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                    }
                case 0x00..<0x20:
                    throw error("no unescaped control character in a string")
                case 0x20..<0x80:
                    position += 1
                default:
                    try utf8Sequence()
                }
            }
        }

        /// One well-formed multi-byte UTF-8 sequence (no overlongs, surrogates or values above U+10FFFF).
        mutating func utf8Sequence() throws(SyntaxError) {
            guard let lead = current else { throw error("UTF-8") }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: throw error("valid UTF-8")
            }
            position += 1
            for index in 1..<length {
                guard let byte = current else { throw error("valid UTF-8") }
                let range: ClosedRange<UInt8> = index == 1 ? low...high : 0x80...0xBF
                guard range.contains(byte) else { throw error("valid UTF-8") }
                position += 1
            }
        }
    }
}

private extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
