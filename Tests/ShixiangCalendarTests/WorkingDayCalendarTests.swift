import Foundation
import Testing
import ShixiangCalendar

/// Expectations below were read from Resources/cn-workcalendar.json (the State Council notices).
@Suite("WorkingDayCalendar: built-in data")
struct WorkingDayCalendarTests {
    let calendar: WorkingDayCalendar

    init() throws {
        calendar = try WorkingDayCalendar.builtIn()
    }

    @Test func knownYearsAndVersion() {
        #expect(calendar.knownYears == 2004...2026)
        #expect(calendar.knownYearSet == Set(2004...2026))
        #expect(calendar.isKnown(year: 2026) && !calendar.isKnown(year: 2027) && !calendar.isKnown(year: 2003))
        #expect(calendar.version.hasPrefix("cn:2004-2026:"))
        #expect(calendar.version.count == "cn:2004-2026:".count + 16)
        // Pinned: recomputed independently (Python FNV-1a 64 over the same canonical text).
        #expect(calendar.version == "cn:2004-2026:e3a7880c9fdc6c29")
        #expect(calendar.canonicalText.hasPrefix(WorkingDayCalendar.canonicalFormat + "\nyear 2004\nholiday 2004-01-01 New Year's Day\n"))
        #expect(calendar.notice(for: 2025)?.holidays.count == 28)
        #expect(calendar.notice(for: 2025)?.makeupWorkdays.count == 5)
    }

    @Test func builtInIsCachedAndDeterministic() throws {
        let again = try WorkingDayCalendar.builtIn()
        #expect(again.version == calendar.version)
        let rebuilt = WorkingDayCalendar(notices: calendar.notices.reversed())
        #expect(rebuilt.canonicalText == calendar.canonicalText)
        #expect(rebuilt.version == calendar.version)
    }

    @Test func springFestival2024() {
        // Holidays Sat 02-10 … Sat 02-17; make-up workdays Sun 02-04 and Sun 02-18.
        for text in ["2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
                     "2024-02-15", "2024-02-16", "2024-02-17"] {
            #expect(calendar.kind(of: day(text)) == .holiday("Spring Festival"), "\(text)")
            #expect(calendar.isWorkingDay(day(text)) == false)
        }
        #expect(calendar.kind(of: day("2024-02-04")) == .makeupWorkday("Spring Festival"))
        #expect(calendar.kind(of: day("2024-02-18")) == .makeupWorkday("Spring Festival"))
        #expect(calendar.isWorkingDay(day("2024-02-04")) == true)
        #expect(calendar.isWorkingDay(day("2024-02-18")) == true)
        // New Year's Eve (Fri 02-09) was not a holiday in 2024; Sat 02-03 is an ordinary weekend.
        #expect(calendar.kind(of: day("2024-02-09")) == .workday)
        #expect(calendar.kind(of: day("2024-02-03")) == .weekend)
        #expect(calendar.kind(of: day("2024-02-19")) == .workday)
        #expect(calendar.workingDays(from: day("2024-02-01"), through: day("2024-02-29")) == 18)
    }

    @Test func springFestival2025() {
        // Holidays Tue 01-28 … Tue 02-04; make-up workdays Sun 01-26 and Sat 02-08.
        var date = day("2025-01-28")
        while date <= day("2025-02-04") {
            #expect(calendar.kind(of: date) == .holiday("Spring Festival"), "\(date)")
            date = date.adding(days: 1)
        }
        #expect(calendar.kind(of: day("2025-01-26")) == .makeupWorkday("Spring Festival"))
        #expect(calendar.kind(of: day("2025-02-08")) == .makeupWorkday("Spring Festival"))
        #expect(calendar.kind(of: day("2025-01-27")) == .workday)
        #expect(calendar.kind(of: day("2025-02-05")) == .workday)
        #expect(calendar.kind(of: day("2025-02-09")) == .weekend)
        #expect(calendar.workingDays(from: day("2025-01-25"), through: day("2025-02-09")) == 6)
    }

    @Test func nationalDay2024() {
        // Holidays Tue 10-01 … Mon 10-07; make-up workdays Sun 09-29 and Sat 10-12.
        for offset in 0..<7 {
            #expect(calendar.kind(of: day("2024-10-01").adding(days: offset)) == .holiday("National Day"))
        }
        #expect(calendar.kind(of: day("2024-09-29")) == .makeupWorkday("National Day"))
        #expect(calendar.kind(of: day("2024-10-12")) == .makeupWorkday("National Day"))
        #expect(calendar.kind(of: day("2024-10-08")) == .workday)
        #expect(calendar.kind(of: day("2024-10-13")) == .weekend)
    }

    @Test func nationalDay2025() {
        // Holidays Wed 10-01 … Wed 10-08, 10-06 named Mid-autumn Festival; make-up Sun 09-28, Sat 10-11.
        for offset in 0..<8 {
            let date = day("2025-10-01").adding(days: offset)
            let expected = date == day("2025-10-06") ? "Mid-autumn Festival" : "National Day"
            #expect(calendar.kind(of: date) == .holiday(expected), "\(date)")
        }
        #expect(calendar.kind(of: day("2025-09-28")) == .makeupWorkday("National Day"))
        #expect(calendar.kind(of: day("2025-10-11")) == .makeupWorkday("National Day"))
        #expect(calendar.kind(of: day("2025-10-09")) == .workday)
        #expect(calendar.workingDays(from: day("2025-09-27"), through: day("2025-10-12")) == 6)
    }

    @Test("working days per year", arguments: [(2004, 252), (2020, 249), (2024, 251), (2025, 248), (2026, 248)])
    func workingDaysPerYear(year: Int, expected: Int) throws {
        let first = try CivilDate(year: year, month: 1, day: 1)
        let last = try CivilDate(year: year, month: 12, day: 31)
        #expect(calendar.workingDays(from: first, through: last) == expected)
    }

    @Test func unknownYearsAnswerNil() {
        #expect(calendar.isWorkingDay(day("2027-01-04")) == nil)
        #expect(calendar.kind(of: day("2027-01-02")) == nil)
        #expect(calendar.isWorkingDay(day("2003-12-31")) == nil)
        #expect(calendar.workingDays(from: day("2026-12-01"), through: day("2027-01-01")) == nil)
        #expect(calendar.workingDays(from: day("2027-01-02"), through: day("2027-01-01")) == 0)
    }

    @Test func everyListedDateHasItsKind() {
        for notice in calendar.notices {
            for entry in notice.holidays {
                #expect(calendar.kind(of: entry.date) == .holiday(entry.name))
            }
            for entry in notice.makeupWorkdays {
                #expect(calendar.kind(of: entry.date) == .makeupWorkday(entry.name))
            }
        }
    }
}
