import Foundation
import Testing
import EventLog
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

@Suite struct MetricsTests {
    @Test func indicatorsOfAUnitNowAndAsOfADate() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")  // Monday
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")  // implementing body 区市场监管局: the department's
        try await w.addItem("000104003000", "药品经营许可")
        // One entry: online (PC), delivered, no fee: online and full-online; 10 of 20 days: compression 0.5.
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        let early = try r.metrics(unit: w.department, asOf: nil, now: clock.read())
        #expect(early.entries == 1)
        #expect(early.coverage.count == 1 && early.coverage.of == 2)
        #expect(early.online.value == 1 && early.fullOnline.value == 1 && early.instant.value == 0)
        #expect(early.compression == 0.5)
        #expect((early.completeness ?? 0) > 0.5)

        // A window-only instant entry for the second item.
        var fields = implementationFields(promised: 0, statutory: 20)
        fields["handlingForm"] = ["1"]
        fields["caseType"] = "1"
        fields["promisedTimeLimit"] = ["value": 0, "unit": "immediate"]
        clock.set("2026-03-03T09:00:00+08:00")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104003000", changes: ["fields": fields]))
        let now = try r.metrics(unit: w.department, asOf: nil, now: clock.read())
        #expect(now.coverage.value == 1 && now.online.value == 0.5 && now.instant.value == 0.5)
        // As of Monday the second entry did not exist yet.
        let then = try r.metrics(unit: w.department, asOf: Timestamp(rfc3339: "2026-03-02T18:00:00+08:00")!, now: clock.read())
        #expect(then.entries == 1 && then.coverage.count == 1)

        // Filings on time: one filed in time, one late.
        let a = try await r.publish(id: try #require(try r.adjustments(unit: w.department, status: .approved).first?.id), channels: ["平台"], actor: w.actor)
        _ = try await r.file(unit: w.department, adjustments: [a.id], form: [:], actor: w.actor)
        let b = try await r.publish(id: try #require(try r.adjustments(unit: w.department, status: .approved).first?.id), channels: ["平台"], actor: w.actor)
        clock.set("2026-03-10T09:00:00+08:00")
        _ = try await r.file(unit: w.department, adjustments: [b.id], form: [:], actor: w.actor)
        let filings = try r.metrics(unit: w.department, asOf: nil, now: clock.read()).filingsOnTime
        #expect(filings.count == 1 && filings.of == 2)
    }
}
