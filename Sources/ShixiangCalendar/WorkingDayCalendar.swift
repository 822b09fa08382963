import Foundation

/// China's working-day calendar (工作日): Monday–Friday, minus statutory holidays, plus make-up
/// workdays (调休上班日), as published yearly by the State Council.
///
/// Contracts:
/// - The calendar knows exactly the years it holds a `YearNotice` for. A question touching any
///   other year answers nil / `.unknown(year:)`; nothing is guessed (not even weekends).
/// - It is an immutable value built up from notices: `builtIn()` (the shipped data), then
///   `publishing(_:)` for each newly published notice; a notice for a year already known
///   replaces that year.
/// - `canonicalText` is a deterministic text of everything that affects answers (dates, kinds
///   and holiday names — not a notice's `source`/`title`); `version` is derived from it as
///   `cn:<years>:<FNV-1a-64 hex of canonicalText>`, e.g. `cn:2004-2026:…`. Equal content gives
///   equal versions regardless of how the calendar was built.
/// - Lookups are O(1) per date and deadlines O(years touched × log 366).
/// - "Within N working days of D": D is not counted; the deadline is the end of the N-th working
///   day after D (N = 0: the end of D), in China Standard Time.
public struct WorkingDayCalendar: Sendable {
    /// Format tag heading `canonicalText`; bump it if the canonical form ever changes.
    public static let canonicalFormat = "shixiang-cn-workcalendar/1"

    private let noticesByYear: [Int: YearNotice]
    private let tables: [Int: YearTable]
    /// Deterministic text of the calendar's content (see the type's contract); hash it for a strong digest.
    public let canonicalText: String
    /// Stable version string, e.g. `cn:2004-2026:0123456789abcdef`.
    public let version: String

    /// Builds a calendar from notices; when several notices govern the same year, the later one
    /// in the sequence wins (as if published in that order).
    public init(notices: some Sequence<YearNotice>) {
        var byYear: [Int: YearNotice] = [:]
        for notice in notices {
            byYear[notice.year] = notice
        }
        self.init(noticesByYear: byYear, tables: byYear.mapValues(YearTable.init(notice:)))
    }

    private init(noticesByYear: [Int: YearNotice], tables: [Int: YearTable]) {
        self.noticesByYear = noticesByYear
        self.tables = tables
        let years = noticesByYear.keys.sorted()
        var text = WorkingDayCalendar.canonicalFormat + "\n"
        for year in years {
            guard let notice = noticesByYear[year] else { continue }
            text += "year \(year)\n"
            for entry in notice.holidays {
                text += "holiday \(entry.date) \(entry.name)\n"
            }
            for entry in notice.makeupWorkdays {
                text += "workday \(entry.date) \(entry.name)\n"
            }
        }
        self.canonicalText = text
        self.version = "cn:" + WorkingDayCalendar.yearsLabel(years) + ":" + FNV1a64.hex(text)
    }

    /// The calendar with `notice` recorded; it replaces any earlier notice for the same year.
    /// Throws if the notice violates a `YearNotice` contract.
    public func publishing(_ notice: YearNotice) throws(CalendarError) -> WorkingDayCalendar {
        try notice.validate()
        var notices = noticesByYear
        var tables = self.tables
        notices[notice.year] = notice
        tables[notice.year] = YearTable(notice: notice)
        return WorkingDayCalendar(noticesByYear: notices, tables: tables)
    }

    // MARK: - Known years

    /// The recorded notices, sorted by year.
    public var notices: [YearNotice] {
        noticesByYear.keys.sorted().compactMap { noticesByYear[$0] }
    }

    /// The notice recorded for `year`, if any.
    public func notice(for year: Int) -> YearNotice? {
        noticesByYear[year]
    }

    /// The years with a recorded notice.
    public var knownYearSet: Set<Int> {
        Set(noticesByYear.keys)
    }

    /// The span from the first to the last known year, nil if none. The span may contain
    /// unknown years if notices were recorded with gaps; `isKnown(year:)` is authoritative.
    public var knownYears: ClosedRange<Int>? {
        guard let first = noticesByYear.keys.min(), let last = noticesByYear.keys.max() else { return nil }
        return first...last
    }

