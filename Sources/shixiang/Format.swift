import ArgumentParser
import Foundation
import ShixiangJSON

/// Dates, labels and small readers shared by the registry commands.
enum Format {
    /// The registry's timestamps (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC) as a date in China Standard
    /// Time (UTC+8), `YYYY-MM-DD`; empty when absent.
    static func day(_ timestamp: JSONValue?) -> String {
        chinaTime(timestamp).map { String($0.prefix(10)) } ?? ""
    }

    /// The timestamp as `YYYY-MM-DD HH:MM` in China Standard Time; empty when absent.
    static func minute(_ timestamp: JSONValue?) -> String {
        chinaTime(timestamp).map { String($0.prefix(16)) } ?? ""
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC+8, or `nil` if `timestamp` is not a UTC RFC 3339 string.
    private static func chinaTime(_ timestamp: JSONValue?) -> String? {
        guard let text = timestamp?.stringValue else { return nil }
        let b = Array(text.utf8)
        func num(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var v = 0
            for c in b[start..<start + count] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              text.hasSuffix("Z")
        else { return text.count >= 10 ? text : nil }
        var days = daysFromCivil(y, mo, d)
        var hour = h + 8
        if hour >= 24 { hour -= 24; days += 1 }
        let (yy, mm, dd) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(yy)-\(two(mm))-\(two(dd)) \(two(hour)):\(two(mi)):\(two(s))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    private static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `label (code)`, or whichever of the two is known.
    static func labelled(_ record: JSONValue, _ field: String) -> String {
        let code = record[field]?.stringValue ?? ""
        guard let label = record["labels"]?[field]?.stringValue, !label.isEmpty, label != code else { return code }
        return code.isEmpty ? label : "\(label) (\(code))"
    }

    /// The Chinese label of a coded field, falling back to its code.
    static func label(_ record: JSONValue, _ field: String) -> String {
        record["labels"]?[field]?.stringValue ?? record[field]?.stringValue ?? ""
    }

    /// A byte count with thousands separators: `2,048 bytes`.
    static func bytes(_ count: Int64) -> String {
        let digits = Array(String(count))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return "\(out) byte\(count == 1 ? "" : "s")"
    }

    /// A JSON value as one line for people: strings bare, everything else compact JSON.
    static func inline(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if let s = value.stringValue { return s }
        return value.compactString
    }
}

/// Reading JSON arguments given inline, from a file, or from standard input.
enum JSONInput {
    /// Parses `inline` (from `option`) or the contents of `file` (`-` for standard input); `nil` if neither is given.
    static func read(inline: String?, option: String, file: String?, fileOption: String) throws -> JSONValue? {
        if let inline { return try inline.parsedJSON(option: option) }
        guard let file else { return nil }
        let bytes: Data
        if file == "-" {
            bytes = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file) (\(fileOption)).") }
            bytes = contents
        }
        return try String(decoding: bytes, as: UTF8.self).parsedJSON(option: fileOption)
    }

    /// Checks in `validate()` that a file argument is readable (standard input is taken on trust).
    static func checkReadable(_ file: String?, option: String) throws {
        guard let file, file != "-" else { return }
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("\(option): cannot read \(file).") }
    }
}

extension GlobalOptions {
    /// Prints a list: one JSON array with `--json`, otherwise `text()`.
    func printList(_ items: [JSONValue], text: () -> Void) {
        if json { printJSON(.array(items)) } else { text() }
    }
}

/// Argument checks shared by the registry commands.
enum Check {
    /// Refuses an empty or blank value of `option`.
    static func notBlank(_ value: String?, _ option: String) throws {
        if let value, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("\(option) must not be empty.")
        }
    }

    /// Refuses a value of `option` that is not one of `allowed`.
    static func oneOf(_ value: String?, _ allowed: [String], _ option: String) throws {
        if let value, !allowed.contains(value) {
            throw ValidationError("\(option) must be one of: \(allowed.joined(separator: ", ")) (got \"\(value)\").")
        }
    }

    /// Refuses a date that is neither `YYYY-MM-DD` nor an RFC 3339 time.
    static func date(_ value: String?, _ option: String) throws {
        guard let value else { return }
        let pattern = #"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$"#
        guard value.range(of: pattern, options: .regularExpression) != nil else {
            throw ValidationError("\(option) must be a date YYYY-MM-DD or an RFC 3339 time such as 2026-12-01T09:00:00+08:00 (got \"\(value)\").")
        }
    }
}
