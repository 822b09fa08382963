import Testing
import EventLog
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

@Suite struct WorkflowTests {
    @Test func theWholeProcedureFromSubmissionToArchive() async throws {
        let w = try await World()
        let r = w.registry
        // Submit → return (with reason) → resubmit → approve → publish → file → forward → archive.
        var a = try await r.submit(w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": catalogueElements("食品经营许可")]), actor: w.actor)
        #expect(a.status == .submitted)
        #expect(a.filingRequired && a.filer == w.department)
        #expect(try r.item("000104002000") == nil)  // nothing reaches the catalogue before approval
        a = try await r.returnAdjustment(id: a.id, reason: "缺少法律依据文号", actor: w.actor)
        #expect(a.status == .returned && a.returnReason == "缺少法律依据文号")
        a = try await r.resubmit(id: a.id, changes: nil, basis: "《国务院决定》国发〔2025〕1号", reason: nil, evidence: nil, effectiveAt: nil, actor: w.actor)
        #expect(a.status == .resubmitted && a.basis.contains("国发"))
        a = try await r.approve(id: a.id, actor: w.actor)
        #expect(a.status == .approved)
        let item = try #require(try r.item("000104002000"))
        #expect(item.name == "食品经营许可" && item.status == .inUse && item.lastAdjustment == a.id)
        a = try await r.publish(id: a.id, channels: ["政务服务平台", "区政府网站"], actor: w.actor)
        let filing = try await r.file(unit: w.department, adjustments: [a.id], form: ["remarks": "无"], actor: w.actor)
        #expect(try r.adjustment(a.id)?.status == .filed)
        _ = try await r.forwardFiling(id: filing.id, to: [], actor: w.actor)
        #expect(try r.filing(filing.id)?.forwardedTo == ["justiceBureau", "serviceCentre"])
        a = try await r.archive(id: a.id, actor: w.actor)
        #expect(a.status == .archived)
        #expect(a.history.map(\.status) == [.submitted, .returned, .resubmitted, .approved, .published, .filed, .forwarded, .archived])
        #expect(a.history.first { $0.status == .returned }?.reason == "缺少法律依据文号")
        #expect(try w.store.verify().ok)
    }

    @Test func illegalTransitionsNameTheCurrentState() async throws {
        let w = try await World()
        let a = try await w.registry.submit(w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": catalogueElements("许可")]), actor: w.actor)
        let publish = await registryError { try await w.registry.publish(id: a.id, channels: ["网站"], actor: w.actor) }
        #expect(publish == .illegalTransition(what: "adjustment \(a.id)", state: "submitted (已提交)", action: "publish"))
        let resubmit = await registryError { try await w.registry.resubmit(id: a.id, changes: nil, basis: nil, reason: nil, evidence: nil, effectiveAt: nil, actor: w.actor) }
        #expect(resubmit?.description.contains("it is submitted") == true)
        let returned = await registryError { try await w.registry.returnAdjustment(id: a.id, reason: "  ", actor: w.actor) }
        #expect(returned == .rule(field: "reason", message: "A return (退回) must state its reason."))
        let archive = await registryError { try await w.registry.archive(id: a.id, actor: w.actor) }
        #expect(archive?.description.contains("filed and forwarded first") == true)
        let missing = await registryError { try await w.registry.approve(id: "adj-999", actor: w.actor) }
        #expect(missing == .notFound(what: "adjustment", key: "adj-999"))
    }

    @Test func claimingAndChangingAnEntry() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        let claim = try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        let entries = try w.registry.entries(unit: w.department)
        let entry = try #require(entries.first)
        #expect(entry.code == w.department + "4" + "000104002000")
        #expect(entry.name == "食品经营许可")  // taken from the catalogue
        #expect(claim.filingRequired)
        // A change of an element other than name or legal basis needs no filing: archived after publication.
        var change = try await w.approved(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["hours": "工作日8:30-17:30"]]))
        #expect(!change.filingRequired)
        change = try await w.registry.publish(id: change.id, channels: ["政务服务平台"], actor: w.actor)
        change = try await w.registry.archive(id: change.id, actor: w.actor)
        #expect(change.status == .archived)
        #expect(try w.registry.entry(entry.code)?.fields["hours"] == "工作日8:30-17:30")
        // A change of the name does need filing.
        let rename = try await w.registry.submit(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["content": "受理、审查"]]), actor: w.actor)
        #expect(!rename.filingRequired)
    }

    @Test func townshipAdjustmentsAreFiledByTheGuidingDepartment() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        var a = try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()], unit: w.township))
        #expect(a.filer == w.department)
        a = try await w.registry.publish(id: a.id, channels: ["平台"], actor: w.actor)
        let wrong = await registryError { try await w.registry.file(unit: w.township, adjustments: [a.id], form: [:], actor: w.actor) }
        #expect(wrong?.description.contains("is filed by \(w.department)") == true)
        let filing = try await w.registry.file(unit: w.department, adjustments: [a.id], form: [:], actor: w.actor)
        #expect(filing.adjustments == [a.id])
    }

    @Test func ledgersAreSeparatePerUnit() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()], unit: w.otherDepartment))
        let mine = try #require(try w.registry.ledger(unit: w.department))
        let theirs = try #require(try w.registry.ledger(unit: w.otherDepartment))
        #expect(mine.entries.map(\.unit) == [w.department])
        #expect(theirs.entries.map(\.unit) == [w.otherDepartment])
        #expect(mine.adjustments.allSatisfy { $0.unit == w.department })
        #expect(mine.adjustments.count == 2)  // the catalogue add and the claim
        #expect(theirs.adjustments.count == 1)
        #expect(mine.items["000104002000"]?.name == "食品经营许可")
    }
}
