/// The parsing state over one contiguous input: the value loop with its heap
/// stacks of open containers. Internal; use `JSONParser`.
struct JSONScanner {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: JSONLimits
    var pos = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Containers already open around `pos` (when a value inside a document is parsed or skipped
    /// on its own), counted against `limits.maxDepth`.
    var outerDepth = 0

    init(base: UnsafePointer<UInt8>, count: Int, limits: JSONLimits) {
        self.base = base
        self.count = count
        self.limits = limits
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let b = base[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if pos == count {
            throw JSONParseError(
                kind: .emptyInput, offset: 0, message: "Invalid JSON: the input is empty (it contains only whitespace)")
        }
        let value = try parseValue()
        skipWhitespace()
        if pos < count { throw trailingError() }
        return value
    }

    /// Parses one value starting at `pos` (whitespace already skipped) and leaves `pos` right
    /// after it; what follows is the caller's business.
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        // Open containers live on heap stacks (never the thread stack) and are
        // filled in place through Array's `_modify` accessor, so members are not copied.
        var isObjectStack: [Bool] = []
        var arrays: [[JSONValue]] = []
        var objects: [[String: JSONValue]] = []
        var pendingKeys: [String] = []
        var pendingKeyOffsets: [Int] = []
        var afterComma = false
        var current: JSONValue

        parseValue: while true {
            // Invariant: whitespace skipped; a value must start at `pos`.
            guard pos < count else {
                throw endError(expected: "a value")
            }
            let c = base[pos]
            switch c {
            case JSONScanner.quote:
                current = .string(try parseString())
            case 0x30...0x39, 0x2D:  // 0-9, '-'
                current = try parseNumber()
            case 0x7B:  // {
                if isObjectStack.count + outerDepth >= limits.maxDepth { throw tooDeep() }
                pos += 1
                skipWhitespace()
                if pos < count && base[pos] == 0x7D {
                    pos += 1
                    current = .object([:])
                } else {
                    if isObjectStack.isEmpty { reserveStacks(&isObjectStack, &pendingKeys, &pendingKeyOffsets) }
                    isObjectStack.append(true)
                    objects.append([String: JSONValue](minimumCapacity: 8))
                    try parseMemberName(keys: &pendingKeys, keyOffsets: &pendingKeyOffsets, afterComma: false)
                    afterComma = false
                    continue parseValue
                }
            case 0x5B:  // [
                if isObjectStack.count + outerDepth >= limits.maxDepth { throw tooDeep() }
                pos += 1
                skipWhitespace()
                if pos < count && base[pos] == 0x5D {
                    pos += 1
                    current = .array([])
                } else {
                    if isObjectStack.isEmpty { reserveStacks(&isObjectStack, &pendingKeys, &pendingKeyOffsets) }
                    isObjectStack.append(false)
                    var fresh: [JSONValue] = []
                    fresh.reserveCapacity(4)
                    arrays.append(fresh)
                    afterComma = false
                    continue parseValue
                }
            case 0x74:  // t
                try expectLiteral("true")
                current = .bool(true)
            case 0x66:  // f
                try expectLiteral("false")
                current = .bool(false)
            case 0x6E:  // n
                try expectLiteral("null")
                current = .null
            default:
                throw valueStartError(c, afterComma: afterComma)
            }

            // A complete value is in `current`: attach it to the enclosing containers,
            // closing as many as the input closes.
            while true {
                guard let isObject = isObjectStack.last else { return current }
                if isObject {
                    let key = pendingKeys.removeLast()
                    let keyOffset = pendingKeyOffsets.removeLast()
                    if objects[objects.count - 1].updateValue(current, forKey: key) != nil {
                        throw JSONParseError(
                            kind: .duplicateKey, offset: keyOffset,
                            message: "Invalid JSON: key \(JSONValue.quotedForMessage(key)) appears twice in the same object (byte \(keyOffset))",
                            key: key)
                    }
                } else {
                    arrays[arrays.count - 1].append(current)
                }
                skipWhitespace()
                guard pos < count else {
                    throw endError(expected: isObject ? "',' or '}'" : "',' or ']'")
                }
                let d = base[pos]
                if d == 0x2C {  // ,
                    pos += 1
                    skipWhitespace()
                    if isObject {
                        try parseMemberName(keys: &pendingKeys, keyOffsets: &pendingKeyOffsets, afterComma: true)
                        afterComma = false
                    } else {
                        afterComma = true
                    }
                    continue parseValue
                }
                if isObject {
                    guard d == 0x7D else { throw unexpected(at: pos, expected: "',' or '}'") }
                    pos += 1
                    current = .object(objects.removeLast())
                } else {
                    guard d == 0x5D else { throw unexpected(at: pos, expected: "',' or ']'") }
                    pos += 1
                    current = .array(arrays.removeLast())
                }
                isObjectStack.removeLast()
            }
        }
    }

    /// Room for a few levels of nesting in the stacks at once, rather than growing them level by
    /// level (each growth a new allocation and a copy).
    @inline(__always)
    func reserveStacks(_ kinds: inout [Bool], _ keys: inout [String], _ offsets: inout [Int]) {
        kinds.reserveCapacity(8)
        keys.reserveCapacity(8)
        offsets.reserveCapacity(8)
    }

    /// Checks that a member name (its opening quote) is at `pos`; after a comma a `}` is named as
    /// a trailing comma.
    func expectMemberName(afterComma: Bool) throws(JSONParseError) {
        guard pos < count else { throw endError(expected: "a member name in double quotes") }
        let c = base[pos]
        guard c == JSONScanner.quote else {
            if afterComma && c == 0x7D {
                throw JSONParseError(
                    kind: .trailingComma, offset: pos,
                    message: "Invalid JSON at byte \(pos): a comma must be followed by another member (trailing commas are not allowed)")
            }
            throw unexpected(at: pos, expected: "a member name in double quotes")
        }
    }

    /// Parses `"name"` then `:` and leaves `pos` at the start of the member value.
    mutating func parseMemberName(
        keys: inout [String], keyOffsets: inout [Int], afterComma: Bool
    ) throws(JSONParseError) {
        try expectMemberName(afterComma: afterComma)
        keyOffsets.append(pos)
        keys.append(try parseString())
        skipWhitespace()
        guard pos < count else { throw endError(expected: "':'") }
        guard base[pos] == 0x3A else { throw unexpected(at: pos, expected: "':'") }
        pos += 1
        skipWhitespace()
    }
}
