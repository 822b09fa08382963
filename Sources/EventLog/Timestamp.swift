/// An instant in UTC with microsecond precision, as stamped on events by the log.
///
/// Rendered and parsed as RFC 3339 text, always in UTC with six fractional digits
/// (`2026-11-24T04:33:00.123456Z`), so that text order equals time order.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    public var description: String { rfc3339 }

    /// The earliest instant parsed or rendered with a four-digit year: 0001-01-01T00:00:00Z.
    public static let earliest = Timestamp(microseconds: CivilDays.days(fromCivil: 1, 1, 1) * 86_400_000_000)
    /// The latest: 9999-12-31T23:59:59.999999Z.
    public static let latest = Timestamp(microseconds: CivilDays.days(fromCivil: 10_000, 1, 1) * 86_400_000_000 - 1)

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`. An instant outside years 0001–9999 (which parsing never
    /// produces) gets a signed, longer year (`-0001-…`, `+10000-…`) rather than a wrong one.
    public var rfc3339: String {
        var out = [UInt8]()
        out.reserveCapacity(27)
        appendRFC3339(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``rfc3339``'s text to `out`.
    public func appendRFC3339(to out: inout [UInt8]) {
        let micros = microseconds
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        let (y, m, d) = CivilDays.civil(fromDays: days)
        let secondsOfDay = rest / 1_000_000
        let fraction = rest % 1_000_000
        if (0...9999).contains(y) {
            // The common case, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, written in one piece.
            var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &text) { raw in
                let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                func digits(_ value: Int64, at start: Int, _ width: Int) {
                    var v = value
                    var i = start + width - 1
                    while i >= start {
                        p[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                        v /= 10
                        i -= 1
                    }
                }
                digits(y, at: 0, 4); p[4] = UInt8(ascii: "-"); digits(m, at: 5, 2); p[7] = UInt8(ascii: "-"); digits(d, at: 8, 2)
                p[10] = UInt8(ascii: "T"); digits(secondsOfDay / 3600, at: 11, 2); p[13] = UInt8(ascii: ":")
                digits(secondsOfDay / 60 % 60, at: 14, 2); p[16] = UInt8(ascii: ":"); digits(secondsOfDay % 60, at: 17, 2)
                p[19] = UInt8(ascii: "."); digits(fraction, at: 20, 6); p[26] = UInt8(ascii: "Z")
                out.append(contentsOf: UnsafeBufferPointer(start: p, count: 27))
            }
            return
        } else {
            out.append(UInt8(ascii: y < 0 ? "-" : "+"))
            EnvelopeText.appendInteger(UInt64(abs(y)), to: &out)
            if abs(y) < 1000 {  // keep at least four digits, as for years 0001–9999
                let digits = String(abs(y)).count
                out.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - digits), at: out.count - digits)
            }
        }
        out.append(UInt8(ascii: "-")); EnvelopeText.appendDigits(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-")); EnvelopeText.appendDigits(d, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        EnvelopeText.appendDigits(secondsOfDay / 3600, width: 2, to: &out); out.append(UInt8(ascii: ":"))
        EnvelopeText.appendDigits(secondsOfDay / 60 % 60, width: 2, to: &out); out.append(UInt8(ascii: ":"))
        EnvelopeText.appendDigits(secondsOfDay % 60, width: 2, to: &out); out.append(UInt8(ascii: "."))
        EnvelopeText.appendDigits(fraction, width: 6, to: &out); out.append(UInt8(ascii: "Z"))
    }

    /// Parses RFC 3339 (`2026-11-24T12:33:00+08:00`, `…Z`, up to 9 fractional digits, truncated to µs)
    /// or a plain date `YYYY-MM-DD`, which means the start of that day in China Standard Time (UTC+8).
    /// Instants outside ``earliest``…``latest`` in UTC (`0000-01-01` is one: in UTC it falls in year −1)
    /// are refused.
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp(rfc3339: $0) }) else { return nil }
        self = parsed
    }

    /// ``init(rfc3339:)`` over UTF-8 bytes (a stored event's timestamp, read in place).
    public init?(rfc3339 bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(rfc3339: bytes), (Self.earliest...Self.latest).contains(parsed) else { return nil }
        self = parsed
    }

    private static func parse(rfc3339 b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        if b.count == 27, let base = b.baseAddress, let t = parseCanonical(base) { return t }
        func num(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in start..<start + count {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 10, let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2), b[7] == UInt8(ascii: "-"),
              let d = num(8, 2), (1...12).contains(mo), d >= 1, d <= CivilDays.daysIn(month: mo, year: y)
        else { return nil }
        let days = CivilDays.days(fromCivil: y, mo, d)
        if b.count == 10 {
            return Timestamp(microseconds: days * 86_400_000_000 - 8 * 3_600_000_000)
        }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              let h = num(11, 2), b[13] == UInt8(ascii: ":"), let mi = num(14, 2), b[16] == UInt8(ascii: ":"),
              let s = num(17, 2), h < 24, mi < 60, s < 60
        else { return nil }
        var i = 19
        var fraction: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 { fraction = fraction * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits >= 1, digits <= 9 else { return nil }
            for _ in min(digits, 6)..<6 { fraction *= 10 }
        }
        var offsetSeconds: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = num(i + 1, 2), b.count > i + 3, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2), oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offsetSeconds
        return Timestamp(microseconds: seconds * 1_000_000 + fraction)
    }
}

extension Timestamp {
    /// The canonical form the log writes, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (27 bytes at `p`), checked
    /// a word at a time against its template; nil for anything else, which the general parser
    /// then reads (and refuses or not, as it always has). Same values and range checks as it.
    @inline(__always)
    fileprivate static func parseCanonical(_ p: UnsafePointer<UInt8>) -> Timestamp? {
        let raw = UnsafeRawPointer(p)
        func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        // Each word XORed with its template ("0" where a digit stands) leaves digits as 0...9 and
        // separators as 0; adding 0x76 to a digit's byte (0x7F to a separator's) sets its high bit
        // exactly when it is out of range, and no byte below 0x80 carries into the next.
        @inline(__always) func fits(_ w: UInt64, _ template: StaticString, _ limits: UInt64) -> Bool {
            let t = w ^ UInt64(littleEndian: UnsafeRawPointer(template.utf8Start).loadUnaligned(as: UInt64.self))
            return (t | (t &+ limits)) & 0x8080_8080_8080_8080 == 0
        }
        // Bytes 0-7 "YYYY-MM-", 8-15 "DDTHH:MM", 16-23 ":SS.ffff", 19-26 ".ffffffZ" (little-endian limits).
        guard fits(word(0), "0000-00-", 0x7F76_767F_7676_7676), fits(word(8), "00T00:00", 0x7676_7F76_767F_7676),
              fits(word(16), ":00.0000", 0x7676_7676_7F76_767F), fits(word(19), ".000000Z", 0x7F76_7676_7676_767F)
        else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int64 {
            var v: Int64 = 0
            for i in start..<start + count { v = v * 10 + Int64(p[i] &- 48) }
            return v
        }
        let y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2)
        guard mo >= 1, mo <= 12, d >= 1, d <= CivilDays.daysIn(month: mo, year: y), h < 24, mi < 60, s < 60 else { return nil }
        let seconds = CivilDays.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
        return Timestamp(microseconds: seconds * 1_000_000 + digits(20, 6))
    }
}

/// Proleptic Gregorian date arithmetic (Howard Hinnant's days-from-civil), without Foundation.
enum CivilDays {
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Timestamp: Codable {
    /// Decodes RFC 3339 text (or a plain `YYYY-MM-DD`, meaning 00:00 China Standard Time).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "expected a date-time like 2026-11-24T09:30:00+08:00 or a date like 2026-11-24 (years 0001 to 9999), got \"\(text)\""))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rfc3339)
    }
}
