import Foundation
import Testing
import ShixiangCalendar

@Suite("YearNotice validation")
struct YearNoticeTests {
    private func entry(_ text: String, _ name: String = "National Day") -> DatedName {
        DatedName(date: day(text), name: name)
    }

    @Test func validNoticeIsSortedAndRoundTrips() throws {
        let notice = try YearNotice(
            year: 2025,
            holidays: [entry("2025-10-02"), entry("2025-10-01")],
            makeupWorkdays: [entry("2025-10-11"), entry("2025-09-28")],
            source: "国办发明电〔2024〕12号", title: "2025年部分节假日安排")
        #expect(notice.holidays.map(\.date) == [day("2025-10-01"), day("2025-10-02")])
        #expect(notice.makeupWorkdays.map(\.date) == [day("2025-09-28"), day("2025-10-11")])
        let data = try JSONEncoder().encode(notice)
        #expect(try JSONDecoder().decode(YearNotice.self, from: data) == notice)
    }

    @Test func holidayAndMakeupWorkdayOnSameDate() {
        #expect(throws: CalendarError.holidayAndMakeupWorkday(day("2025-10-01"))) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01")], makeupWorkdays: [entry("2025-10-01")])
        }
        #expect(CalendarError.holidayAndMakeupWorkday(day("2025-10-01")).description
            == "2025-10-01 is listed both as a holiday and as a make-up workday")
    }

    @Test func dateOutsideYear() {
        #expect(throws: CalendarError.dateOutsideYear(day("2026-01-01"), year: 2025)) {
            try YearNotice(year: 2025, holidays: [entry("2026-01-01", "New Year's Day")], makeupWorkdays: [])
        }
        #expect(throws: CalendarError.dateOutsideYear(day("2024-12-29"), year: 2025)) {
            try YearNotice(year: 2025, holidays: [entry("2025-01-01")], makeupWorkdays: [entry("2024-12-29")])
        }
    }

    @Test func duplicates() {
        #expect(throws: CalendarError.duplicateDate(day("2025-10-01"), list: "holidays")) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01"), entry("2025-10-01")], makeupWorkdays: [])
        }
        #expect(throws: CalendarError.duplicateDate(day("2025-09-28"), list: "make-up workdays")) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01")],
                           makeupWorkdays: [entry("2025-09-28"), entry("2025-09-28")])
        }
    }

    @Test func makeupWorkdayMustBeWeekend() {
        let error = CalendarError.makeupWorkdayNotOnWeekend(day("2025-10-09"), weekday: 4)
        #expect(throws: error) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01")], makeupWorkdays: [entry("2025-10-09")])
        }
        #expect(error.description.contains("Thursday"))
    }

    @Test func otherRejections() {
        #expect(throws: CalendarError.noHolidays(year: 2025)) {
            try YearNotice(year: 2025, holidays: [], makeupWorkdays: [])
        }
        #expect(throws: CalendarError.invalidName(day("2025-10-01"), name: "  ")) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01", "  ")], makeupWorkdays: [])
        }
        #expect(throws: CalendarError.invalidName(day("2025-10-01"), name: "National\nDay")) {
            try YearNotice(year: 2025, holidays: [entry("2025-10-01", "National\nDay")], makeupWorkdays: [])
        }
        #expect(throws: CalendarError.yearOutOfRange(1900)) {
            try YearNotice(year: 1900, holidays: [entry("1900-01-01")], makeupWorkdays: [])
        }
    }

    @Test func decodingValidates() {
        let json = """
        {"year": 2025, "holidays": [{"date": "2025-10-04", "name": "National Day"}],
         "makeupWorkdays": [{"date": "2025-10-04", "name": "National Day"}]}
        """
        #expect(throws: CalendarError.holidayAndMakeupWorkday(day("2025-10-04"))) {
            try JSONDecoder().decode(YearNotice.self, from: Data(json.utf8))
        }
    }

    @Test func workCalendarJSONFormatIsChecked() {
        let good = """
        {"firstYear": 2025, "lastYear": 2025, "years": {"2025": {
          "holidays": [{"date": "2025-01-01", "name": "New Year's Day"}], "workdays": []}}}
        """
        #expect((try? WorkingDayCalendar(workCalendarJSON: Data(good.utf8)))?.knownYears == 2025...2025)
        let wrongSpan = good.replacingOccurrences(of: "\"lastYear\": 2025", with: "\"lastYear\": 2026")
        #expect(throws: CalendarError.malformedData("lastYear is 2026 but the last listed year is 2025")) {
            try WorkingDayCalendar(workCalendarJSON: Data(wrongSpan.utf8))
        }
        let badKey = good.replacingOccurrences(of: "\"2025\":", with: "\"2O25\":")
        #expect(throws: CalendarError.malformedData("\"2O25\" is not a year")) {
            try WorkingDayCalendar(workCalendarJSON: Data(badKey.utf8))
        }
        let badDate = good.replacingOccurrences(of: "2025-01-01", with: "2025-1-1")
        #expect(throws: CalendarError.self) { try WorkingDayCalendar(workCalendarJSON: Data(badDate.utf8)) }
        let wrongYear = good.replacingOccurrences(of: "2025-01-01", with: "2024-01-01")
        #expect(throws: CalendarError.dateOutsideYear(day("2024-01-01"), year: 2025)) {
            try WorkingDayCalendar(workCalendarJSON: Data(wrongYear.utf8))
        }
    }
}
