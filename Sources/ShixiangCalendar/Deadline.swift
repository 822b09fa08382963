import Foundation

/// A computed working-day deadline: "within `workingDays` working days of `start`".
///
/// `date` is the `workingDays`-th working day after `start` (`start` itself not counted; for 0
/// it is `start`). `instant` is the end of `date` in China Standard Time, i.e. 00:00 +08:00 of
/// the following day, as an exclusive bound: an act at `t` is on time iff `t < instant`.
/// `calendarVersion` is the `WorkingDayCalendar.version` that produced it, so a replay can
/// check it used the same calendar.
public struct Deadline: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The day the period runs from (not counted).
    public let start: CivilDate
    /// The number of working days granted.
    public let workingDays: Int
    /// The last day of the period.
    public let date: CivilDate
    /// The exclusive end instant: 00:00 +08:00 of the day after `date`.
    public let instant: Date
    /// The calendar version used (`WorkingDayCalendar.version`).
    public let calendarVersion: String

    public init(start: CivilDate, workingDays: Int, date: CivilDate, calendarVersion: String) {
        self.start = start
        self.workingDays = workingDays
        self.date = date
        self.instant = date.chinaEndOfDay
        self.calendarVersion = calendarVersion
    }

    /// True if an act at `instant` meets the deadline (strictly before the end instant).
    public func isMet(at moment: Date) -> Bool {
        moment < instant
    }

    public var description: String {
        "\(workingDays) working day(s) after \(start): end of \(date) (calendar \(calendarVersion))"
    }
}
