import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct SupervisionE2ETests {
    @Test func deadlinesOverdueAndCalendarThroughTheSocket() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        let log = ResultLog()
        try await daemon.withClient { c in
            func call(_ method: String, _ params: JSONValue) async throws -> JSONValue { try await log.call(c, method, params) }
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            let a = try await c.call("adjustment.submit", submission(dept, "catalogue", "add", "000104002000", ["elements": elements]))
            let id = a["id"] ?? .null
            _ = try await c.call("adjustment.approve", ["id": id])
            _ = try await c.call("adjustment.publish", ["id": id, "channels": ["平台"]])
            let deadlines = try await call("adjustment.deadlines", ["id": id])
            let rules = deadlines.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
            #expect(rules == ["review", "filing"])
            #expect(deadlines.arrayValue?.first?["status"] == "met")
            // Far enough ahead that the 2 working days have passed, still inside the published 2026 calendar.
            let overdue = try await call("supervision.overdue", ["asOf": "2026-12-31"])
            #expect(overdue["overdue"]?.arrayValue?.compactMap { $0["rule"]?.stringValue } == ["filing"])
            #expect((overdue["overdue"]?[0]?["workingDaysLate"]?.intValue ?? 0) >= 1)
            #expect(try await call("supervision.overdue", ["asOf": "2026-12-31", "unit": .string(unitCode(2))])["overdue"]?.arrayValue?.isEmpty == true)
            let later = try await call("supervision.overdue", ["asOf": "2027-02-01"])
            #expect(later["overdue"]?.arrayValue?.count == 1)  // the deadline itself lies in 2026
            let calendar = try await call("calendar.publish", ["year": 2027, "holidays": [["date": "2027-01-01", "name": "元旦"]], "makeupWorkdays": []])
            #expect(calendar["years"]?.arrayValue?.last == 2027)
            #expect(try await call("calendar.get", [:])["version"] == calendar["version"])
            let metrics = try await call("metrics.get", ["unit": .string(dept)])
            #expect(metrics["entries"] == 0 && metrics["coverage"]?["of"] == 1)
            _ = try await call("metrics.get", ["asOf": "2026-01-01"])
            let ledger = try await call("ledger.get", ["unit": .string(dept)])
            #expect(ledger["deadlines"]?[id.stringValue ?? ""]?.arrayValue?.count == 2)
            let bad = await rpcError { try await c.call("calendar.publish", ["year": 2028, "holidays": [["date": "2027-05-01", "name": "劳动节"]]]) }
            #expect(bad?.code == RPCErrorCode.ruleViolation)
        }
        let shixiang = try BuiltProducts.executable("shixiang")
        let deadlines = try await CommandRun.run(shixiang, ["deadlines", "adj-2", "--socket", daemon.socketPath])
        #expect(deadlines.status == 0 && deadlines.stdout.contains("filing") && deadlines.stdout.contains("seed 000 Annex 1 §4"), "\(deadlines.stdout)\(deadlines.stderr)")
        let overdue = try await CommandRun.run(shixiang, ["overdue", "--as-of", "2026-12-31", "--socket", daemon.socketPath])
        #expect(overdue.status == 0 && overdue.stdout.contains("adj-2") && overdue.stdout.contains("个工作日"), "\(overdue.stdout)\(overdue.stderr)")
        try await expectResultsMatchSchemas(log.results)
    }
}
