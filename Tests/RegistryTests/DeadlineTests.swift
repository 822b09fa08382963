import Foundation
import Testing
import EventLog
import ShixiangCalendar
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

/// A clock the test moves by hand.
final class HandClock: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var now: Timestamp
    init(_ text: String) { now = Timestamp(rfc3339: text) ?? Timestamp(microseconds: 0) }
    func set(_ text: String) { lock.lock(); now = Timestamp(rfc3339: text) ?? now; lock.unlock() }
    func read() -> Timestamp { lock.lock(); defer { lock.unlock() }; return now }
}

@Suite struct DeadlineTests {
    func world(_ clock: HandClock) async throws -> (World, EventStore, Registry) {
        let w = try await World(clock: LogClock { clock.read() })
        return (w, w.store, w.registry)
    }

    @Test func filingAndForwardingAreCountedInWorkingDaysAroundNationalDay() async throws {
        let clock = HandClock("2025-09-22T10:00:00+08:00")
        let (w, _, r) = try await world(clock)
        var a = try await w.approved(w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": catalogueElements("许可")]))
        clock.set("2025-09-26T10:00:00+08:00")  // Friday before the National Day holidays
        a = try await r.publish(id: a.id, channels: ["平台"], actor: w.actor)
        let calendar = try r.calendar()
        let filing = try #require(Obligations.of(a, calendar: calendar).first { $0.rule == "filing" })
        // Sat 27 is a rest day, Sun 28 a make-up workday (1), Mon 29 (2).
        #expect(filing.deadline?.date == CivilDate(iso: "2025-09-29"))
        #expect(filing.deadline?.calendarVersion == calendar.version)

        let onTime = try r.overdue(asOf: Timestamp(rfc3339: "2025-09-29T17:00:00+08:00")!, unit: nil)
        #expect(onTime.overdue.isEmpty)
        let late = try r.overdue(asOf: Timestamp(rfc3339: "2025-09-30T12:00:00+08:00")!, unit: nil)
        #expect(late.overdue.map(\.obligation.rule) == ["filing"])
        #expect(late.overdue.first?.workingDaysLate == 1)

        clock.set("2025-09-30T15:00:00+08:00")
        let f = try await r.file(unit: w.department, adjustments: [a.id], form: [:], actor: w.actor)
        a = try #require(try r.adjustment(a.id))
        let obligations = Obligations.of(a, calendar: calendar)
        let now = Timestamp(rfc3339: "2025-10-08T12:00:00+08:00")!
        #expect(obligations.first { $0.rule == "filing" }?.status(at: now) == .metLate)
        // Forwarding: 1 working day after Tue 30 Sep; 1–8 October are holidays, so Thu 9 October.
        let forwarding = try #require(obligations.first { $0.rule == "forwarding" })
        #expect(forwarding.deadline?.date == CivilDate(iso: "2025-10-09"))
        #expect(forwarding.status(at: now) == .pending)
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-10T12:00:00+08:00")!, unit: nil).overdue.map(\.obligation.rule) == ["forwarding"])
        clock.set("2025-10-09T09:00:00+08:00")
        _ = try await r.forwardFiling(id: f.id, to: [], actor: w.actor)
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-20T12:00:00+08:00")!, unit: nil).overdue.isEmpty)
        // The review of the submission was answered the same day.
        #expect(obligations.first { $0.rule == "review" }?.status(at: now) == .met)
    }

    @Test func aDeadlineInAnUnpublishedYearIsUnknownUntilTheNoticeIsRecorded() async throws {
        let clock = HandClock("2026-12-29T10:00:00+08:00")
        let (w, _, r) = try await world(clock)
        var a = try await w.approved(w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": catalogueElements("许可")]))
        clock.set("2026-12-30T10:00:00+08:00")
        a = try await r.publish(id: a.id, channels: ["平台"], actor: w.actor)
        let before = try #require(Obligations.of(a, calendar: try r.calendar()).first { $0.rule == "filing" })
        #expect(before.deadline == nil && before.unknownYear == 2027)
        let supervision = try r.overdue(asOf: Timestamp(rfc3339: "2027-01-10T12:00:00+08:00")!, unit: nil)
        #expect(supervision.unknown.map(\.obligation.rule) == ["filing"])
        #expect(supervision.overdue.isEmpty)

        // The reform office records the 2027 notice (a test notice: New Year's Day on Friday 1 January).
        let notice = try YearNotice(year: 2027, holidays: [DatedName(date: CivilDate(year: 2027, month: 1, day: 1), name: "元旦")],
                                    makeupWorkdays: [], source: "test notice", title: nil)
        let calendar = try await r.publishCalendar(notice, actor: w.actor)
        #expect(calendar.isKnown(year: 2027))
        let after = try #require(Obligations.of(a, calendar: calendar).first { $0.rule == "filing" })
        // Thu 31 Dec (1), Fri 1 Jan is a holiday, Mon 4 Jan (2).
        #expect(after.deadline?.date == CivilDate(iso: "2027-01-04"))
        #expect(after.deadline?.calendarVersion != before.deadline?.calendarVersion)
        // Sunday 10 January: an act now counts on Monday 11, the 5th working day after the deadline.
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2027-01-10T12:00:00+08:00")!, unit: nil).overdue.first?.workingDaysLate == 5)
        // The calendar is part of history: a rebuild gives the same calendar.
        _ = try await r.rebuild()
        #expect(try r.calendar().version == calendar.version)
    }
}

@Suite struct RectificationTests {
    @Test func aNoticeIsDueInWorkingDaysAndLeavesTheOverdueListWhenRectified() async throws {
        let clock = HandClock("2025-09-29T10:00:00+08:00")  // Monday before National Day
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        let notice = try await r.issueNotice(unit: w.department, subject: "adj-1", reason: "逾期未备案", workingDays: 3, actor: w.actor)
        let o = Obligations.of(notice, calendar: try r.calendar())
        // Tue 30 Sep (1), the holidays, Thu 9 Oct (2), Fri 10 Oct (3).
        #expect(o.deadline?.date == CivilDate(iso: "2025-10-10"))
        let late = try r.overdue(asOf: Timestamp(rfc3339: "2025-10-13T12:00:00+08:00")!, unit: w.department)
        #expect(late.overdue.map(\.obligation.rule) == ["rectification"])
        #expect(late.overdue.first?.notice?.id == notice.id)
        clock.set("2025-10-14T09:00:00+08:00")
        let done = try await r.rectify(id: notice.id, note: "已补报备案表", actor: w.actor)
        #expect(done.rectification == "已补报备案表")
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-20")!, unit: nil).overdue.isEmpty)
        #expect(Obligations.of(done, calendar: try r.calendar()).status(at: Timestamp(rfc3339: "2025-10-20")!) == .metLate)
        let again = await registryError { try await r.rectify(id: notice.id, note: "x", actor: w.actor) }
        #expect(again == .illegalTransition(what: "notice \(notice.id)", state: "rectified (已整改)", action: "rectify"))
        let bad = await registryError { try await r.issueNotice(unit: w.department, subject: "x", reason: "y", workingDays: 0, actor: w.actor) }
        #expect(bad == .rule(field: "workingDays", message: "A rectification deadline is 1 to 60 working days."))
    }
}
