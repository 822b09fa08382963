import ShixiangTestSupport
import Testing
import ShixiangCalendar

@Suite("Deadline properties")
struct DeadlinePropertyTests {
    /// Reference implementation: step one day at a time.
    private func naiveDeadline(_ calendar: WorkingDayCalendar, _ n: Int, after start: CivilDate) -> CivilDate? {
        var date = start
        var remaining = n
        while remaining > 0 {
            date = date.adding(days: 1)
            guard let working = calendar.isWorkingDay(date) else { return nil }
            if working { remaining -= 1 }
        }
        return date
    }

    @Test func randomDeadlinesIn2004Through2026() throws {
        let calendar = try WorkingDayCalendar.builtIn()
        var generator = SplitMix64(seed: 0x5348_4958_4941_4E47)
        let first = day("2004-01-01").dayNumber
        let last = day("2026-12-31").dayNumber
        var unknownCount = 0
        for _ in 0..<20_000 {
            let start = CivilDate(dayNumber: Int.random(in: first...last, using: &generator))
            let n = Int.random(in: 0...40, using: &generator)
            switch calendar.deadline(workingDays: n, after: start) {
            case let .unknown(year):
                unknownCount += 1
                #expect(year == 2027)
                #expect(naiveDeadline(calendar, n, after: start) == nil)
            case let .due(deadline):
                #expect(deadline.start == start && deadline.workingDays == n)
                #expect(deadline.instant == deadline.date.adding(days: 1).chinaStartOfDay)
                if n == 0 {
                    #expect(deadline.date == start)
                } else {
                    #expect(deadline.date > start)
                    #expect(calendar.isWorkingDay(deadline.date) == true)
                }
                #expect(calendar.workingDays(from: start.adding(days: 1), through: deadline.date) == n)
                #expect(naiveDeadline(calendar, n, after: start) == deadline.date)
            }
        }
        // The last ~40 working days of 2026 reach 2027 for some n; make sure that path ran only rarely.
        #expect(unknownCount < 400)
    }

    @Test func longPeriodsSpanManyYears() throws {
        let calendar = try WorkingDayCalendar.builtIn()
        let start = day("2004-01-01")
        let total = try #require(calendar.workingDays(from: start.adding(days: 1), through: day("2026-12-31")))
        #expect(calendar.deadline(workingDays: total, after: start).deadline?.date == day("2026-12-31"))
        #expect(calendar.deadline(workingDays: total + 1, after: start) == .unknown(year: 2027))
    }
}
