/// Aligned text tables and key–value blocks for people, with Chinese text padded by its display
/// width (East-Asian wide and full-width characters take two columns of a terminal).
struct Table {
    /// The column titles.
    var headers: [String]
    /// The rows so far, each with one cell per header (missing cells print empty).
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    /// Adds a row.
    mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The table as lines: titles, a rule, the rows; columns two spaces apart, the last one unpadded.
    func render() -> String {
        let all = [headers] + rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (i, cell) in row.prefix(headers.count).enumerated() { widths[i] = max(widths[i], cell.displayWidth) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for i in headers.indices {
                let cell = i < cells.count ? cells[i] : ""
                if i == headers.count - 1 {
                    out += cell
                } else {
                    out += cell.padded(to: widths[i]) + "  "
                }
            }
            return out.trailingSpacesTrimmed
        }
        var lines = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// Prints the table, or `empty` when it has no rows.
    func print(orIfEmpty empty: String) {
        Swift.print(rows.isEmpty ? empty : render())
    }
}

/// `key  value` lines with the keys aligned, for one record.
struct KeyValues {
    private var pairs: [(String, String)] = []

    /// Adds a line; `nil` values are left out.
    mutating func add(_ key: String, _ value: String?) {
        if let value { pairs.append((key, value)) }
    }

    /// The block, each line indented by `indent` spaces; multi-line values are indented under their value column.
    func render(indent: Int = 2) -> String {
        let width = pairs.map(\.0.displayWidth).max() ?? 0
        let margin = String(repeating: " ", count: indent)
        let hanging = String(repeating: " ", count: indent + width + 2)
        return pairs.map { key, value in
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            let first = margin + key.padded(to: width) + "  " + (lines.first.map(String.init) ?? "")
            return ([first] + lines.dropFirst().map { hanging + $0 }).joined(separator: "\n").trailingSpacesTrimmed
        }.joined(separator: "\n")
    }
}

extension String {
    /// Columns the text takes in a terminal: two for East-Asian wide and full-width characters,
    /// none for combining marks and zero-width characters, one otherwise.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }

    /// The text followed by spaces up to `width` display columns.
    func padded(to width: Int) -> String {
        let w = displayWidth
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }

    /// The text without trailing spaces.
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension Unicode.Scalar {
    /// Terminal columns of this scalar (after Unicode's East Asian Width property, W and F classes).
    var displayWidth: Int {
        let v = value
        switch v {
        case 0x0300...0x036F, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return properties.generalCategory == .control ? 0 : 1
        }
    }
}
