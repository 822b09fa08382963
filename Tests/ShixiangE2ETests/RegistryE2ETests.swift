import Foundation
import Testing
import ShixiangClient
import ShixiangCodes
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

func unitCode(_ n: Int) -> String { RegistryFixtures.creditCode(n) }

let elements = RegistryFixtures.catalogueElements()

let fields: JSONValue = [
    "content": "受理、审查、决定", "implementingBody": "区市场监管局", "bodyNature": "1",
    "statutoryTimeLimit": "20个工作日", "acceptanceConditions": "申请人具备法定条件", "materials": [["name": "申请书"]],
    "jointBodies": "无", "procedure": ["steps": [["name": "受理"], ["name": "决定"]]], "quantityLimit": "无",
    "resultName": "许可证", "resultSample": "样本见附件", "serviceObject": ["2"], "caseType": "2",
    "promisedTimeLimit": "10个工作日", "handlingForm": ["1", "2"], "supportsAppointment": true,
    "supportsOnlinePayment": false, "supportsDelivery": true, "operatingSystemLevel": "3", "place": "区政务服务中心",
    "hours": "工作日9:00-17:00", "enquiryPhone": "0826-2345678", "faq": [["question": "几天？", "answer": "10个工作日"]],
    "complaintPhone": "12345", "chargesFee": false,
]

func submission(_ unit: String, _ list: String, _ kind: String, _ target: String, _ changes: JSONValue) -> JSONValue {
    ["unit": .string(unit), "list": .string(list), "kind": .string(kind), "target": .string(target), "changes": changes,
     "basis": "《国务院关于取消和下放一批行政许可事项的决定》", "reason": "依法调整",
     "evidence": [["name": "决定.pdf", "sha256": .string(String(repeating: "ab", count: 32)), "size": 2048]]]
}