    /// Whether a notice is recorded for `year`.
    public func isKnown(year: Int) -> Bool {
        tables[year] != nil
    }

    // MARK: - Days

    /// Whether `date` is a working day; nil if its year is unknown.
    public func isWorkingDay(_ date: CivilDate) -> Bool? {
        guard let table = tables[date.year] else { return nil }
        return table.isWorkingDay(at: date.dayNumber - table.firstDay)
    }

    /// What `date` is; nil if its year is unknown.
    public func kind(of date: CivilDate) -> DayKind? {
        guard let table = tables[date.year] else { return nil }
        return table.kind(at: date.dayNumber - table.firstDay)
    }

    /// Working days in `from…through`, both ends included (0 if `from > through`);
    /// nil if any year in the range is unknown.
    public func workingDays(from: CivilDate, through: CivilDate) -> Int? {
        guard from <= through else { return 0 }
        var total = 0
        for year in from.year...through.year {
            guard let table = tables[year] else { return nil }
            let lower = year == from.year ? from.dayNumber - table.firstDay : 0
            let upper = year == through.year ? through.dayNumber - table.firstDay + 1 : table.dayCount
            total += table.workingDays(in: lower..<upper)
        }
        return total
    }

    // MARK: - Deadlines

    /// The deadline "within `n` working days of `start`": the end of the `n`-th working day after
    /// `start` (`start` not counted; `n == 0` gives the end of `start` itself, without consulting
    /// the calendar). `.unknown(year:)` names the first unknown year the count reaches into.
    ///
    /// A negative `n` is treated as 0: a daemon must not crash on a bad count, and rules that
    /// produce counts validate them on input.
    public func deadline(workingDays count: Int, after start: CivilDate) -> DeadlineResult {
        let n = max(count, 0)
        guard n > 0 else {
            return .due(Deadline(start: start, workingDays: 0, date: start, calendarVersion: version))
        }
        var year = start.year
        var index = start.dayOfYear + 1
        var remaining = n
        while true {
            if index >= CivilDate.daysInYear(year) {
                year += 1
                index = 0
            }
            guard let table = tables[year] else { return .unknown(year: year) }
            if let found = table.indexOfWorkingDay(remaining, from: index) {
                let date = CivilDate(dayNumber: table.firstDay + found)
                return .due(Deadline(start: start, workingDays: n, date: date, calendarVersion: version))
            }
            remaining -= table.workingDays(in: index..<table.dayCount)
            year += 1
            index = 0
        }
    }

    /// How many working days late an act on `asOf` is against a deadline ending with the date
    /// `deadline`: the smallest `k ≥ 0` such that `asOf` is not after
    /// `deadline(workingDays: k, after: deadline).date`.
    /// So 0 iff `asOf <= deadline`; otherwise the working days in `(deadline, asOf]`, plus one
    /// if `asOf` is itself a rest day (a Saturday right after a Friday deadline is 1 day late,
    /// like the Monday). Nil if any year in `(deadline, asOf]` is unknown.
    public func workingDaysLate(deadline: CivilDate, asOf: CivilDate) -> Int? {
        guard asOf > deadline else { return 0 }
        guard let count = workingDays(from: deadline.adding(days: 1), through: asOf),
              let working = isWorkingDay(asOf) else { return nil }
        return working ? count : count + 1
    }

    /// `workingDaysLate(deadline:asOf:)` for an act at `moment`, taken as its China date.
    public func workingDaysLate(_ deadline: Deadline, at moment: Date) -> Int? {
        workingDaysLate(deadline: deadline.date, asOf: CivilDate.chinaDate(of: moment))
    }

    // MARK: - Helpers

    /// "2004-2026", "2004-2026,2030", "2027" or "none".
    private static func yearsLabel(_ sortedYears: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < sortedYears.count {
            let first = sortedYears[index]
            var last = first
            while index + 1 < sortedYears.count, sortedYears[index + 1] == last + 1 {
                index += 1
                last = sortedYears[index]
            }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
            index += 1
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}
