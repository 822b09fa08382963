import Foundation
import Testing
import EventLog
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

@Suite struct ReplayTests {
    @Test func theRegistryAsItStoodIsUnchangedByLaterAdjustments() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        let t1 = Timestamp(rfc3339: "2026-03-02T12:00:00+08:00")!
        let atT1 = try r.snapshot(asOf: t1)
        let entryCode = w.department + "4000104002000"

        clock.set("2026-03-05T09:00:00+08:00")
        try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "调整后"]]))
        try await w.approved(w.proposal(.implementation, "change", target: entryCode, changes: ["fields": ["hours": "全天"]]))
        try await w.addItem("000104003000", "药品经营许可")
        let a = try await r.submit(w.proposal(.catalogue, "cancel", target: "000104002000", changes: ["legalityReview": "审〔2026〕2号"]), actor: w.actor)

        // Now: changed; as of T1: exactly as it was.
        #expect(try r.item("000104002000")?.elements["content"] == "调整后")
        let itemThen = try #require(try r.item("000104002000", asOf: t1))
        #expect(itemThen.elements["content"] == "依申请办理")
        #expect(itemThen == atT1.items.first { $0.code == "000104002000" })
        #expect(try r.entry(entryCode, asOf: t1)?.fields["hours"] == "工作日9:00-17:00")
        #expect(try r.item("000104003000", asOf: t1) == nil)
        #expect(try r.adjustment(a.id, asOf: t1) == nil)
        let again = try r.snapshot(asOf: t1)
        #expect(again.items == atT1.items && again.entries == atT1.entries && again.adjustments == atT1.adjustments)
        #expect(atT1.items.count == 1 && atT1.units.count == 3)
        // The ledger as it stood at T1 holds the two approved adjustments of that day, nothing later.
        #expect(atT1.ledger(unit: w.department)?.adjustments.count == 2)
        // Before the first event there is nothing.
        let before = try r.snapshot(asOf: Timestamp(rfc3339: "2026-03-01")!)
        #expect(before.seq == 0 && before.units.isEmpty)
        // Now equals the live projections.
        let now = try r.snapshot(asOf: Timestamp(rfc3339: "2026-12-31")!)
        #expect(now.items == (try r.items(cursor: nil, limit: 100).records))
    }
}

@Suite struct ValidTimeTests {
    @Test func validTimeAndTransactionTimeDisagreeOnPurpose() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        // Decided on 5 March, in force only from 1 July.
        clock.set("2026-03-05T09:00:00+08:00")
        var change = w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "7月1日起调整"]])
        change.effectiveAt = Timestamp(rfc3339: "2026-07-01")
        try await w.approved(change)

        // Transaction time: the registry has recorded the change since 5 March.
        #expect(try r.item("000104002000")?.elements["content"] == "7月1日起调整")
        #expect(try r.item("000104002000", asOf: Timestamp(rfc3339: "2026-03-06")!)?.elements["content"] == "7月1日起调整")
        // Valid time, as known now: not yet in force in April, in force in August.
        #expect(try r.item("000104002000", inForceOn: Timestamp(rfc3339: "2026-04-01")!, asOf: nil)?.elements["content"] == "依申请办理")
        #expect(try r.item("000104002000", inForceOn: Timestamp(rfc3339: "2026-08-01")!, asOf: nil)?.elements["content"] == "7月1日起调整")
        // Both axes: in force in August as known on 3 March, before the change was decided.
        #expect(try r.item("000104002000", inForceOn: Timestamp(rfc3339: "2026-08-01")!, asOf: Timestamp(rfc3339: "2026-03-03")!)?.elements["content"] == "依申请办理")
        // Before it was added the item is in force nowhere.
        #expect(try r.item("000104002000", inForceOn: Timestamp(rfc3339: "2026-01-01")!, asOf: nil) == nil)
    }
}

@Suite struct HistoryAndDiffTests {
    @Test func theDiffBetweenTwoDatesIsTheAdjustmentsApprovedBetweenThem() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        clock.set("2026-04-01T09:00:00+08:00")
        let april = try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "四月"]]))
        try await w.addItem("000104003000", "药品经营许可")
        let pending = try await r.submit(w.proposal(.catalogue, "change", target: "000104003000", changes: ["elements": ["content": "未审"]]), actor: w.actor)
        clock.set("2026-05-01T09:00:00+08:00")
        try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "五月"]]))

        let between = try r.changes(from: Timestamp(rfc3339: "2026-03-15")!, to: Timestamp(rfc3339: "2026-04-15")!, unit: nil)
        #expect(between.map(\.id).contains(april.id))
        #expect(between.count == 2)  // the April change and the April addition; not the pending one, not May's
        #expect(!between.map(\.id).contains(pending.id))
        #expect(try r.changes(from: Timestamp(rfc3339: "2026-03-15")!, to: Timestamp(rfc3339: "2026-04-15")!, unit: w.otherDepartment).isEmpty)

        let history = try r.history(of: "000104002000")
        #expect(history.map(\.event.type) == ["catalogue.itemAdded.v1", "catalogue.itemChanged.v1", "catalogue.itemChanged.v1"])
        #expect(history.map { $0.item?.elements["content"] } == ["依申请办理", "四月", "五月"])
        #expect(history.map { $0.item?.version } == [0, 1, 2])
    }
}
