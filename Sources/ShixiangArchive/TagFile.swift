/// Reading and writing the `Label: value` tag-file format (RFC 8493 §2.2.2) in UTF-8.
enum TagFile {
    /// Checks that a label line can be written without changing meaning.
    static func checkWritable(_ label: BagInfoLabel) throws(BagWriterError) {
        let name = label.label
        guard !name.isEmpty else { throw .invalidLabel(name, reason: "a label must not be empty") }
        guard !name.contains(":") else { throw .invalidLabel(name, reason: "a label must not contain ':'") }
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
              !first.properties.isWhitespace, !last.properties.isWhitespace
        else { throw .invalidLabel(name, reason: "a label must not start or end with white space") }
        for text in [name, label.value] where text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw .invalidLabel(name, reason: "labels and values must not contain CR or LF (tag lines are never folded)")
        }
    }

    /// The UTF-8 bytes of `Label: value` lines, each ended by LF.
    static func render(_ labels: [BagInfoLabel]) -> [UInt8] {
        var out: [UInt8] = []
        for label in labels {
            out.append(contentsOf: "\(label.label): \(label.value)\n".utf8)
        }
        return out
    }

    /// Parses tag-file text. Continuation lines (starting with space or tab) are joined to the
    /// previous value with one space. Returns the labels or a message naming the bad line.
    static func parse(_ bytes: [UInt8], fileName: String) -> Result<[BagInfoLabel], TagFileError> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return .failure(TagFileError(message: "\(fileName) starts with a byte-order mark, which RFC 8493 forbids"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(TagFileError(message: "\(fileName) is not valid UTF-8"))
        }
        var labels: [BagInfoLabel] = []
        for (number, rawLine) in lines(of: text).enumerated() {
            let line = rawLine
            if line.isEmpty { continue }
            if let first = line.unicodeScalars.first, first == " " || first == "\t" {
                guard !labels.isEmpty else {
                    return .failure(TagFileError(message: "\(fileName) line \(number + 1) continues a label that does not exist"))
                }
                let continuation = line.trimmingWhitespace()
                labels[labels.count - 1].value += labels[labels.count - 1].value.isEmpty ? continuation : " " + continuation
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(TagFileError(message: "\(fileName) line \(number + 1) has no ':' (\(line.prefix(60)))"))
            }
            let label = String(line[..<colon]).trimmingWhitespace()
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            guard !label.isEmpty else {
                return .failure(TagFileError(message: "\(fileName) line \(number + 1) has an empty label"))
            }
            labels.append(BagInfoLabel(label, value))
        }
        return .success(labels)
    }

    /// Splits on LF, CRLF or CR, dropping the empty remainder after a final line break.
    static func lines(of text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { out.append(String(current)) }
                current = String.UnicodeScalarView()
                previousWasCR = false
            } else if scalar == "\r" {
                out.append(String(current))
                current = String.UnicodeScalarView()
                previousWasCR = true
            } else {
                current.append(scalar)
                previousWasCR = false
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }
}

/// Why a tag file could not be read.
struct TagFileError: Error, Sendable {
    let message: String
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[start...end])
    }
}
