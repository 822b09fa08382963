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
}
