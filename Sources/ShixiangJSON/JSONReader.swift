/// A pull reader over JSON bytes: objects member by member, values one at a time, read in place
/// (a member name is compared where it lies; only what is asked for is made into Swift values).
///
/// It checks what it reads or steps over as ``JSONParser`` would (grammar, UTF-8, escapes, number
/// forms, depth), and finds duplicate member names in the objects it walks (in an object holding
/// another walked object, among the members after that one), though not inside values it only
/// steps over. It is for bytes this
/// program wrote itself (the log's stored events); requests stay with ``JSONParser``.
///
/// The bytes must stay valid and unchanged while the reader is used.
///
/// ```swift
/// var r = JSONReader(bytes)
/// try r.beginObject()
/// while let name = try r.nextMember() {
///     if name == "seq" { seq = try r.readInteger() } else { try r.skipValue() }
/// }
/// try r.end()
/// ```
public struct JSONReader {
    var s: JSONScanner
    /// One bit per open object or array (outermost lowest): set until its first member or element is read.
    private var firstFlags: UInt64 = 0
    /// One bit per open container (outermost lowest): set for an array.
    private var arrayFlags: UInt64 = 0
    private var depth = 0
    /// The duplicate check of the innermost object: while its names come in strictly increasing
    /// order (as canonical JSON has them) none can repeat, and only the last one is kept. At the
    /// first name out of order, the names read since `namesFrom` are read again into `names`,
    /// and every name after it is looked for there.
    private var lastName: JSONScanner.MemberName?
    private var names: [JSONScanner.MemberName] = []
    private var ascending = true
    /// Where the names the check covers begin (after the `{`, or after the last walked container).
    private var namesFrom = 0

    /// A reader over `bytes`, which must not be empty.
    public init(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) {
        // A zero-length buffer may have no base address; point at a constant byte with count 0.
        let base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? JSONReader.empty
        s = JSONScanner(base: base, count: bytes.count, limits: limits)
    }

    // nonisolated(unsafe): one byte, written once at initialisation and never again (read with count 0).
    nonisolated(unsafe) private static let empty: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// The byte offset the reader is at.
    public var offset: Int { s.pos }

    /// A member name as it lies in the input.
    public struct Name: CustomStringConvertible {
        @usableFromInline let base: UnsafePointer<UInt8>
        @usableFromInline let start: Int
        @usableFromInline let count: Int
        /// Whether the name is written with escapes (`start` and `count` then span the escaped form).
        @usableFromInline let escaped: Bool

        init(base: UnsafePointer<UInt8>, name: JSONScanner.MemberName) {
            self.base = base
            start = name.start
            count = name.count
            escaped = name.escaped
        }

