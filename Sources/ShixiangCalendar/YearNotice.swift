import Foundation

/// One year's State Council holiday notice (国务院办公厅关于…部分节假日安排的通知): the statutory
/// holiday rest days and the make-up workdays (调休上班日) of that year.
///
/// Contracts (enforced by every initializer, including decoding; violations throw `CalendarError`):
/// - `year` is within `YearNotice.supportedYears`;
/// - every listed date lies inside `year`;
/// - no date is listed twice in a list, and no date is both a holiday and a make-up workday;
/// - make-up workdays fall on Saturday or Sunday (a weekday is a working day anyway);
/// - at least one holiday is listed;
/// - names are non-empty and contain no control characters.
/// Holidays may fall on weekends: notices list every rest day of a holiday period.
/// Both lists are stored sorted by date, so equal content gives equal values.
///
/// Codable as `{"year", "holidays", "makeupWorkdays", "source"?, "title"?}`.
public struct YearNotice: Sendable, Hashable, Codable {
    /// Years a notice may be recorded for. The State Council's notices start in 1999; the
    /// upper bound keeps dates within the four-digit ISO form.
    public static let supportedYears: ClosedRange<Int> = 1949...9999

    /// The year the notice governs.
    public let year: Int
    /// Statutory holiday rest days, sorted by date.
    public let holidays: [DatedName]
    /// Weekend days declared working days (调休上班日), sorted by date.
    public let makeupWorkdays: [DatedName]
    /// Where the notice was taken from (e.g. a document number or URL); not part of the calendar version.
    public let source: String?
    /// The notice's title; not part of the calendar version.
    public let title: String?

    /// Creates a validated notice; throws the first violated contract as a `CalendarError`.
    public init(
        year: Int,
        holidays: [DatedName],
        makeupWorkdays: [DatedName],
        source: String? = nil,
        title: String? = nil
    ) throws(CalendarError) {
        self.year = year
        self.holidays = holidays.sorted { $0.date < $1.date }
        self.makeupWorkdays = makeupWorkdays.sorted { $0.date < $1.date }
        self.source = source
        self.title = title
        try validate()
    }

    private enum CodingKeys: String, CodingKey {
        case year, holidays, makeupWorkdays, source, title
    }

    /// Decodes and validates; a contract violation is thrown as the `CalendarError` itself.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            year: container.decode(Int.self, forKey: .year),
            holidays: container.decode([DatedName].self, forKey: .holidays),
            makeupWorkdays: container.decode([DatedName].self, forKey: .makeupWorkdays),
            source: container.decodeIfPresent(String.self, forKey: .source),
            title: container.decodeIfPresent(String.self, forKey: .title))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(year, forKey: .year)
        try container.encode(holidays, forKey: .holidays)
        try container.encode(makeupWorkdays, forKey: .makeupWorkdays)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(title, forKey: .title)
    }

    /// Checks the contracts listed on the type; throws the first violation found.
    public func validate() throws(CalendarError) {
        guard YearNotice.supportedYears.contains(year) else {
            throw CalendarError.yearOutOfRange(year)
        }
        guard !holidays.isEmpty else {
            throw CalendarError.noHolidays(year: year)
        }
        var holidayDates = Set<CivilDate>()
        for entry in holidays {
            try check(entry)
            guard holidayDates.insert(entry.date).inserted else {
                throw CalendarError.duplicateDate(entry.date, list: "holidays")
            }
        }
        var workdayDates = Set<CivilDate>()
        for entry in makeupWorkdays {
            try check(entry)
            guard workdayDates.insert(entry.date).inserted else {
                throw CalendarError.duplicateDate(entry.date, list: "make-up workdays")
            }
            guard !holidayDates.contains(entry.date) else {
                throw CalendarError.holidayAndMakeupWorkday(entry.date)
            }
            guard entry.date.isWeekend else {
                throw CalendarError.makeupWorkdayNotOnWeekend(entry.date, weekday: entry.date.weekday)
            }
        }
    }

    private func check(_ entry: DatedName) throws(CalendarError) {
        guard entry.date.year == year else {
            throw CalendarError.dateOutsideYear(entry.date, year: year)
        }
        let hasControl = entry.name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard !entry.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !hasControl else {
            throw CalendarError.invalidName(entry.date, name: entry.name)
        }
    }
}
