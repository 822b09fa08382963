import Foundation
import Testing
import EventLog
import ShixiangCalendar
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

/// The follow-ups of seed 002: a claimed item's elements completed the day it is claimed (§14), and
/// the offline guide updated within 10 working days of an implementation-list change (§16).
@Suite struct FollowUpObligationTests {
    @Test func theOfflineGuideIsDueTenWorkingDaysAfterTheChangeAcrossNationalDay() async throws {
        let clock = HandClock("2025-09-22T10:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        let claim = try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        _ = try await r.recordGuideUpdate(id: claim.id, note: "新指南已摆放", actor: w.actor)
        let entry = try #require(try r.entries(unit: w.department).first)
        clock.set("2025-09-26T10:00:00+08:00")  // Friday before the National Day holidays
        let change = try await w.approved(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["hours": "全天"]]))
        let calendar = try r.calendar()
        let guide = try #require(Obligations.of(change, calendar: calendar).first { $0.rule == "offlineGuide" })
        // Sun 28 Sep (make-up workday, 1), Mon 29 (2), Tue 30 (3), 1–8 October off, Thu 9 (4), Fri 10 (5),
        // Sat 11 (make-up workday, 6), Mon 13 (7), Tue 14 (8), Wed 15 (9), Thu 16 October (10).
        #expect(guide.deadline?.date == CivilDate(iso: "2025-10-16"))
        #expect(guide.source == "seed 002 §16" && guide.workingDays == 10)

        clock.set("2025-10-20T09:00:00+08:00")
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-16T20:00:00+08:00")!, unit: w.department).overdue.isEmpty)
        let late = try r.overdue(asOf: Timestamp(rfc3339: "2025-10-17T10:00:00+08:00")!, unit: w.department)
        #expect(late.overdue.map(\.obligation.rule) == ["offlineGuide"])
        #expect(late.overdue.first?.adjustment?.id == change.id && late.overdue.first?.workingDaysLate == 1)

        // Only an approved implementation-list change takes the record, once, with a note.
        let catalogueChange = try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "新"]]))
        let wrongList = await registryError { try await r.recordGuideUpdate(id: catalogueChange.id, note: "x", actor: w.actor) }
        #expect(wrongList == .rule(field: "id", message: "Adjustment \(catalogueChange.id) does not change an implementation list; offline guides follow implementation-list changes (seed 002 §16)."))
        let pending = try await r.submit(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["hours": "半天"]]), actor: w.actor)
        let early = await registryError { try await r.recordGuideUpdate(id: pending.id, note: "x", actor: w.actor) }
        #expect(early == .illegalTransition(what: "adjustment \(pending.id)", state: "submitted (已提交)", action: "record the offline guide update of"))
        let empty = await registryError { try await r.recordGuideUpdate(id: change.id, note: "  ", actor: w.actor) }
        #expect(empty == .rule(field: "note", message: "What was updated (线下办事指南、窗口摆放) is required."))

        let updated = try await r.recordGuideUpdate(id: change.id, note: "大厅纸质指南已更新并摆放", actor: w.actor)
        #expect(updated.offlineGuide?.note == "大厅纸质指南已更新并摆放" && updated.status == .approved)
        let met = try #require(Obligations.of(updated, calendar: calendar).first { $0.rule == "offlineGuide" })
        #expect(met.status(at: clock.read()) == .metLate)
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-21")!, unit: w.department).overdue.isEmpty)
        // As the registry said on 17 October, it was late; that answer does not change afterwards.
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-17T10:00:00+08:00")!, unit: w.department).overdue.map(\.obligation.rule) == ["offlineGuide"])
        let twice = await registryError { try await r.recordGuideUpdate(id: change.id, note: "again", actor: w.actor) }
        #expect(twice == .illegalTransition(what: "adjustment \(change.id)", state: "offline guide already updated (线下指南已更新)", action: "record the offline guide update of"))
        // The procedure goes on around it.
        #expect(try await r.publish(id: change.id, channels: ["平台"], actor: w.actor).offlineGuide != nil)
    }

    @Test func aClaimsElementsAreDueTheSameDayAndAReturnReopensThemOverTheHoliday() async throws {
        let clock = HandClock("2025-09-22T10:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        clock.set("2025-09-30T09:00:00+08:00")  // the last working day before National Day
        var claim = try await r.submit(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]), actor: w.actor)
        clock.set("2025-09-30T16:00:00+08:00")
        claim = try await r.returnAdjustment(id: claim.id, reason: "办理流程图不完整", actor: w.actor)
        clock.set("2025-10-09T10:00:00+08:00")  // resubmitted after the holidays
        claim = try await r.resubmit(id: claim.id, changes: nil, basis: nil, reason: "已补全要素", evidence: nil, effectiveAt: nil, actor: w.actor)
        claim = try await r.approve(id: claim.id, actor: w.actor)

        let obligations = Obligations.of(claim, calendar: try r.calendar())
        let elements = try #require(obligations.first { $0.rule == "claimElements" })
        #expect(elements.source == "seed 002 §14" && elements.workingDays == 0)
        #expect(elements.deadline?.date == CivilDate(iso: "2025-09-30"))
        #expect(elements.status(at: clock.read()) == .metLate)
        // What the registry said at each moment: met at noon on the day (the claim was in, complete),
        // overdue once the return showed it was not, until the resubmission.
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-09-30T12:00:00+08:00")!, unit: nil).overdue.isEmpty)
        let during = try r.overdue(asOf: Timestamp(rfc3339: "2025-10-08T12:00:00+08:00")!, unit: nil)
        #expect(during.overdue.map(\.obligation.rule) == ["claimElements"])
        #expect(during.overdue.first?.workingDaysLate == 1)  // the act would count on Thu 9 October, the first working day after
        #expect(try r.overdue(asOf: Timestamp(rfc3339: "2025-10-09T12:00:00+08:00")!, unit: nil).overdue.isEmpty)
        // A claim approved the day it is submitted meets it; other kinds have no such obligation.
        try await w.addItem("000104003000", "药品经营许可")
        let sameDay = try await w.approved(w.proposal(.implementation, "claim", target: "000104003000", changes: ["fields": implementationFields()]))
        #expect(Obligations.of(sameDay, calendar: try r.calendar()).first { $0.rule == "claimElements" }?.status(at: clock.read()) == .met)
        #expect(Obligations.of(sameDay, calendar: try r.calendar()).contains { $0.rule == "offlineGuide" })
        let entry = try #require(try r.entries(unit: w.department).first)
        let change = try await w.approved(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["hours": "全天"]]))
        #expect(!Obligations.of(change, calendar: try r.calendar()).contains { $0.rule == "claimElements" })
        // The ledger as of a date shows them with the calendar known then.
        let ledger = try #require(try r.ledger(unit: w.department, asOf: Timestamp(rfc3339: "2025-10-08T12:00:00+08:00")!))
        #expect(ledger.adjustments.map(\.id).contains(claim.id) && !ledger.adjustments.map(\.id).contains(change.id))
    }
}
