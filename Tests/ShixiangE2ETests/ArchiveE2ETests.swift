import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct ArchiveE2ETests {
    @Test func exportAndVerifyThroughTheSocketAndTheCLI() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1)
        let out = try daemon.directory.subdirectory("bags")
        var results: [String: [JSONValue]] = [:]
        try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(dept), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            let a = try await c.call("adjustment.submit", submission(dept, "catalogue", "add", "000104002000", ["elements": elements]))
            _ = try await c.call("adjustment.approve", ["id": a["id"] ?? .null])
            var progress: [JSONValue] = []
            let export = try await c.call("archive.export", ["out": .string(out)]) { progress.append($0.params) }
            results["archive.export", default: []].append(export)
            #expect(export["fromSeq"] == 1 && export["toSeq"] == 4 && export["cases"] == 1)
            #expect(progress.last?["done"] == progress.last?["total"])
            let verify = try await c.call("archive.verify", ["path": export["path"] ?? .null])
            results["archive.verify", default: []].append(verify)
            #expect(verify["passed"] == true)
            let again = await rpcError { try await c.call("archive.export", ["out": .string(out), "fromSeq": 99]) }
            #expect(again?.code == RPCErrorCode.ruleViolation)
            let relative = await rpcError { try await c.call("archive.export", ["out": "bags"]) }
            #expect(relative?.code == RPCErrorCode.invalidParams)
        }
        // The CLI: a second export continues after the first; verify passes, then fails after tampering (exit 2).
        let shixiang = try BuiltProducts.executable("shixiang")
        let second = try await CommandRun.run(shixiang, ["archive", "export", "--out", out, "--socket", daemon.socketPath])
        #expect(second.status == 0 && second.stdout.contains("events 5–5"), "\(second.stdout)\(second.stderr)")
        let bag = out + "/shixiang-000000000001-000000000004"
        let ok = try await CommandRun.run(shixiang, ["archive", "verify", bag, "--socket", daemon.socketPath])
        #expect(ok.status == 0 && ok.stdout.contains("✓ 真实性 chain.events"), "\(ok.stdout)")
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: bag + "/data/extra.json"))
        let bad = try await CommandRun.run(shixiang, ["archive", "verify", bag, "--socket", daemon.socketPath])
        #expect(bad.status == 2 && bad.stdout.contains("✗"), "\(bad.stdout)")
        try await expectResultsMatchSchemas(results)
    }
}
