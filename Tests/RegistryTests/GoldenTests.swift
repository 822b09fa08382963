import Foundation
import Testing
import EventLog
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

/// Golden fixtures: one stored `data` of each registry event type, in `Fixtures/golden/<type>.json`.
/// Each must decode into its payload and encode back to the same canonical bytes, so a change of
/// payload shape (which would break reading old history) cannot slip in unnoticed.
/// `SHIXIANG_RECORD_GOLDEN=1 swift test --filter GoldenTests` rewrites them from a fresh workflow.
@Suite struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    static var payloads: [String: any Codable.Type] { [
        EventType.unitRegistered: UnitRegistered.self, EventType.unitRenamed: UnitRenamed.self,
        EventType.unitDissolved: UnitDissolved.self, EventType.unitZeroReported: UnitZeroReported.self,
        EventType.adjustmentSubmitted: AdjustmentSubmitted.self, EventType.adjustmentReturned: AdjustmentReturned.self,
        EventType.adjustmentResubmitted: AdjustmentResubmitted.self, EventType.adjustmentPublished: AdjustmentPublished.self,
        EventType.adjustmentFiled: AdjustmentFiled.self, EventType.adjustmentForwarded: AdjustmentForwarded.self,
        EventType.filingSubmitted: FilingSubmitted.self, EventType.filingForwarded: FilingForwarded.self,
        EventType.itemAdded: ItemAdded.self, EventType.itemRecorded: ItemRecorded.self, EventType.itemChanged: ItemChanged.self,
        EventType.itemDelegated: ItemDelegated.self, EventType.itemTakenOver: ItemAdded.self, EventType.itemCancelled: ItemCancelled.self,
        EventType.itemReinstated: ItemReinstated.self, EventType.entryAdded: EntryAdded.self, EventType.entryRecorded: EntryRecorded.self,
        EventType.entryChanged: EntryChanged.self, EventType.entryCancelled: EntryCancelled.self,
        EventType.entrySplit: EntrySuperseded.self, EventType.entryLevelChanged: EntrySuperseded.self,
        EventType.calendarPublished: CalendarPublished.self, EventType.noticeIssued: NoticeIssued.self,
        EventType.noticeRectified: NoticeRectified.self, EventType.adjustmentGuideUpdated: AdjustmentGuideUpdated.self,
    ] }

    /// A workflow that produces every event type.
    static func everyEventType() async throws -> [String: JSONValue] {
        let w = try await worldWithEveryEventType()
        var firstOfType: [String: JSONValue] = [:]
        for e in try w.store.page(limit: 1000).events where firstOfType[e.type] == nil { firstOfType[e.type] = e.data }
        return firstOfType
    }

    /// A registry whose log holds every event type the workflows produce.
    static func worldWithEveryEventType() async throws -> World {
        let w = try await World()
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        try await w.addItem("000104003000", "药品经营许可")
        try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "新内容"]]))
        try await w.approved(w.proposal(.catalogue, "delegate", target: "000104003000", changes: ["exerciseLevel": "5"]))
        try await w.approved(w.proposal(.catalogue, "takeOver", target: "000104004000", changes: ["elements": catalogueElements("承接事项")]))
        try await w.approved(w.proposal(.catalogue, "cancel", target: "000104004000", changes: ["legalityReview": "司法审〔2026〕1号"]))
        try await w.approved(w.proposal(.catalogue, "reinstate", target: "000104004000", changes: [:]))
        var a = try await w.registry.submit(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]), actor: w.actor)
        a = try await r.returnAdjustment(id: a.id, reason: "补充材料", actor: w.actor)
        a = try await r.resubmit(id: a.id, changes: nil, basis: nil, reason: "已补充", evidence: nil, effectiveAt: nil, actor: w.actor)
        a = try await r.approve(id: a.id, actor: w.actor)
        a = try await r.publish(id: a.id, channels: ["政务服务平台"], actor: w.actor)
        let filing = try await r.file(unit: w.department, adjustments: [a.id], form: ["remarks": "无"], actor: w.actor)
        _ = try await r.forwardFiling(id: filing.id, to: [], actor: w.actor)
        _ = try await r.archive(id: a.id, actor: w.actor)
        let entry = try #require(try r.entries(unit: w.department).first)
        let change = try await w.approved(w.proposal(.implementation, "change", target: entry.code, changes: ["fields": ["hours": "全天"]]))
        _ = try await r.recordGuideUpdate(id: change.id, note: "大厅纸质指南已更新并摆放", actor: w.actor)
        try await w.approved(w.proposal(.implementation, "claim", target: "000104004000", changes: ["fields": implementationFields()]))
        let second = try #require(try r.entries(unit: w.department).first { $0.basicCode == "000104004000" })
        try await w.approved(w.proposal(.implementation, "changeLevel", target: second.code, changes: ["level": "5"]))
        try await w.approved(w.proposal(.implementation, "split", target: entry.code, changes: ["into": [["fields": ["content": "甲"]], ["fields": ["content": "乙"]]]]))
        let third = try #require(try r.entries(unit: w.department).first { $0.basicCode == "000104004000" && $0.status == .inUse })
        try await w.approved(w.proposal(.implementation, "cancel", target: third.code, changes: [:]))
        _ = try await r.renameUnit(code: w.otherDepartment, name: "区教育和体育局", actor: w.actor)
        _ = try await r.zeroReport(unit: w.otherDepartment, category: "publicService", note: "无", actor: w.actor)
        _ = try await r.dissolveUnit(code: w.otherDepartment, reason: "机构改革", actor: w.actor)
        var rows = try RealDataTests.district().catalogue.prefix(1).map { $0 }
        rows[0].basicCode = "512099998000"
        _ = try await r.importCatalogue(csv: ShixiangElementsCSV.catalogue(rows), fileName: "one.csv", actor: w.actor)
        var fields = implementationFields()
        for key in ["name", "itemType", "legalBasis"] { fields[key] = rows[0].elements[key] }
        fields["exerciseLevel"] = "4"
        _ = try await r.importImplementation(csv: ShixiangElementsCSV.implementation(unit: w.department, basic: "512099998000", fields: fields),
                                             fileName: "one-entry.csv", actor: w.actor)
        let notice = try await r.issueNotice(unit: w.department, subject: "adj-1", reason: "逾期未备案", workingDays: 5, actor: w.actor)
        _ = try await r.rectify(id: notice.id, note: "已补报", actor: w.actor)
        _ = try await r.publishCalendar(try YearNotice(year: 2027, holidays: [DatedName(date: CivilDate(year: 2027, month: 1, day: 1), name: "元旦")],
                                                       makeupWorkdays: [], source: nil, title: nil), actor: w.actor)
        return w
    }

    @Test func everyEventTypeHasAGoldenFixtureThatRoundTrips() async throws {
        if ProcessInfo.processInfo.environment["SHIXIANG_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            for (type, data) in try await Self.everyEventType() where Self.payloads[type] != nil {
                try Data((data.prettyString() + "\n").utf8).write(to: Self.directory.appendingPathComponent("\(type).json"))
            }
        }
        for (type, payload) in Self.payloads {
            let url = Self.directory.appendingPathComponent("\(type).json")
            let bytes = try #require(FileManager.default.contents(atPath: url.path), "no golden fixture for \(type)")
            let stored = try JSONValue.parse(Array(bytes))
            let decoded = try JSONValueDecoder().decode(payload, from: stored)
            let again = try JSONValueEncoder().encode(decoded)
            #expect(again.canonicalBytes() == stored.canonicalBytes(), "\(type)")
        }
        // And a workflow today still produces exactly these shapes.
        let produced = try await Self.everyEventType()
        for type in Self.payloads.keys {
            let golden = try JSONValue.parse(Array(try #require(FileManager.default.contents(atPath: Self.directory.appendingPathComponent("\(type).json").path))))
            let now = try #require(produced[type], "the workflow no longer produces \(type)")
            #expect(Set(now.objectValue?.keys.map { $0 } ?? []) == Set(golden.objectValue?.keys.map { $0 } ?? []), "\(type) changed shape")
        }
    }

    @Test func anOlderEventVersionIsReadThroughTheUpcaster() async throws {
        let w = try await World()
        let code = creditCode(77)
        // An event of the draft shape, as an older build would have stored it.
        _ = try await w.store.append(stream: StreamName.unit(code), expected: .noStream, events: [
            NewEvent(type: "unit.registered.v0", data: ["code": .string(code), "name": "老单位", "type": "township", "level": "乡级", "guidingUnit": .string(w.department)]),
        ])
        _ = try await w.registry.rebuild()
        let unit = try #require(try w.registry.unit(code))
        #expect(unit.kind == .township && unit.level == .township && unit.checkDigitValid && unit.guidingUnit == w.department)
        // The stored bytes are untouched: the chain still verifies and the event keeps its old type.
        #expect(try w.store.verify().ok)
        #expect(try w.store.events(stream: StreamName.unit(code)).first?.type == "unit.registered.v0")
        // And commands work on the upcast state.
        _ = try await w.registry.renameUnit(code: code, name: "新单位", actor: w.actor)
        #expect(try w.registry.unit(code)?.name == "新单位")
    }
}

import ShixiangElements
import ShixiangCalendar
/// Spreadsheets for the fixtures.
enum ShixiangElementsCSV {
    static func catalogue(_ rows: [CatalogueCSVRow]) -> Data { CatalogueCSV.write(rows) }
    static func implementation(unit: String, basic: String, fields: JSONValue) -> Data {
        ImplementationCSV.write([ImplementationCSVRow(unitCode: unit, basicCode: basic, fields: fields)])
    }
}
