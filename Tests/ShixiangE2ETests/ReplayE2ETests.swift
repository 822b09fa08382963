import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct ReplayE2ETests {
    @Test func readsAsOfAMomentThroughTheSocket() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        let log = ResultLog()
        try await daemon.withClient { c in
            func call(_ method: String, _ params: JSONValue) async throws -> JSONValue { try await log.call(c, method, params) }
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            let a = try await c.call("adjustment.submit", submission(dept, "catalogue", "add", "000104002000", ["elements": elements]))
            let approved = try await c.call("adjustment.approve", ["id": a["id"] ?? .null])
            let t1 = try #require(approved["history"]?.arrayValue?.last?["at"])
            let change = try await c.call("adjustment.submit", submission(dept, "catalogue", "change", "000104002000", ["elements": ["content": "调整后"]]))
            _ = try await c.call("adjustment.approve", ["id": change["id"] ?? .null])

            #expect(try await c.call("catalogue.get", ["code": "000104002000"])["elements"]?["content"] == "调整后")
            #expect(try await call("catalogue.get", ["code": "000104002000", "asOf": t1])["elements"]?["content"] == "依申请办理")
            #expect(try await call("adjustment.get", ["id": a["id"] ?? .null, "asOf": t1])["status"] == "approved")
            let missing = await rpcError { try await c.call("adjustment.get", ["id": change["id"] ?? .null, "asOf": t1]) }
            #expect(missing?.code == RPCErrorCode.notFound)
            #expect(try await call("unit.get", ["code": .string(dept), "asOf": t1])["name"] == "区市场监管局")
            let ledger = try await call("ledger.get", ["unit": .string(dept), "asOf": t1])
            #expect(ledger["adjustments"]?.arrayValue?.count == 1)
            let listed = try await call("catalogue.list", ["asOf": t1, "limit": 10])
            #expect(listed["items"]?.arrayValue?.first?["elements"]?["content"] == "依申请办理")
            let replay = try await call("audit.replay", ["asOf": t1])
            #expect(replay["counts"]?["items"] == 1 && replay["counts"]?["adjustments"] == 1 && replay["counts"]?["units"] == 1)
            let history = try await call("audit.history", ["code": "000104002000"])
            #expect(history.arrayValue?.count == 2)
            let diff = try await call("audit.diff", ["from": "2000-01-01", "to": "2099-01-01"])
            #expect(diff["adjustments"]?.arrayValue?.count == 2)
            let csv = try await call("audit.diff", ["from": "2000-01-01", "to": "2099-01-01", "format": "csv"])
            #expect(csv["content"]?.stringValue?.contains("区市场监管局") == true)
            let empty = try await call("audit.replay", ["asOf": "2000-01-01"])
            #expect(empty["seq"] == 0 && empty["items"]?.arrayValue?.isEmpty == true)
        }
        try await expectResultsMatchSchemas(log.results)
    }

    @Test func listsFilingsAndDeadlinesAsOfAMomentAndTheWholeCatalogueReplayed() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        let log = ResultLog()
        try await daemon.withClient { c in
            func call(_ method: String, _ params: JSONValue) async throws -> JSONValue { try await log.call(c, method, params) }
            func cycle(_ list: String, _ kind: String, _ target: String, _ changes: JSONValue) async throws -> JSONValue {
                let a = try await c.call("adjustment.submit", submission(dept, list, kind, target, changes))
                return try await c.call("adjustment.approve", ["id": a["id"] ?? .null])
            }
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            for code in ["000104002000", "000104003000", "000104004000"] {
                var e = elements
                e["name"] = .string("事项" + code)
                _ = try await cycle("catalogue", "add", code, ["elements": e])
            }
            let claim = try await cycle("implementation", "claim", "000104002000", ["fields": fields])
            let t1 = try #require(claim["history"]?.arrayValue?.last?["at"])
            let entry = try #require(try await c.call("implementation.list", ["unit": .string(dept)]).arrayValue?.first?["code"])

            // After t1: a change with its offline guide, a publication, a filing and its forwarding.
            let change = try await cycle("implementation", "change", entry.stringValue ?? "", ["fields": ["hours": "全天"]])
            let guided = try await call("adjustment.updateGuide", ["id": change["id"] ?? .null, "note": "大厅纸质指南已更新并摆放"])
            #expect(guided["offlineGuide"]?["note"] == "大厅纸质指南已更新并摆放")
            let published = try await c.call("adjustment.publish", ["id": claim["id"] ?? .null, "channels": ["平台"]])
            let filing = try await c.call("filing.submit", ["unit": .string(dept), "adjustments": [published["id"] ?? .null]])
            let t2 = try #require(filing["submittedAt"])
            _ = try await c.call("filing.forward", ["id": filing["id"] ?? .null])
            _ = try await cycle("catalogue", "cancel", "000104004000", ["legalityReview": "司法审〔2026〕1号"])

            // As of t1 the entry was as claimed, the claim only approved, nothing filed.
            let entriesThen = try await call("implementation.list", ["unit": .string(dept), "asOf": t1])
            #expect(entriesThen.arrayValue?.first?["fields"]?["hours"] == "工作日9:00-17:00")
            #expect(try await call("implementation.list", ["code": "000104002000", "asOf": t1]).arrayValue?.count == 1)
            #expect(try await call("implementation.list", ["unit": .string(dept)]).arrayValue?.first?["fields"]?["hours"] == "全天")
            let adjustmentsThen = try await call("adjustment.list", ["unit": .string(dept), "asOf": t1])
            #expect(adjustmentsThen.arrayValue?.count == 4 && adjustmentsThen.arrayValue?.last?["status"] == "approved")
            #expect(try await call("adjustment.list", ["status": "approved", "asOf": t1]).arrayValue?.count == 4)
            #expect(try await call("filing.list", ["asOf": t1]).arrayValue?.isEmpty == true)
            let missing = await rpcError { try await c.call("filing.get", ["id": filing["id"] ?? .null, "asOf": t1]) }
            #expect(missing?.code == RPCErrorCode.notFound)
            // As of t2 the filing was submitted, not yet forwarded.
            let filed = try await call("filing.get", ["id": filing["id"] ?? .null, "asOf": t2])
            #expect(filed["forwardedAt"] == nil || filed["forwardedAt"] == .null)
            #expect(try await call("filing.get", ["id": filing["id"] ?? .null])["forwardedTo"]?.arrayValue?.count == 2)
            #expect(try await call("filing.list", ["unit": .string(dept), "asOf": t2]).arrayValue?.count == 1)
            // Deadlines as the registry said at t1: the claim's review met, its elements met the same day.
            let deadlines = try await call("adjustment.deadlines", ["id": claim["id"] ?? .null, "asOf": t1])
            let rules = deadlines.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
            #expect(rules.contains("claimElements") && rules.contains("offlineGuide") && !rules.contains("filing"))
            #expect(try await call("adjustment.deadlines", ["id": change["id"] ?? .null]).arrayValue?.first { $0["rule"] == "offlineGuide" }?["status"] == "met")
            #expect(try await call("catalogue.history", ["code": "000104004000", "asOf": t1]).arrayValue?.count == 1)
            #expect(try await call("catalogue.history", ["code": "000104004000"]).arrayValue?.count == 2)
            #expect(try await call("implementation.history", ["code": entry, "asOf": t1]).arrayValue?.count == 1)
            // The spreadsheets as they stood.
            let csvThen = try await call("implementation.export", ["unit": .string(dept), "asOf": t1])["content"]?.stringValue ?? ""
            #expect(csvThen.contains("工作日9:00-17:00") && !csvThen.contains("全天"))
            #expect(try await call("implementation.export", ["unit": .string(dept)])["content"]?.stringValue?.contains("全天") == true)
            let catalogueThen = try await call("catalogue.export", ["asOf": t1])["content"]?.stringValue ?? ""
            #expect(catalogueThen.contains("事项000104004000") && !catalogueThen.contains("取消"))
            let ledgerThen = try await call("ledger.export", ["unit": .string(dept), "asOf": t1])["content"]?.stringValue ?? ""
            let ledgerNow = try await call("ledger.export", ["unit": .string(dept)])["content"]?.stringValue ?? ""
            #expect(ledgerThen.split(whereSeparator: \.isNewline).count + 2 == ledgerNow.split(whereSeparator: \.isNewline).count)

            // The whole catalogue as it stood at t1, a page at a time, all pages at one seq.
            var codes: [String] = []
            var cursor: JSONValue = .null
            var seqs: Set<Int64> = []
            repeat {
                let page = try await call("audit.replay", ["asOf": t1, "limit": 1, "cursor": cursor])
                #expect(page["counts"]?["items"] == 3 && page["counts"]?["entries"] == 1 && page["counts"]?["filings"] == 0)
                codes += page["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
                for item in page["items"]?.arrayValue ?? [] {  // the same item, labels and all, as catalogue.get gives
                    #expect(try await c.call("catalogue.get", ["code": item["code"] ?? .null, "asOf": t1]) == item)
                }
                #expect(page["items"]?.arrayValue?.allSatisfy { $0["status"] == "inUse" } == true)
                seqs.insert(page["seq"]?.intValue ?? -1)
                cursor = page["nextCursor"] ?? .null
            } while cursor != .null
            #expect(codes == ["000104002000", "000104003000", "000104004000"] && seqs.count == 1)
            let now = try await call("audit.replay", ["asOf": "2099-01-01", "limit": 1000])
            #expect(now["counts"]?["filings"] == 1 && now["items"]?.arrayValue?.last?["status"] == "cancelled")
            #expect(now["items"]?.arrayValue?.last?["labels"]?["status"] == "取消")
            #expect(try await c.call("catalogue.get", ["code": "000104004000"]) == now["items"]?.arrayValue?.last)
        }
        try await expectResultsMatchSchemas(log.results)
    }
}
