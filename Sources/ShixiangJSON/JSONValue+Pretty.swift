/// Human-readable JSON output.
extension JSONValue {
    /// Indented JSON for people: one member or element per line, `"key": value`,
    /// keys sorted like the canonical form, non-ASCII text (such as Chinese) left
    /// unescaped, empty containers as `[]` / `{}`, no trailing newline.
    /// Strings and numbers use the canonical rules. Not for hashing.
    ///
    /// - Parameter indent: spaces per nesting level (negative values count as 0).
    public func prettyString(indent: Int = 2) -> String {
        var w = ByteWriter()
        writePretty(to: &w, indent: max(0, indent), level: 0)
        return w.makeString()
    }

    private func writePretty(to w: inout ByteWriter, indent: Int, level: Int) {
        switch self {
        case .array(let a) where !a.isEmpty:
            w.append(0x5B)
            for (n, element) in a.enumerated() {
                if n > 0 { w.append(0x2C) }
                Self.newline(&w, spaces: indent * (level + 1))
                element.writePretty(to: &w, indent: indent, level: level + 1)
            }
            Self.newline(&w, spaces: indent * level)
            w.append(0x5D)
        case .object(let o) where !o.isEmpty:
            w.append(0x7B)
            Self.withSortedIndices(o) { indices in
                for (n, entry) in indices.enumerated() {
                    if n > 0 { w.append(0x2C) }
                    let member = o[entry.index]
                    Self.newline(&w, spaces: indent * (level + 1))
                    Self.writeString(member.key, to: &w)
                    w.append(0x3A)
                    w.append(0x20)
                    member.value.writePretty(to: &w, indent: indent, level: level + 1)
                }
            }
            Self.newline(&w, spaces: indent * level)
            w.append(0x7D)
        default:
            write(canonical: &w)
        }
    }

    private static func newline(_ w: inout ByteWriter, spaces: Int) {
        w.append(0x0A)
        w.append(repeating: 0x20, count: spaces)
    }
}
