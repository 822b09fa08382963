/// The members of a canonical object, read and merged as bytes: how a fold applies a change to
/// an item's elements or an entry's fields (a few members replaced in an object of dozens)
/// without building either tree, sorting the result again or writing it out again.
extension CanonicalJSON {
    /// The top-level member `key` of the object, parsed; nil if there is no such member, or if
    /// the value is not an object.
    public func member(_ key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { wanted -> JSONValue? in
            bytes.withUnsafeBufferPointer { b -> JSONValue? in
                var members = MemberCursor(b)
                guard members.isObject else { return nil }
                while let m = members.next(), !members.failed {
                    if m.escapedName {
                        // Rare (a name with a quote, a backslash or a control character): compare its text.
                        guard let name = try? JSONValue.parse(Array(b[m.name.lowerBound - 1...m.name.upperBound])).stringValue,
                              name.utf8.elementsEqual(wanted) else { continue }
                    } else {
                        guard m.name.count == wanted.count,
                              wanted.isEmpty || bytesCompare(b.baseAddress! + m.name.lowerBound, wanted.baseAddress!, wanted.count) == 0 else { continue }
                    }
                    return try? JSONValue.parse(Array(b[m.value]))
                }
                // Bytes laid out otherwise than canonical JSON: read as a tree.
                return members.failed ? (try? JSONValue.parse(bytes))?.objectValue?[String(decoding: wanted, as: UTF8.self)] : nil
            }
        }
    }

    /// This object with every member of `change` (an object) set over it, a member whose value is
    /// `null` removed instead: the members of both are merged in their canonical order, and every
    /// value is copied as the bytes it is. The result is canonical when both are.
    ///
    /// Nil when the bytes alone cannot say the result: when either is not an object, or a member
    /// name is written with an escape (canonical order is the order of the names' text), or the
    /// bytes of either are not canonical after all (names out of order or repeated, whitespace).
    /// The caller then merges the trees.
    public func replacingMembers(with change: CanonicalJSON) -> CanonicalJSON? {
        replacingMembers(with: change, keepingNulls: false)
    }

    /// ``replacingMembers(with:)``, keeping the members of `change` whose value is `null` when
    /// `keepingNulls` (how two changes are made into one that has the effect of both).
    public func replacingMembers(with change: CanonicalJSON, keepingNulls: Bool) -> CanonicalJSON? {
        bytes.withUnsafeBufferPointer { base -> CanonicalJSON? in
            change.bytes.withUnsafeBufferPointer { change -> CanonicalJSON? in
                var a = MemberCursor(base), b = MemberCursor(change)
                guard a.isObject, b.isObject else { return nil }
                var out: [UInt8] = []
                out.reserveCapacity(base.count + change.count)
                out.append(0x7B)
                var first = true
                func write(_ m: MemberCursor.Member, of bytes: UnsafeBufferPointer<UInt8>) {
                    if !first { out.append(0x2C) }
                    first = false
                    // The name with its quotes, the colon, the value: one stretch of the input.
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(m.name.lowerBound - 1)..<m.value.upperBound]))
                }
                var x = a.next(), y = b.next()
                var lastX: MemberCursor.Member?, lastY: MemberCursor.Member?
                while x != nil || y != nil {
                    if let m = x {
                        if m.escapedName { return nil }
                        if let last = lastX, Self.compareNames(last, base, m, base) >= 0 { return nil }
                    }
                    if let m = y {
                        if m.escapedName { return nil }
                        if let last = lastY, Self.compareNames(last, change, m, change) >= 0 { return nil }
                    }
                    let order: Int
                    switch (x, y) {
                    case let (m?, n?): order = Self.compareNames(m, base, n, change)
                    case (_?, nil): order = -1
                    default: order = 1
                    }
                    if order < 0 {
                        write(x!, of: base)
                        lastX = x
                        x = a.next()
                    } else {
                        let n = y!
                        if keepingNulls || !Self.isNull(n, change) { write(n, of: change) }
                        lastY = y
                        y = b.next()
                        if order == 0 {
                            lastX = x
                            x = a.next()
                        }
                    }
                }
                if a.failed || b.failed { return nil }
                out.append(0x7D)
                return CanonicalJSON(canonicalBytes: out)
            }
        }
    }

    /// The order of two member names as canonical JSON sorts them (by their UTF-8 bytes; neither
    /// is written with escapes).
    private static func compareNames(_ m: MemberCursor.Member, _ a: UnsafeBufferPointer<UInt8>,
                                     _ n: MemberCursor.Member, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(m.name.count, n.name.count)
        if common > 0 {
            let c = bytesCompare(a.baseAddress! + m.name.lowerBound, b.baseAddress! + n.name.lowerBound, common)
            if c != 0 { return c }
        }
        return m.name.count - n.name.count
    }

    private static func isNull(_ m: MemberCursor.Member, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        m.value.count == 4 && b[m.value.lowerBound] == 0x6E
    }
}

/// Steps over the members of an object written as canonical JSON (no whitespace), trusting the
/// bytes to be valid JSON (a ``CanonicalJSON`` is checked when it is made): strings are stepped
/// over by their quotes and escapes, containers by their brackets.
private struct MemberCursor {
    struct Member {
        /// The name's bytes, without its quotes.
        var name: Range<Int>
        /// Whether the name holds a backslash (an escape).
        var escapedName: Bool
        var value: Range<Int>
    }

    let b: UnsafeBufferPointer<UInt8>
    private var pos = 1

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// Whether the bytes are an object, as canonical JSON writes one (`{` first, `}` last).
    var isObject: Bool { b.count >= 2 && b[0] == 0x7B && b[b.count - 1] == 0x7D }

    /// Whether the bytes were not laid out as canonical JSON lays out an object (whitespace, say):
    /// ``next()`` then returned nil before the end, and the caller must read them as a tree.
    private(set) var failed = false

    mutating func next() -> Member? {
        guard pos < b.count - 1 else { return nil }
        if b[pos] == 0x2C, pos > 1 { pos += 1 }
        guard pos < b.count - 1, b[pos] == 0x22 else {
            failed = true
            return nil
        }
        let nameStart = pos + 1
        let (nameEnd, escaped) = stringEnd(from: nameStart)
        pos = nameEnd + 2  // past the closing quote and the colon
        let valueStart = pos
        skipValue()
        return Member(name: nameStart..<nameEnd, escapedName: escaped, value: valueStart..<pos)
    }

    /// Where the string whose text starts at `start` ends (its closing quote), and whether it holds an escape.
    private func stringEnd(from start: Int) -> (Int, Bool) {
        var i = start
        var escaped = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 { return (i, escaped) }
            if c == 0x5C {
                escaped = true
                i += 2
            } else {
                i += 1
            }
        }
        return (b.count, escaped)
    }

    private mutating func skipValue() {
        var depth = 0
        while pos < b.count {
            let c = b[pos]
            switch c {
            case 0x22:
                pos = stringEnd(from: pos + 1).0 + 1
                if depth == 0 { return }
                continue
            case 0x7B, 0x5B:
                depth += 1
            case 0x7D, 0x5D:
                if depth == 0 { return }  // the end of the enclosing object
                depth -= 1
                if depth == 0 {
                    pos += 1
                    return
                }
            case 0x2C:
                if depth == 0 { return }
            case 0x20, 0x09, 0x0A, 0x0D:
                // Whitespace between tokens: not canonical JSON.
                failed = true
            default:
                break
            }
            pos += 1
        }
    }
}
