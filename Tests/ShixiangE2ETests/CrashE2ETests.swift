import EventLog
import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// SIGKILL in the middle of registry commands, raw appends and backups, cycle after cycle: after
/// each restart every acknowledged write is there, the chain verifies, the projections equal a
/// replay of the log, and every backup file under its final name is whole and a prefix of the log.
/// `SHIXIANG_CRASH_CYCLES` runs more cycles.
@Suite struct CrashE2ETests {
    @Test func sigkillUnderRegistryLoadLosesNothingAndLeavesProjectionsExact() async throws {
        let cycles = ProcessInfo.processInfo.environment["SHIXIANG_CRASH_CYCLES"].flatMap { Int($0) } ?? 4
        let daemon = try await DaemonProcess(label: "crash")
        let acknowledged = Acknowledged()
        let backups = try TemporaryDirectory("cbk")
        var reported: [String: JSONValue] = [:]
        var generator = SplitMix64(seed: UInt64.random(in: 1...UInt64.max))
        var survived = 0
        for cycle in 0..<cycles {
            let stop = StopFlag()
            let load = WriteLoad(socketPath: daemon.socketPath, acknowledged: acknowledged, tag: "c\(cycle)", rawWriters: 3, registryWriters: 3)
            async let problems = load.run(until: stop)
            async let backedUp = Self.backUp(until: stop, socketPath: daemon.socketPath, into: backups, cycle: cycle)
            let before = acknowledged.count
            try await waitUntil("cycle \(cycle)'s writers are acknowledged") { acknowledged.count >= before + 20 }
            // Kill at a different point of the work each time.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &generator)))
            try await daemon.kill()
            stop.set()
            #expect(await problems == [], "cycle \(cycle)")
            reported.merge(await backedUp) { a, _ in a }

            try await daemon.start()
            try await daemon.withClient { c in
                let lost = try await acknowledged.losses(c)
                #expect(lost.isEmpty, "cycle \(cycle): \(lost.count) acknowledged writes lost: \(lost.prefix(10))")
                let verify = try await c.call("audit.verify")
                #expect(verify["ok"] == true, "cycle \(cycle): \(verify.compactString)")
                let check = try await c.call("admin.checkProjections")
                #expect(check["ok"] == true, "cycle \(cycle): \(check.compactString.prefix(500))")
                let torn = try await Self.tornBackups(in: backups, reported: reported, c)
                #expect(torn.isEmpty, "cycle \(cycle): \(torn)")
                if lost.isEmpty && verify["ok"] == true && check["ok"] == true && torn.isEmpty { survived += 1 }
            }
        }
        let s = acknowledged.snapshot
        print("crash: \(survived) of \(cycles) SIGKILL cycles survived; \(s.eventIDs.count) raw appends, \(s.units.count) units, "
              + "\(s.adjustments.count) adjustments, \(reported.count) backups acknowledged")
        #expect(survived == cycles)
        #expect(!reported.isEmpty)
        #expect(s.units.count > 0 && s.adjustments.values.contains { $0.status == "approved" })
    }

    /// Takes backups one after another until stopped or the daemon dies; returns the acknowledged
    /// ones by file name, with the head each reported.
    static func backUp(until stop: StopFlag, socketPath: String, into directory: TemporaryDirectory, cycle: Int) async -> [String: JSONValue] {
        var taken: [String: JSONValue] = [:]
        do {
            try await RegistryClient.withConnection(socketPath: socketPath) { client in
                var i = 0
                while !stop.isSet {
                    let name = "c\(cycle)-\(i).mdb"
                    let r = try await client.call("system.backup", ["path": .string(directory.file(name))])
                    taken[name] = r["head"]
                    i += 1
                }
            }
        } catch {}
        return taken
    }

    /// Problems with the backup files: every acknowledged one is there with the head it reported,
    /// and every file under a final name (acknowledged or not: the daemon may have died just after
    /// naming it) opens and holds a prefix of the log. Temporary `.…partial-…` files may remain.
    static func tornBackups(in directory: TemporaryDirectory, reported: [String: JSONValue], _ c: RegistryClient) async throws -> [String] {
        var problems: [String] = []
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") })
        for name in reported.keys where !names.contains(name) { problems.append("\(name): acknowledged, but missing") }
        for name in names.sorted() {
            let head: LogHead
            do { head = try EventStore.head(ofCopy: directory.file(name)) } catch {
                problems.append("\(name): does not open (\(error))")
                continue
            }
            let hash = head.hash.map { String(format: "%02x", $0) }.joined()
            if let r = reported[name], r["seq"] != .int(Int64(head.seq)) || r["hash"] != .string(hash) {
                problems.append("\(name): holds \(head.seq) \(hash), reported \(r.compactString)")
            }
            if head.seq > 0 {
                let stored = try await c.call("events.read", ["fromSeq": .int(Int64(head.seq)), "limit": 1])["events"]?[0]?["hash"]
                if stored != .string(hash) { problems.append("\(name): its head \(head.seq) is not the log's event there") }
            }
        }
        return problems
    }
}
