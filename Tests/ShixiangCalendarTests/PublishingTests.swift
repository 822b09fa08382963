import Foundation
import Testing
import ShixiangCalendar

@Suite("Publishing notices")
struct PublishingTests {
    let calendar: WorkingDayCalendar

    init() throws {
        calendar = try WorkingDayCalendar.builtIn()
    }

    /// A hypothetical 2027 notice (test fixture, not the real one): New Year 2027-01-01 (Fri) to 01-03.
    private func notice2027() throws -> YearNotice {
        try YearNotice(
            year: 2027,
            holidays: ["2027-01-01", "2027-01-02", "2027-01-03"].map { DatedName(date: day($0), name: "New Year's Day") },
            makeupWorkdays: [],
            title: "test fixture")
    }

    @Test func publishing2027MakesTheDeadlineKnownAndChangesTheVersion() throws {
        #expect(calendar.deadline(workingDays: 4, after: day("2026-12-28")) == .unknown(year: 2027))
        let extended = try calendar.publishing(notice2027())
        #expect(extended.knownYears == 2004...2027)
        #expect(extended.version.hasPrefix("cn:2004-2027:"))
        #expect(extended.version != calendar.version)
        let deadline = try extended.deadline(workingDays: 4, after: day("2026-12-28")).get()
        #expect(deadline.date == day("2027-01-04"))
        #expect(deadline.calendarVersion == extended.version)
        #expect(extended.deadline(workingDays: 1, after: day("2027-12-31")) == .unknown(year: 2028))
        // The original value is unchanged.
        #expect(calendar.isKnown(year: 2027) == false)
    }

    @Test func laterNoticeReplacesTheYearAndVersionFollowsContent() throws {
        let original = try #require(calendar.notice(for: 2026))
        let withoutMakeup = try YearNotice(
            year: 2026, holidays: original.holidays,
            makeupWorkdays: original.makeupWorkdays.filter { $0.date != day("2026-01-04") })
        let revised = try calendar.publishing(withoutMakeup)
        #expect(revised.version != calendar.version)
        #expect(revised.kind(of: day("2026-01-04")) == .weekend)
        #expect(revised.deadline(workingDays: 1, after: day("2025-12-31")).deadline?.date == day("2026-01-05"))
        // Re-publishing the original content (even with another title) restores the version.
        let restored = try revised.publishing(YearNotice(
            year: 2026, holidays: original.holidays, makeupWorkdays: original.makeupWorkdays,
            source: "another copy", title: "same content"))
        #expect(restored.version == calendar.version)
        #expect(restored.canonicalText == calendar.canonicalText)
    }

    @Test func gapsStayUnknown() throws {
        let notice2030 = try YearNotice(
            year: 2030, holidays: [DatedName(date: day("2030-01-01"), name: "New Year's Day")], makeupWorkdays: [])
        let gapped = try calendar.publishing(notice2030)
        #expect(gapped.knownYears == 2004...2030)
        #expect(gapped.knownYearSet.contains(2027) == false)
        #expect(gapped.version.hasPrefix("cn:2004-2026,2030:"))
        #expect(gapped.deadline(workingDays: 1, after: day("2026-12-31")) == .unknown(year: 2027))
        #expect(gapped.deadline(workingDays: 1, after: day("2030-01-01")).deadline?.date == day("2030-01-02"))
    }

    @Test func buildingFromNoticesMatchesPublishingOneByOne() throws {
        var stepwise = WorkingDayCalendar(notices: [])
        #expect(stepwise.knownYears == nil)
        #expect(stepwise.version.hasPrefix("cn:none:"))
        #expect(stepwise.deadline(workingDays: 1, after: day("2025-01-01")) == .unknown(year: 2025))
        for notice in calendar.notices {
            stepwise = try stepwise.publishing(notice)
        }
        #expect(stepwise.version == calendar.version)
    }
}
