import Foundation
import Testing
import ShixiangCalendar

@Suite("Deadlines")
struct DeadlineTests {
    let calendar: WorkingDayCalendar

    init() throws {
        calendar = try WorkingDayCalendar.builtIn()
    }

    private func dueDate(_ n: Int, after text: String) -> CivilDate? {
        calendar.deadline(workingDays: n, after: day(text)).deadline?.date
    }

    @Test func twoWorkingDaysAfterFridayBeforeSpringFestival2024() throws {
        // Fri 2024-02-09; 02-10…02-17 holiday; Sun 02-18 make-up (1); Mon 02-19 (2).
        let deadline = try calendar.deadline(workingDays: 2, after: day("2024-02-09")).get()
        #expect(deadline.date == day("2024-02-19"))
        #expect(deadline.start == day("2024-02-09") && deadline.workingDays == 2)
        #expect(deadline.calendarVersion == calendar.version)
        // End of 02-19 in Beijing = 2024-02-19T16:00:00Z.
        #expect(deadline.instant == day("2024-02-20").chinaStartOfDay)
        #expect(deadline.instant == Date(timeIntervalSince1970: Double(day("2024-02-19").dayNumber * 86_400 + 16 * 3600)))
    }

    @Test("deadlines across holiday periods", arguments: [
        (2, "2024-09-27", "2024-09-30"),  // Fri; Sun 09-29 is a make-up workday
        (1, "2024-09-30", "2024-10-08"),  // National Day 10-01…10-07
        (2, "2025-09-30", "2025-10-10"),  // National Day 10-01…10-08
        (2, "2025-01-24", "2025-01-27"),  // Fri; Sun 01-26 make-up
        (1, "2025-01-27", "2025-02-05"),  // Spring Festival 01-28…02-04
        (5, "2025-02-03", "2025-02-10"),  // 02-05,06,07, Sat 02-08 make-up, Mon 02-10
        (10, "2024-09-20", "2024-10-10"),
        (1, "2024-02-17", "2024-02-18"),  // from a holiday to a Sunday make-up workday
    ])
    func acrossHolidays(n: Int, start: String, expected: String) {
        #expect(dueDate(n, after: start) == day(expected))
    }

    @Test func lastWorkingDayOf2025PlusOneLandsIn2026() throws {
        #expect(calendar.isWorkingDay(day("2025-12-31")) == true)
        // 2026-01-01…03 New Year holiday; Sun 2026-01-04 is a make-up workday.
        let deadline = try calendar.deadline(workingDays: 1, after: day("2025-12-31")).get()
        #expect(deadline.date == day("2026-01-04"))
        #expect(deadline.instant == Date(timeIntervalSince1970: Double(day("2026-01-04").dayNumber * 86_400 + 16 * 3600)))
    }

    @Test func zeroWorkingDaysIsSameDay() throws {
        let deadline = try calendar.deadline(workingDays: 0, after: day("2024-10-03")).get()
        #expect(deadline.date == day("2024-10-03"))
        #expect(deadline.instant == day("2024-10-04").chinaStartOfDay)
        #expect(deadline.isMet(at: day("2024-10-04").chinaStartOfDay.addingTimeInterval(-1)))
        #expect(!deadline.isMet(at: day("2024-10-04").chinaStartOfDay))
    }

    @Test func reachingInto2027IsUnknown() throws {
        // 2026-12-29, 30, 31 are the last three working days of 2026.
        #expect(dueDate(3, after: "2026-12-28") == day("2026-12-31"))
        #expect(calendar.deadline(workingDays: 4, after: day("2026-12-28")) == .unknown(year: 2027))
        #expect(calendar.deadline(workingDays: 1, after: day("2026-12-31")) == .unknown(year: 2027))
        #expect(calendar.deadline(workingDays: 1, after: day("2027-03-01")) == .unknown(year: 2027))
        #expect(throws: CalendarError.unknownYear(2027)) {
            try calendar.deadline(workingDays: 4, after: day("2026-12-28")).get()
        }
        #expect(CalendarError.unknownYear(2027).description
            == "2027 has no published holiday notice; the deadline cannot be computed")
    }

    @Test func startOnLastDayOfUnknownYearOnlyNeedsTheNextYear() {
        // 2003 is unknown, but no day of 2003 is counted after 2003-12-31.
        #expect(dueDate(1, after: "2003-12-31") == day("2004-01-02"))
    }

    @Test func workingDaysLate() {
        let due = day("2024-02-09")  // Friday before Spring Festival 2024
        #expect(calendar.workingDaysLate(deadline: due, asOf: day("2024-02-01")) == 0)
        #expect(calendar.workingDaysLate(deadline: due, asOf: due) == 0)
        #expect(calendar.workingDaysLate(deadline: due, asOf: day("2024-02-10")) == 1)  // holiday
        #expect(calendar.workingDaysLate(deadline: due, asOf: day("2024-02-18")) == 1)  // make-up Sunday
        #expect(calendar.workingDaysLate(deadline: due, asOf: day("2024-02-19")) == 2)
        #expect(calendar.workingDaysLate(deadline: due, asOf: day("2024-02-24")) == 7)  // Sat after 02-19…02-23
        #expect(calendar.workingDaysLate(deadline: day("2026-12-30"), asOf: day("2026-12-31")) == 1)
        #expect(calendar.workingDaysLate(deadline: day("2026-12-30"), asOf: day("2027-01-04")) == nil)
    }

    @Test func workingDaysLateAgreesWithDeadlines() throws {
        let start = day("2025-09-26")
        let deadline = try calendar.deadline(workingDays: 3, after: start).get()
        #expect(deadline.date == day("2025-09-30"))  // Sun 09-28 make-up, 09-29, 09-30
        for offset in 0..<30 {
            let asOf = deadline.date.adding(days: offset)
            let late = try #require(calendar.workingDaysLate(deadline: deadline.date, asOf: asOf))
            let moment = asOf.chinaStartOfDay.addingTimeInterval(3600)
            #expect(calendar.workingDaysLate(deadline, at: moment) == late)
            #expect((late == 0) == deadline.isMet(at: moment))
            // Smallest k with asOf <= deadline(k, after: deadline.date).
            let reach = try calendar.deadline(workingDays: late, after: deadline.date).get().date
            #expect(asOf <= reach)
            if late > 0 {
                #expect(asOf > (try calendar.deadline(workingDays: late - 1, after: deadline.date).get().date))
            }
        }
    }
}
