/// The precomputed lookup table of one known year: a day-kind code per day and a running count
/// of working days, so every question is O(1) or O(log 366) per year touched.
struct YearTable: Sendable {
    private enum Code: UInt8 {
        case workday, weekend, holiday, makeupWorkday
    }

    let year: Int
    /// `dayNumber` of 1 January.
    let firstDay: Int
    /// 365 or 366.
    let dayCount: Int
    private let codes: [UInt8]
    /// `cumulative[i]` = working days among the first `i` days of the year; `dayCount + 1` entries.
    private let cumulative: [Int32]
    /// Holiday or make-up-workday name by day-of-year index.
    private let names: [Int: String]

    init(notice: YearNotice) {
        let year = notice.year
        let firstDay = CivilDate.firstDayNumber(ofYear: year)
        let dayCount = CivilDate.daysInYear(year)
        var codes = [UInt8](repeating: Code.workday.rawValue, count: dayCount)
        for index in 0..<dayCount where CivilDate(dayNumber: firstDay + index).isWeekend {
            codes[index] = Code.weekend.rawValue
        }
        var names: [Int: String] = [:]
        for entry in notice.holidays {
            let index = entry.date.dayNumber - firstDay
            codes[index] = Code.holiday.rawValue
            names[index] = entry.name
        }
        for entry in notice.makeupWorkdays {
            let index = entry.date.dayNumber - firstDay
            codes[index] = Code.makeupWorkday.rawValue
            names[index] = entry.name
        }
        var cumulative = [Int32](repeating: 0, count: dayCount + 1)
        for index in 0..<dayCount {
            let working = codes[index] == Code.workday.rawValue || codes[index] == Code.makeupWorkday.rawValue
            cumulative[index + 1] = cumulative[index] + (working ? 1 : 0)
        }
        self.year = year
        self.firstDay = firstDay
        self.dayCount = dayCount
        self.codes = codes
        self.cumulative = cumulative
        self.names = names
    }

    /// Whether the day at `index` (0-based day of year) is a working day.
    func isWorkingDay(at index: Int) -> Bool {
        cumulative[index + 1] != cumulative[index]
    }

    /// The kind of the day at `index`.
    func kind(at index: Int) -> DayKind {
        switch Code(rawValue: codes[index]) {
        case .workday, .none: return .workday
        case .weekend: return .weekend
        case .holiday: return .holiday(names[index] ?? "")
        case .makeupWorkday: return .makeupWorkday(names[index] ?? "")
        }
    }

    /// Working days among the indices `range` (clamped to the year).
    func workingDays(in range: Range<Int>) -> Int {
        let lower = max(0, range.lowerBound)
        let upper = min(dayCount, range.upperBound)
        guard lower < upper else { return 0 }
        return Int(cumulative[upper] - cumulative[lower])
    }

    /// The index of the `count`-th working day (`count` ≥ 1) at or after `start`, or nil if the
    /// year has fewer than `count` working days from `start` on.
    func indexOfWorkingDay(_ count: Int, from start: Int) -> Int? {
        guard count >= 1, start >= 0, start < dayCount,
              workingDays(in: start..<dayCount) >= count else { return nil }
        let target = Int(cumulative[start]) + count
        // Smallest p in (start, dayCount] with cumulative[p] >= target; the day is p - 1.
        var low = start + 1
        var high = dayCount
        while low < high {
            let middle = (low + high) / 2
            if Int(cumulative[middle]) >= target {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low - 1
    }
}
