import Testing
import EventLog
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

@Suite struct RuleTests {
    /// The field a rejected submission names.
    func field(_ w: World, _ p: AdjustmentProposal) async -> String? {
        switch await registryError({ try await w.registry.submit(p, actor: w.actor) }) {
        case .rule(let field, _)?: return field
        case .alreadyExists?: return "<exists>"
        case .notFound?: return "<missing>"
        default: return nil
        }
    }

    @Test func implementationEntriesMustReferenceAnInUseCatalogueItem() async throws {
        let w = try await World()
        #expect(await field(w, w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()])) == "target")
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["status": "suspended"]))
        #expect(await field(w, w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()])) == "target")
    }

    @Test func onlyReinstatementTouchesACancelledItem() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.catalogue, "cancel", target: "000104002000", changes: ["legalityReview": "区司法审〔2026〕3号"]))
        #expect(try w.registry.item("000104002000")?.status == .cancelled)
        for (kind, changes) in [("change", ["elements": ["content": "新内容"]] as JSONValue), ("delegate", ["exerciseLevel": "5"]),
                                ("cancel", ["legalityReview": "x"])] {
            let rejected = await registryError { try await w.registry.submit(w.proposal(.catalogue, kind, target: "000104002000", changes: changes), actor: w.actor) }
            #expect(rejected?.description.contains("cancelled (已取消): only a reinstatement") == true, "\(kind)")
        }
        try await w.approved(w.proposal(.catalogue, "reinstate", target: "000104002000", changes: [:]))
        #expect(try w.registry.item("000104002000")?.status == .inUse)
    }

    @Test func promisedTimeMustNotExceedStatutory() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        let f = await field(w, w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields(promised: 30, statutory: 20)]))
        #expect(f == "changes.fields.promisedTimeLimit")
    }

    @Test func vagueWordingIsRefusedWhereverItStands() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        var fields = implementationFields()
        fields["materials"] = [["name": "申请书"], ["name": "其他材料"]]
        #expect(await field(w, w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": fields])) == "changes.fields.materials[1].name")
        var elements = catalogueElements("许可")
        elements["content"] = "由有关部门办理"
        #expect(await field(w, w.proposal(.catalogue, "add", target: "000104003000", changes: ["elements": elements])) == "changes.elements.content")
    }

    @Test func requiredElementsAndWellFormedUniqueCodes() async throws {
        let w = try await World()
        var elements = catalogueElements("许可")
        elements["legalBasis"] = nil
        #expect(await field(w, w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": elements])) == "changes.elements.legalBasis")
        #expect(await field(w, w.proposal(.catalogue, "add", target: "00010400200", changes: ["elements": catalogueElements("许可")])) == "target")
        try await w.addItem("000104002000", "食品经营许可")
        #expect(await field(w, w.proposal(.catalogue, "add", target: "000104002000", changes: ["elements": catalogueElements("另一个")])) == "<exists>")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        #expect(await field(w, w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()])) == "<exists>")
        // Basis, reason and evidence digests are required and checked too.
        var p = w.proposal(.catalogue, "add", target: "000104009000", changes: ["elements": catalogueElements("许可")])
        p.basis = " "
        #expect(await field(w, p) == "basis")
        p.basis = "依据"
        p.evidence = [Evidence(name: "x.pdf", sha256: "ABC", size: 1)]
        #expect(await field(w, p) == "evidence[0].sha256")
    }

    @Test func mergeNeedsTwoSourcesAndSplitTwoResults() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "许可甲")
        try await w.addItem("000104003000", "许可乙")
        #expect(await field(w, w.proposal(.catalogue, "merge", target: "000104004000", changes: ["sources": ["000104002000"], "elements": catalogueElements("合并")])) == "changes.sources")
        try await w.approved(w.proposal(.catalogue, "merge", target: "000104004000", changes: ["sources": ["000104002000", "000104003000"], "elements": catalogueElements("合并后许可")]))
        #expect(try w.registry.item("000104002000")?.mergedInto == "000104004000")
        #expect(try w.registry.item("000104003000")?.status == .cancelled)
        #expect(try w.registry.item("000104004000")?.name == "合并后许可")

        try await w.approved(w.proposal(.implementation, "claim", target: "000104004000", changes: ["fields": implementationFields()]))
        let entry = try #require(try w.registry.entries(unit: w.department).first)
        #expect(await field(w, w.proposal(.implementation, "split", target: entry.code, changes: ["into": [["fields": ["content": "甲"]]]])) == "changes.into")
        try await w.approved(w.proposal(.implementation, "split", target: entry.code, changes: ["into": [["fields": ["content": "首次申请"]], ["fields": ["content": "延续"]]]]))
        let after = try w.registry.entries(unit: w.department)
        #expect(after.count == 3)
        #expect(after.first { $0.code == entry.code }?.status == .superseded)
        #expect(after.filter { $0.code.hasPrefix(entry.code) && $0.code.count == entry.code.count + 2 }.map(\.fields["content"]) == ["首次申请", "延续"])
    }

    @Test func cancellationCarriesItsLegalityReview() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        #expect(await field(w, w.proposal(.catalogue, "cancel", target: "000104002000", changes: [:])) == "changes.legalityReview")
    }

    @Test func changingTheExerciseLevelGivesANewCode() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        let old = try #require(try w.registry.entries(unit: w.department).first)
        try await w.approved(w.proposal(.implementation, "changeLevel", target: old.code, changes: ["level": "5"]))
        let entries = try w.registry.entries(unit: w.department)
        let new = try #require(entries.first { $0.code == w.department + "5000104002000" })
        #expect(new.level == .township && new.fields["exerciseLevel"] == "5")
        #expect(entries.first { $0.code == old.code }?.supersededBy == new.code)
    }

    @Test func unitsAreValidatedAndZeroReportsRecorded() async throws {
        let w = try await World()
        let bad = await registryError { try await w.registry.registerUnit(code: "12345", name: "x", kind: "township", level: "5", guidingUnit: nil, actor: w.actor) }
        if case .rule(let field, _)? = bad { #expect(field == "code") } else { Issue.record("accepted a short code") }
        let again = await registryError { try await w.registry.registerUnit(code: w.department, name: "x", kind: "districtDepartment", level: "4", guidingUnit: nil, actor: w.actor) }
        #expect(again == .alreadyExists(what: "unit", key: w.department))
        // A registered code failing the GB 32100 check digit is accepted and flagged.
        let good = creditCode(9)
        let flawed = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
        let unit = try await w.registry.registerUnit(code: flawed, name: "某单位", kind: "other", level: "4", guidingUnit: nil, actor: w.actor)
        #expect(!unit.checkDigitValid)
        let zero = try await w.registry.zeroReport(unit: w.otherDepartment, category: "publicService", note: "本单位无公共服务事项", actor: w.actor)
        #expect(zero.zeroReports.map(\.category) == ["publicService"])
        #expect(try w.registry.ledger(unit: w.otherDepartment)?.unit.zeroReports.count == 1)
    }
}

