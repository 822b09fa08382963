/// Escaping of character data and attribute values for XML 1.0.
public enum XMLEscaping {
    /// Text content: `&` `<` `>` become entities, CR becomes `&#13;` (so it survives
    /// end-of-line normalisation); characters XML 1.0 cannot carry (C0 controls other than
    /// tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD.
    public static func text(_ value: String) -> String {
        escape(value, attribute: false)
    }

    /// Attribute values: as ``text(_:)`` plus `"` `'` as entities and tab/LF/CR as character
    /// references (so attribute-value normalisation does not turn them into spaces).
    public static func attribute(_ value: String) -> String {
        escape(value, attribute: true)
    }

    /// Whether `scalar` is a character XML 1.0 allows in a document.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Whether `name` is an XML 1.0 (5th edition) Name (Chinese characters are allowed).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
        return name.unicodeScalars.dropFirst().allSatisfy(isNameChar)
    }

    /// `name` with every character that may not appear in an XML Name replaced by `_`
    /// (and a leading `_` if it cannot start one). Valid names come back unchanged.
    public static func sanitizedName(_ name: String) -> String {
        if isValidName(name) { return name }
        var out = String.UnicodeScalarView()
        for (index, scalar) in name.unicodeScalars.enumerated() {
            if index == 0, !isNameStart(scalar) {
                out.append("_")
                if isNameChar(scalar) { out.append(scalar) }
            } else {
                out.append(isNameChar(scalar) ? scalar : "_")
            }
        }
        return out.isEmpty ? "_" : String(out)
    }

    private static func escape(_ value: String, attribute: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where attribute: out.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where attribute: out.append(contentsOf: "&apos;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\n" where attribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "\t" where attribute: out.append(contentsOf: "&#9;".unicodeScalars)
            default: out.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return String(out)
    }

    private static func isNameStart(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3A, 0x5F, 0x41...0x5A, 0x61...0x7A: return true
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
             0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default: return false
        }
    }

    private static func isNameChar(_ s: Unicode.Scalar) -> Bool {
        if isNameStart(s) { return true }
        switch s.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }
}