        /// Whether the name is `literal` (compared byte by byte, nothing allocated). Inlined where
        /// it is used: a reader compares each member's name with a chain of these.
        @inlinable
        public static func == (lhs: Name, literal: StaticString) -> Bool {
            let n = literal.utf8CodeUnitCount
            if lhs.escaped {
                return lhs.description.utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: n))
            }
            guard lhs.count == n else { return false }
            let a = lhs.base + lhs.start
            let b = literal.utf8Start
            var i = 0
            while i < n {
                if a[i] != b[i] { return false }
                i += 1
            }
            return true
        }

        /// The name as a string.
        public var description: String {
            JSONScanner.MemberName(start: start, count: count, escaped: escaped).string(in: base)
        }
    }

    private mutating func startValue() throws(JSONParseError) -> UInt8 {
        s.skipWhitespace()
        guard s.pos < s.count else { throw s.endError(expected: "a value") }
        return s.base[s.pos]
    }

    /// Consumes the `{` of an object; then call ``nextMember()`` until it returns nil.
    public mutating func beginObject() throws(JSONParseError) {
        guard try startValue() == 0x7B else { throw s.unexpected(at: s.pos, expected: "'{'") }
        guard depth < 64, depth + s.outerDepth < s.limits.maxDepth else { throw s.tooDeep() }
        s.pos += 1
        firstFlags |= 1 << UInt64(depth)
        depth += 1
        resetNames()
    }

    /// Starts the duplicate check afresh, for the names read from here on.
    private mutating func resetNames() {
        lastName = nil
        if !names.isEmpty { names.removeAll(keepingCapacity: true) }
        ascending = true
        namesFrom = s.pos
    }

    /// The name of the next member of the innermost object, leaving the reader at its value (which
    /// must then be read or skipped); nil once the object's `}` is consumed.
    public mutating func nextMember() throws(JSONParseError) -> Name? {
        guard depth > 0, arrayFlags & (1 << UInt64(depth - 1)) == 0 else { throw s.unexpected(at: s.pos, expected: "an object to be open") }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        s.skipWhitespace()
        guard s.pos < s.count else { throw s.endError(expected: "',' or '}'") }
        let first = firstFlags & bit != 0
        var afterComma = false
        if s.base[s.pos] == 0x7D {
            s.pos += 1
            depth -= 1
            firstFlags &= ~bit
            // Back in the enclosing object, names are checked against those read from here on.
            resetNames()
            return nil
        }
        if !first {
            guard s.base[s.pos] == 0x2C else { throw s.unexpected(at: s.pos, expected: "',' or '}'") }
            s.pos += 1
            s.skipWhitespace()
            afterComma = true
        }
        firstFlags &= ~bit
        let keyOffset = s.pos
        let name = try s.scanMemberName(afterComma: afterComma)
        if ascending, let last = lastName, name.compare(last, in: s.base) != 1 {
            ascending = false
            names = try namesBefore(keyOffset)
        }
        if !ascending, names.contains(where: { $0.same(name, in: s.base) }) {
            let key = Name(base: s.base, name: name).description
            throw JSONParseError(kind: .duplicateKey, offset: keyOffset,
                                 message: "Invalid JSON: key \(JSONValue.quotedForMessage(key)) appears twice in the same object (byte \(keyOffset))",
                                 key: key)
        }
        lastName = name
        if !ascending { names.append(name) }
        return Name(base: s.base, name: name)
    }

    /// The names of the innermost object's members from `namesFrom` up to `end` (the offset of
    /// the name just read), read again: all of it was checked as it was first read.
    private func namesBefore(_ end: Int) throws(JSONParseError) -> [JSONScanner.MemberName] {
        var found: [JSONScanner.MemberName] = []
        var t = s
        t.pos = namesFrom
        t.outerDepth = depth
        while true {
            t.skipWhitespace()
            if t.pos < end, t.base[t.pos] == 0x2C {
                t.pos += 1
                t.skipWhitespace()
            }
            guard t.pos < end else { return found }
            found.append(try t.scanMemberName(afterComma: false))
            try t.skipValue()
        }
    }

    /// Consumes the `[` of an array; then call ``nextElement()`` until it returns false.
    public mutating func beginArray() throws(JSONParseError) {
        guard try startValue() == 0x5B else { throw s.unexpected(at: s.pos, expected: "'['") }
        guard depth < 64, depth + s.outerDepth < s.limits.maxDepth else { throw s.tooDeep() }
        s.pos += 1
        firstFlags |= 1 << UInt64(depth)
        arrayFlags |= 1 << UInt64(depth)
        depth += 1
    }

    /// Whether the innermost array has another element, leaving the reader at it (which must then
    /// be read or skipped); false once the array's `]` is consumed.
    public mutating func nextElement() throws(JSONParseError) -> Bool {
        guard depth > 0, arrayFlags & (1 << UInt64(depth - 1)) != 0 else { throw s.unexpected(at: s.pos, expected: "an array to be open") }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        s.skipWhitespace()
        guard s.pos < s.count else { throw s.endError(expected: "',' or ']'") }
        if s.base[s.pos] == 0x5D {
            s.pos += 1
            depth -= 1
            firstFlags &= ~bit
            arrayFlags &= ~bit
            resetNames()
            return false
        }
        if firstFlags & bit == 0 {
            guard s.base[s.pos] == 0x2C else { throw s.unexpected(at: s.pos, expected: "',' or ']'") }
            s.pos += 1
        }
        firstFlags &= ~bit
        return true
    }

    /// Reads an array of strings.
    public mutating func readStrings() throws(JSONParseError) -> [String] {
        var out: [String] = []
        out.reserveCapacity(4)  // a few, mostly: one allocation rather than one per doubling
        try beginArray()
        while try nextElement() { out.append(try readString()) }
        return out
    }

    /// Reads a string value.
    public mutating func readString() throws(JSONParseError) -> String {
        guard try startValue() == JSONScanner.quote else { throw s.unexpected(at: s.pos, expected: "a string") }
        return try s.parseString()
    }

    /// Reads a string value and hands `body` its UTF-8 bytes, checked as ``readString()`` checks
    /// them: in place when it holds no escape (nothing allocated), else decoded first. The bytes
    /// are valid only during the call.
    public mutating func withString<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        guard try startValue() == JSONScanner.quote else { throw s.unexpected(at: s.pos, expected: "a string") }
        let quote = s.pos
        if try !s.skipString() {
            return try body(UnsafeBufferPointer(start: s.base + quote + 1, count: s.pos - quote - 2))
        }
        let end = s.pos
        s.pos = quote
        var decoded = try s.parseString()
        s.pos = end
        return try decoded.withUTF8(body)
    }

    /// Reads an integer value (one that fits `Int64`, written without fraction or exponent).
    public mutating func readInteger() throws(JSONParseError) -> Int64 {
        let c = try startValue()
        let at = s.pos
        guard c == 0x2D || (c >= 0x30 && c <= 0x39), case .int(let i) = try s.parseNumber() else {
            throw s.unexpected(at: at, expected: "an integer")
        }
        return i
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONParseError) -> Bool {
        switch try startValue() {
        case 0x74: try s.expectLiteral("true"); return true
        case 0x66: try s.expectLiteral("false"); return false
        default: throw s.unexpected(at: s.pos, expected: "true or false")
        }
    }

    /// Consumes a `null` and returns true, or returns false (consuming nothing) for any other value.
    public mutating func readNull() throws(JSONParseError) -> Bool {
        guard try startValue() == 0x6E else { return false }
        try s.expectLiteral("null")
        return true
    }

    /// Reads any value as a tree.
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        _ = try startValue()
        s.outerDepth = depth
        defer { s.outerDepth = 0 }
        return try s.parseValue()
    }

    /// Steps over a value, checking it.
    public mutating func skipValue() throws(JSONParseError) {
        _ = try valueRange()
    }

    /// Steps over a value, checking it, and returns where it lies in the input.
    public mutating func valueRange() throws(JSONParseError) -> Range<Int> {
        _ = try startValue()
        let start = s.pos
        s.outerDepth = depth
        defer { s.outerDepth = 0 }
        try s.skipValue()
        return start..<s.pos
    }

    /// Decodes the next value as a `T` through ``JSONBytesDecoder`` and steps over it.
    public mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let range = try valueRange()  // checked first, as a whole
        return try JSONBytesDecoder.decode(T.self, base: s.base, count: s.count, limits: s.limits, at: range.lowerBound, depth: depth)
    }

    /// Checks that only whitespace follows the last value read.
    public mutating func end() throws(JSONParseError) {
        s.skipWhitespace()
        if s.pos < s.count { throw s.trailingError() }
    }
}