@Suite struct RegistryE2ETests {
    @Test func theFullProcedureThroughTheClient() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1), other = unitCode(2)
        try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            _ = try await c.call("unit.register", ["code": .string(other), "name": "区教育局", "kind": "区级职能部门", "level": "县级"])
            var a = try await c.call("adjustment.submit", submission(dept, "catalogue", "add", "000104002000", ["elements": elements]))
            let id = try #require(a["id"]?.stringValue)
            #expect(a["status"] == "submitted" && a["labels"]?["status"] == "已提交")
            a = try await c.call("adjustment.return", ["id": .string(id), "reason": "请补充文号"])
            #expect(a["status"] == "returned")
            a = try await c.call("adjustment.resubmit", ["id": .string(id), "basis": "国发〔2025〕1号"])
            a = try await c.call("adjustment.approve", ["id": .string(id)])
            #expect(a["status"] == "approved")
            #expect(try await c.call("catalogue.get", ["code": "000104002000"])["elements"]?["name"] == "食品经营许可")
            _ = try await c.call("adjustment.publish", ["id": .string(id), "channels": ["政务服务平台"]])
            let filing = try await c.call("filing.submit", ["unit": .string(dept), "adjustments": [.string(id)], "form": ["remarks": "无"]])
            _ = try await c.call("filing.forward", ["id": filing["id"] ?? .null])
            a = try await c.call("adjustment.archive", ["id": .string(id)])
            #expect(a["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ==
                    ["submitted", "returned", "resubmitted", "approved", "published", "filed", "forwarded", "archived"])

            // Each unit claims the item; each ledger holds only its own unit's entries and adjustments.
            for unit in [dept, other] {
                let claim = try await c.call("adjustment.submit", submission(unit, "implementation", "claim", "000104002000", ["fields": fields]))
                _ = try await c.call("adjustment.approve", ["id": claim["id"] ?? .null])
            }
            let mine = try await c.call("ledger.get", ["unit": .string(dept)])
            let theirs = try await c.call("ledger.get", ["unit": .string(other)])
            #expect(mine["entries"]?.arrayValue?.compactMap { $0["unit"]?.stringValue } == [dept])
            #expect(theirs["entries"]?.arrayValue?.compactMap { $0["unit"]?.stringValue } == [other])
            #expect(mine["adjustments"]?.arrayValue?.count == 2 && theirs["adjustments"]?.arrayValue?.count == 1)
            #expect(try await c.call("implementation.list", ["code": "000104002000"]).arrayValue?.count == 2)
            #expect(try await c.call("catalogue.history", ["code": "000104002000"]).arrayValue?.map { $0["type"] } == ["catalogue.itemAdded.v1"])
            let listed = try await c.call("catalogue.list", ["filter": ["text": "食品"], "limit": 10])
            #expect(listed["items"]?.arrayValue?.count == 1)
            #expect(try await c.call("audit.verify")["ok"] == true)
        }
    }

    @Test func ruleViolationsNameTheirFieldOverTheSocket() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            var bad = elements
            bad["content"] = "由有关部门办理"
            let cases: [(JSONValue, Int, String?)] = [
                (submission(dept, "implementation", "claim", "000104002000", ["fields": fields]), RPCErrorCode.ruleViolation, "target"),
                (submission(dept, "catalogue", "add", "000104002000", ["elements": bad]), RPCErrorCode.ruleViolation, "changes.elements.content"),
                (submission(dept, "catalogue", "add", "0001", ["elements": elements]), RPCErrorCode.ruleViolation, "target"),
                (submission(dept, "catalogue", "merge", "000104002000", ["sources": ["000104003000"]]), RPCErrorCode.ruleViolation, "changes.sources"),
                (submission(dept, "catalogue", "fold", "000104002000", [:]), RPCErrorCode.ruleViolation, "kind"),
                (submission(unitCode(5), "catalogue", "add", "000104002000", ["elements": elements]), RPCErrorCode.notFound, nil),
            ]
            for (params, code, field) in cases {
                let e = await rpcError { try await c.call("adjustment.submit", params) }
                #expect(e?.code == code, "\(params.compactString.prefix(120)) → \(String(describing: e))")
                if let field { #expect(e?.data?["field"] == .string(field), "\(String(describing: e))") }
            }
            let wrongState = await rpcError { try await c.call("adjustment.publish", ["id": "adj-1", "channels": ["x"]]) }
            #expect(wrongState?.code == RPCErrorCode.notFound)
            let raw = await rpcError { try await c.call("events.append", appendParams(stream: "item/000104002000")) }
            #expect(raw?.code == RPCErrorCode.ruleViolation && raw?.data?["field"] == "stream")
            let unknownField = await rpcError { try await c.call("unit.get", ["code": .string(dept), "cod": 1]) }
            #expect(unknownField?.code == RPCErrorCode.invalidParams)
        }
    }
}

@Suite struct RebuildE2ETests {
    @Test func rebuildThroughTheSocketAndTheCLI() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            for n in 2...6 {
                let code = "00010400\(n)000"
                var e = elements
                e["name"] = .string("事项\(n)")
                let a = try await c.call("adjustment.submit", submission(dept, "catalogue", "add", code, ["elements": e]))
                _ = try await c.call("adjustment.approve", ["id": a["id"] ?? .null])
            }
            #expect(try await c.call("admin.checkProjections")["ok"] == true)
            var notes: [JSONValue] = []
            let r = try await c.call("admin.rebuild") { notes.append($0.params) }
            #expect(r["events"] == 16)  // 1 registration + 5 × (submitted, approved, itemAdded)
            #expect(notes.last?["done"] == notes.last?["total"])
            #expect(try await c.call("catalogue.list", ["limit": 100])["items"]?.arrayValue?.count == 5)
        }
        let shixiang = try BuiltProducts.executable("shixiang")
        let rebuild = try await CommandRun.run(shixiang, ["rebuild", "--socket", daemon.socketPath])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.stdout.contains("Rebuilt the projections from 16 events"))
        let check = try await CommandRun.run(shixiang, ["rebuild", "--check", "--socket", daemon.socketPath])
        #expect(check.status == 0 && check.stdout.contains("OK: the projections equal a replay"))
    }
}
