import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct BackupE2ETests {
    /// Names in `directory` other than `keep`: leftovers of a backup that should have left nothing.
    func leftovers(_ directory: String, keep: Set<String> = []) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { !keep.contains($0) }.sorted()
    }

    @Test func badPathsAreRefusedClearlyAndLeaveNothingBehind() async throws {
        let daemon = try await DaemonProcess()
        let out = try TemporaryDirectory("bk")
        let existing = out.file("existing.mdb")
        try Data("not a backup".utf8).write(to: URL(fileURLWithPath: existing))
        try await daemon.withClient { c in
            _ = try await c.call("events.append", appendParams(stream: "s"))
            let relative = await rpcError { try await c.call("system.backup", ["path": "backups/b.mdb"]) }
            #expect(relative?.code == RPCErrorCode.invalidParams && relative?.data?["field"] == "path")
            #expect(relative?.message.contains("relative") == true, "\(String(describing: relative))")

            let missing = await rpcError { try await c.call("system.backup", ["path": .string(out.file("no/such/dir/b.mdb"))]) }
            #expect(missing?.code == RPCErrorCode.invalidParams && missing?.data?["field"] == "path")
            #expect(missing?.message.contains("does not exist") == true, "\(String(describing: missing))")

            let underAFile = await rpcError { try await c.call("system.backup", ["path": .string(existing + "/b.mdb")]) }
            #expect(underAFile?.code == RPCErrorCode.invalidParams)

            let clash = await rpcError { try await c.call("system.backup", ["path": .string(existing)]) }
            #expect(clash?.code == RPCErrorCode.alreadyExists && clash?.data?["key"] == .string(existing))
            #expect(clash?.message.contains("never overwrites") == true, "\(String(describing: clash))")

            let noPath = await rpcError { try await c.call("system.backup", [:]) }
            #expect(noPath?.code == RPCErrorCode.invalidParams)
            let wrongType = await rpcError { try await c.call("system.backup", ["path": 7]) }
            #expect(wrongType?.code == RPCErrorCode.invalidParams)

            // Each refusal as the daemon sent it conforms to the response schema.
            let responses = [relative, missing, underAFile, clash, noPath, wrongType].compactMap { $0 }.map { RPCResponse.error(id: 1, $0).compactString }
            #expect(responses.count == 6)
            let run = try await CommandRun.run("/usr/bin/env", ["python3", "\(SchemaConformanceTests.schemas)/validate.py", "rpc/response.schema.json", "-"],
                                               stdin: Data((responses.joined(separator: "\n") + "\n").utf8))
            #expect(run.status == 0, "\(run.stdout)")
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "not a backup")
        #expect(try leftovers(out.path) == ["existing.mdb"])
    }

    @Test func theCLIResolvesARelativePathAgainstItsWorkingDirectory() async throws {
        let daemon = try await DaemonProcess()
        let out = try TemporaryDirectory("bk")
        try await daemon.withClient { _ = try await $0.call("events.append", appendParams(stream: "s", count: 3)) }
        let shixiang = try BuiltProducts.executable("shixiang")
        let run = try await CommandRun.run("/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" backup --out nightly.mdb --socket \"$3\"", "sh",
                                                       out.path, shixiang, daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Backup written to \(out.path)/nightly.mdb"), "\(run.stdout)")
        #expect(run.stdout.contains("log up to seq 3"), "\(run.stdout)")
        // Again: the file exists now, so the CLI exits 1 with the daemon's reason.
        let again = try await CommandRun.run("/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" backup --out nightly.mdb --socket \"$3\" --json", "sh",
                                                         out.path, shixiang, daemon.socketPath])
        #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again.stderr)")
        let json = try await CommandRun.run(shixiang, ["backup", "--out", out.file("second.mdb"), "--json", "--socket", daemon.socketPath])
        let report = try JSONValue.parse(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(report["head"]?["seq"] == 3 && report["path"] == .string(out.file("second.mdb")))
        try await expectResultsMatchSchemas(["system.backup": [report]])
    }

    @Test func aBackupTakenUnderLoadRestoresToTheSameState() async throws {
        // A 1 MiB map to start with, so that it grows under the load, around the backups.
        let out = try TemporaryDirectory("bk")
        try "initial-map-size = 1048576\n".write(toFile: out.file("small-map.conf"), atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(arguments: ["--config", out.file("small-map.conf")])
        let file = out.file("under-load.mdb")
        let acknowledged = Acknowledged()
        let stop = StopFlag()
        let load = WriteLoad(socketPath: daemon.socketPath, acknowledged: acknowledged, tag: "bk")
        async let loadProblems = load.run(until: stop)

        // Back up while the writers run, and let them go on afterwards.
        try await waitUntil("the load acknowledged 30 writes") { acknowledged.count >= 30 }
        let before = try await daemon.withClient { try await $0.call("system.ping")["head"]?["seq"]?.intValue ?? 0 }
        let report = try await daemon.withClient { try await $0.call("system.backup", ["path": .string(file)]) }
        let atBackup = acknowledged.count
        // More backups while the writers go on and the map grows; each holds a verified head.
        for i in 0..<4 {
            let more = try await daemon.withClient { try await $0.call("system.backup", ["path": .string(out.file("more-\(i).mdb"))]) }
            #expect(more["head"]?["seq"]?.intValue ?? 0 >= report["head"]?["seq"]?.intValue ?? 0)
        }
        try await waitUntil("the load went on after the backup") { acknowledged.count >= atBackup + 30 }
        stop.set()
        #expect(await loadProblems == [])

        let seq = try #require(report["head"]?["seq"]?.intValue)
        let hash = try #require(report["head"]?["hash"]?.stringValue)
        #expect(seq >= before)
        #expect(report["bytes"]?.intValue == Int64(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? -1))
        #expect(try leftovers(out.path) == ["more-0.mdb", "more-1.mdb", "more-2.mdb", "more-3.mdb", "small-map.conf", "under-load.mdb"])
        let original = try await daemon.withClient { try await allEvents($0) }
        #expect(original.count > Int(seq), "the writers went on after the backup")

        // Restore: the file becomes data.mdb of a fresh data directory.
        let restored = try await DaemonProcess(label: "rs", start: false)
        try FileManager.default.createDirectory(atPath: restored.dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: restored.dataDirectory + "/data.mdb")
        let stat = try #require(try await CommandRun.runTool("mdb_stat", ["-a", restored.dataDirectory]), "mdb_stat is not installed")
        #expect(stat.status == 0 && stat.stdout.contains("Status of events"), "\(stat.stderr)")
        try await restored.start()

        let asOf: JSONValue
        do {
            let (events, verify, check, units) = try await restored.withClient { c in
                (try await allEvents(c), try await c.call("audit.verify"), try await c.call("admin.checkProjections"),
                 try await c.call("unit.list"))
            }
            #expect(verify["ok"] == true && verify["head"]?["seq"] == .int(seq) && verify["head"]?["hash"] == .string(hash), "\(verify.compactString)")
            #expect(check["ok"] == true, "\(check.compactString.prefix(500))")
            // The restored log is exactly the original's first `seq` events.
            #expect(events.map { $0["hash"] } == original.prefix(Int(seq)).map { $0["hash"] })
            asOf = try #require(events.last?["recordedAt"])

            // The registry it serves is the original's as it stood at the backup.
            let codes = (units.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
            #expect(codes.count > 1)
            let queries: [(String, JSONValue)] = [("catalogue.list", ["limit": 1000, "asOf": asOf])]
                + codes.map { ("ledger.get", ["unit": .string($0), "asOf": asOf]) }
            for (method, params) in queries {
                let there = try await restored.withClient { try await $0.call(method, params) }
                let here = try await daemon.withClient { try await $0.call(method, params) }
                #expect(there == here, "\(method) \(params.compactString)")
            }
            let current = try await restored.withClient { try await $0.call("catalogue.list", ["limit": 1000]) }
            #expect(current == (try await daemon.withClient { try await $0.call("catalogue.list", ["limit": 1000, "asOf": asOf]) }))
        }
        // And it carries on from there.
        try await restored.withClient { c in
            let appended = try await c.call("events.append", appendParams(stream: "after-restore"))
            #expect(appended["firstSeq"] == .int(seq + 1))
            #expect(try await c.call("audit.verify")["ok"] == true)
        }
    }
}
