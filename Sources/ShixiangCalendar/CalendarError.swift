/// Every failure the working-day calendar can report.
///
/// Each case carries the facts needed to explain itself; `description` is a complete
/// English sentence suitable for an operator or an API error body.
public enum CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A year/month/day triple that is not a date of the proleptic Gregorian calendar.
    case invalidDate(year: Int, month: Int, day: Int)
    /// A string that is not a strict `YYYY-MM-DD` date.
    case invalidDateString(String)
    /// A question reached into a year for which no State Council holiday notice is recorded.
    case unknownYear(Int)
    /// A notice's year is outside the supported range (`YearNotice.supportedYears`).
    case yearOutOfRange(Int)
    /// A notice lists a date that does not belong to the notice's year.
    case dateOutsideYear(CivilDate, year: Int)
    /// A date appears twice in the same list of a notice.
    case duplicateDate(CivilDate, list: String)
    /// A date is listed both as a holiday and as a make-up workday.
    case holidayAndMakeupWorkday(CivilDate)
    /// A make-up workday (调休上班日) falls on Monday–Friday, which is a working day anyway.
    case makeupWorkdayNotOnWeekend(CivilDate, weekday: Int)
    /// A notice lists no holiday at all; every State Council notice has some.
    case noHolidays(year: Int)
    /// A holiday or make-up workday name is empty or contains control characters.
    case invalidName(CivilDate, name: String)
    /// The shipped calendar resource is missing.
    case resourceMissing(String)
    /// Calendar data (JSON) could not be read or is inconsistent.
    case malformedData(String)

    public var description: String {
        switch self {
        case let .invalidDate(year, month, day):
            return "\(year)-\(month)-\(day) is not a valid calendar date"
        case let .invalidDateString(text):
            return "\"\(text)\" is not a date in the form YYYY-MM-DD"
        case let .unknownYear(year):
            return "\(year) has no published holiday notice; the deadline cannot be computed"
        case let .yearOutOfRange(year):
            return "\(year) is outside the supported years \(YearNotice.supportedYears.lowerBound)–\(YearNotice.supportedYears.upperBound)"
        case let .dateOutsideYear(date, year):
            return "\(date) is listed in the notice for \(year) but belongs to \(date.year)"
        case let .duplicateDate(date, list):
            return "\(date) is listed twice among the \(list)"
        case let .holidayAndMakeupWorkday(date):
            return "\(date) is listed both as a holiday and as a make-up workday"
        case let .makeupWorkdayNotOnWeekend(date, weekday):
            return "\(date) is listed as a make-up workday but is a \(CivilDate.weekdayName(weekday)); make-up workdays must be Saturdays or Sundays"
        case let .noHolidays(year):
            return "the notice for \(year) lists no holidays"
        case let .invalidName(date, name):
            return "the name \"\(name)\" given for \(date) is empty or contains control characters"
        case let .resourceMissing(name):
            return "the calendar resource \(name) is missing from the module bundle"
        case let .malformedData(reason):
            return "the calendar data is malformed: \(reason)"
        }
    }
}
