import Foundation

/// A calendar date (year, month, day) in the proleptic Gregorian calendar, without time or zone.
///
/// Contracts:
/// - Every value is a real date: constructors validate month and day (leap years included).
/// - `dayNumber` counts days since 1970-01-01 (negative before it); `init(dayNumber:)` is its inverse.
/// - Ordering is chronological; equality is same year, month and day.
/// - `description` and the Codable form are the ISO string `YYYY-MM-DD`. `init?(iso:)` and
///   decoding accept exactly that form (four-digit year `0000`–`9999`, two-digit month and day).
/// - Instants map to dates in China Standard Time (UTC+8, no daylight saving time).
///
/// Date arithmetic uses Howard Hinnant's days-from-civil algorithm, not `Foundation.Calendar`.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year; `init(year:month:day:)` accepts `CivilDate.supportedYears`.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–28/29/30/31.
    public let day: Int

    /// Years accepted by `init(year:month:day:)`; far beyond any administrative use, small enough
    /// that no arithmetic on them can overflow.
    public static let supportedYears: ClosedRange<Int> = -1_000_000...1_000_000

    /// China Standard Time offset from UTC, in seconds (UTC+8, no DST).
    public static let chinaUTCOffsetSeconds = 8 * 3600

    private static let secondsPerDay = 86_400

    /// Creates a validated date; throws `CalendarError.invalidDate` if the triple is not a date
    /// (e.g. 2025-02-29) or the year is outside `supportedYears`.
    public init(year: Int, month: Int, day: Int) throws(CalendarError) {
        guard CivilDate.supportedYears.contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else {
            throw CalendarError.invalidDate(year: year, month: month, day: day)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses a strict `YYYY-MM-DD` string (exactly ten characters, ASCII digits, real date).
    /// Returns nil for anything else, e.g. "2025-1-5", "2025-02-29", " 2025-01-05".
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let date = try? CivilDate(year: year, month: month, day: day) else {
            return nil
        }
        self = date
    }

    /// The date `dayNumber` days after 1970-01-01 (before it when negative).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (0 for that date, negative before it).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 = Monday … 6 = Saturday, 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let offset = (dayNumber + 3) % 7
        return (offset < 0 ? offset + 7 : offset) + 1
    }

    /// True on Saturday and Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// Zero-based position of the date within its year (0 for 1 January).
    public var dayOfYear: Int {
        dayNumber - CivilDate.firstDayNumber(ofYear: year)
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        CivilDate(dayNumber: dayNumber + days)
    }

    /// Calendar days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// The date in China Standard Time (UTC+8) at `instant`.
    public static func chinaDate(of instant: Date) -> CivilDate {
        let seconds = instant.timeIntervalSince1970 + Double(chinaUTCOffsetSeconds)
        let days = (seconds / Double(secondsPerDay)).rounded(.down)
        return CivilDate(dayNumber: Int(days))
    }

    /// The first instant of this date in China Standard Time: 00:00:00 +08:00.
    public var chinaStartOfDay: Date {
        Date(timeIntervalSince1970: Double(dayNumber * CivilDate.secondsPerDay - CivilDate.chinaUTCOffsetSeconds))
    }

    /// The end of this date in China Standard Time, as an exclusive bound: 00:00:00 +08:00 of the
    /// next day. An instant `t` lies within the date iff `chinaStartOfDay <= t < chinaEndOfDay`.
    public var chinaEndOfDay: Date {
        adding(days: 1).chinaStartOfDay
    }

    /// `YYYY-MM-DD`; years outside 0000–9999 are written with a sign (ISO 8601 expanded form).
    public var description: String {
        let yearText: String
        if (0...9999).contains(year) {
            yearText = CivilDate.pad(year, to: 4)
        } else if year < 0 {
            yearText = "-" + CivilDate.pad(-year, to: 4)
        } else {
            yearText = "+" + String(year)
        }
        return yearText + "-" + CivilDate.pad(month, to: 2) + "-" + CivilDate.pad(day, to: 2)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes the strict `YYYY-MM-DD` string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: CalendarError.invalidDateString(text).description)
        }
        self = date
    }

    /// Encodes as the `YYYY-MM-DD` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Calendar helpers

    /// True for Gregorian leap years.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in the month (0 for a month outside 1–12).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Number of days in the year (365 or 366).
    public static func daysInYear(_ year: Int) -> Int {
        isLeapYear(year) ? 366 : 365
    }

    /// `dayNumber` of 1 January of `year`.
    public static func firstDayNumber(ofYear year: Int) -> Int {
        CivilDate(uncheckedYear: year, month: 1, day: 1).dayNumber
    }

    /// English weekday name for an ISO weekday number (1 = Monday).
    public static func weekdayName(_ weekday: Int) -> String {
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return (1...7).contains(weekday) ? names[weekday - 1] : "weekday \(weekday)"
    }

    /// Internal memberwise init for values known to be valid.
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static func pad(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
