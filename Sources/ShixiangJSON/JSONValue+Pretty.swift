/// Human-readable JSON output.
extension JSONValue {
    /// Indented JSON for people: one member or element per line, `"key": value`,
    /// keys sorted like the canonical form, non-ASCII text (such as Chinese) left
    /// unescaped, empty containers as `[]` / `{}`, no trailing newline.
    /// Strings and numbers use the canonical rules. Not for hashing.
    ///
    /// - Parameter indent: spaces per nesting level (negative values count as 0).
    public func prettyString(indent: Int = 2) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writePretty(into: &out, indent: max(0, indent), level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func writePretty(into out: inout [UInt8], indent: Int, level: Int) {
        switch self {
        case .array(let a) where !a.isEmpty:
            out.append(0x5B)
            for (n, element) in a.enumerated() {
                if n > 0 { out.append(0x2C) }
                Self.newline(&out, spaces: indent * (level + 1))
                element.writePretty(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, spaces: indent * level)
            out.append(0x5D)
        case .object(let o) where !o.isEmpty:
            out.append(0x7B)
            for (n, member) in Self.sortedMembers(o).enumerated() {
                if n > 0 { out.append(0x2C) }
                Self.newline(&out, spaces: indent * (level + 1))
                Self.writeCanonicalString(member.key, into: &out)
                out.append(0x3A)
                out.append(0x20)
                member.value.writePretty(into: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, spaces: indent * level)
            out.append(0x7D)
        default:
            writeCanonical(into: &out)
        }
    }

    private static func newline(_ out: inout [UInt8], spaces: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: spaces))
    }
}
