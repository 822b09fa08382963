/// Path rules of a bag: payload path validation and the percent-encoding of manifest paths.
public enum BagPath {
    /// Encodes a bag-relative path for a manifest line (RFC 8493 §2.1.3):
    /// exactly CR → `%0D`, LF → `%0A` and `%` → `%25`; nothing else is touched.
    ///
    /// Note: bagit-python 1.9 decodes only `%0D`/`%0A`, so a payload file name containing `%`
    /// validates with this package but not with bagit-python.
    public static func encodeForManifest(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Decodes a manifest path: `%25`, `%0D`, `%0A` (either case) back to `%`, CR, LF.
    /// Any other `%` sequence is kept as it is.
    public static func decodeFromManifest(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "%", index + 2 < scalars.count {
                let code = String(String.UnicodeScalarView(scalars[(index + 1)...(index + 2)])).uppercased()
                let decoded: Unicode.Scalar? = switch code {
                case "25": "%"
                case "0D": "\r"
                case "0A": "\n"
                default: nil
                }
                if let decoded {
                    out.append(decoded)
                    index += 3
                    continue
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    /// The components of a relative path if it is safe inside a bag, else `nil`.
    ///
    /// Safe: not empty, not absolute, no empty, `.` or `..` component, no NUL.
    public static func safeComponents(_ path: String) -> [String]? {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.unicodeScalars.contains("\u{0}") else { return nil }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components where component.isEmpty || component == "." || component == ".." {
            return nil
        }
        return components
    }

    /// Orders paths by their UTF-8 bytes, so manifests are byte-for-byte reproducible.
    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
