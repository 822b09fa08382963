/// What a known date is in the working-day calendar.
public enum DayKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Monday–Friday, not a holiday: a working day.
    case workday
    /// Saturday or Sunday, not a make-up workday and not listed as a holiday: a rest day.
    case weekend
    /// A statutory holiday rest day (it may fall on a weekend inside a holiday period), with its name.
    case holiday(String)
    /// A weekend day declared a working day (调休上班日), with the holiday it compensates.
    case makeupWorkday(String)

    /// True for `.workday` and `.makeupWorkday`.
    public var isWorkingDay: Bool {
        switch self {
        case .workday, .makeupWorkday: return true
        case .weekend, .holiday: return false
        }
    }

    /// The holiday name for `.holiday` and `.makeupWorkday`, nil otherwise.
    public var holidayName: String? {
        switch self {
        case .workday, .weekend: return nil
        case let .holiday(name), let .makeupWorkday(name): return name
        }
    }

    public var description: String {
        switch self {
        case .workday: return "workday"
        case .weekend: return "weekend"
        case let .holiday(name): return "holiday (\(name))"
        case let .makeupWorkday(name): return "make-up workday (\(name))"
        }
    }
}