@Suite struct ChangeMemberTests {
    @Test func labelsBecomeCodesAndUnknownMembersAreRefused() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        let delegated = try await w.approved(w.proposal(.catalogue, "delegate", target: " 000104002000 ", changes: ["exerciseLevel": "乡级", "powerSource": "上级委托"]))
        #expect(delegated.changes["exerciseLevel"] == "5" && delegated.changes["powerSource"] == "5")
        let item = try #require(try w.registry.item("000104002000"))
        #expect(item.exerciseLevel == .township && item.powerSource == .entrustedByUpperLevel)
        let unknown = await registryError {
            try await w.registry.submit(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "x"], "comment": "备注"]), actor: w.actor)
        }
        #expect(unknown == .rule(field: "changes.comment", message: "A catalogue change does not use \"comment\"; it takes elements, status."))
    }

    @Test func aBusinessItemCannotBeSplitAgainAndLevelChangesMustLeaveACompleteEntry() async throws {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        let entry = try #require(try w.registry.entries(unit: w.department).first)
        let graded = await registryError { try await w.registry.submit(w.proposal(.implementation, "changeLevel", target: entry.code, changes: ["level": "7"]), actor: w.actor) }
        if case .rule(let field, _)? = graded { #expect(field == "changes.fields.authorityDivision") } else { Issue.record("\(String(describing: graded))") }
        try await w.approved(w.proposal(.implementation, "changeLevel", target: entry.code, changes: ["level": "7", "fields": ["authorityDivision": "区级受理，乡镇初审"]]))
        let moved = try #require(try w.registry.entries(unit: w.department).first { $0.status == .inUse })
        try await w.approved(w.proposal(.implementation, "split", target: moved.code, changes: ["into": [["fields": ["content": "甲"]], ["fields": ["content": "乙"]]]]))
        let part = try #require(try w.registry.entries(unit: w.department).first { $0.code.count == 33 })
        let again = await registryError { try await w.registry.submit(w.proposal(.implementation, "split", target: part.code, changes: ["into": [["fields": ["content": "a"]], ["fields": ["content": "b"]]]]), actor: w.actor) }
        #expect(again?.description.contains("cannot be split further") == true)
    }
}
