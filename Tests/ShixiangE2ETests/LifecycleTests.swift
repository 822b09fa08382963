import Foundation
import Testing
import LMDB
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct LifecycleTests {
    @Test func secondDaemonOnTheSameDataIsRefused() async throws {
        let daemon = try await DaemonProcess()
        let other = try daemon.launch(arguments: ["--data-dir", daemon.dataDirectory, "--socket", daemon.directory.file("other.sock")])
        #expect(try await DaemonProcess.waitForExit(other) == 3)
        #expect(daemon.log.contains("is already serving \(daemon.dataDirectory)"))
        // Another data directory but the same, live socket: refused too.
        let third = try daemon.launch(arguments: ["--data-dir", daemon.directory.file("data2"), "--socket", daemon.socketPath])
        #expect(try await DaemonProcess.waitForExit(third) == 3)
        #expect(daemon.log.contains("Another daemon is already listening on \(daemon.socketPath)"))
        // The first one is unharmed.
        #expect(try await daemon.withClient { try await $0.call("system.ping") }["head"] != nil)
    }

    @Test func staleSocketFromACrashIsReplaced() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { _ = try await $0.call("events.append", appendParams(stream: "s")) }
        try await daemon.kill()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))  // left behind by the crash
        try await daemon.start()
        #expect(try await daemon.withClient { try await $0.call("system.ping") }["head"]?["seq"] == 1)
    }

    @Test func sigtermFinishesInFlightWorkAndRemovesTheSocket() async throws {
        let daemon = try await DaemonProcess()
        // Several writers in flight when SIGTERM arrives: whatever was acknowledged must be stored.
        let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
            for w in 0..<4 {
                group.addTask {
                    var count = 0
                    do {
                        try await daemon.withClient { client in
                            for _ in 0..<1000 {
                                _ = try await client.call("events.append", appendParams(stream: "w/\(w)"))
                                count += 1
                            }
                        }
                    } catch {}
                    return count
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await daemon.stop() == 0)
            var total = 0
            for try await n in group { total += n }
            return total
        }
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.log.contains("stopped"))
        try await daemon.start()
        try await daemon.withClient { client in
            let seq = try await client.call("system.ping")["head"]?["seq"]?.intValue ?? -1
            #expect(seq >= Int64(acknowledged))
            #expect(try await client.call("audit.verify")["ok"] == true)
        }
    }

    @Test func sigtermClosesIdleConnectionsAndFollowersThatStayConnected() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { _ = try await $0.call("events.append", appendParams(stream: "s")) }
        // Two clients that never hang up themselves: one idle after a ping, one following the log.
        try await daemon.withClient { idle in
            try await daemon.withClient { follower in
                #expect(try await idle.call("system.ping")["head"]?["seq"] == 1)
                _ = try await follower.call("events.subscribe", ["fromSeq": 1])
                let first = try #require(try await follower.nextNotification(timeout: .seconds(10)))
                #expect(first.method == "events.event" && first.params["event"]?["seq"] == 1)
                // The daemon stops on its own; it must not wait for these peers to go first.
                #expect(try await daemon.stop() == 0)
                #expect(try await idle.readRawResponse(timeout: .seconds(10)) == nil)
                #expect(try await follower.readRawResponse(timeout: .seconds(10)) == nil)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func sigkillUnderLoadLosesNoAcknowledgedEvent() async throws {
        let daemon = try await DaemonProcess()
        for cycle in 0..<3 {
            // Writers record every id the daemon acknowledged.
            let acknowledged = Acknowledged()
            let acked = try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<8 {
                    group.addTask {
                        do {
                            try await daemon.withClient { client in
                                while true {
                                    let id = UUID().uuidString.lowercased()
                                    _ = try await client.call("events.append", appendParams(stream: "crash/\(cycle)/\(w)", ids: [id]))
                                    acknowledged.state.withLock { $0.eventIDs.append(id) }
                                }
                            }
                        } catch {}
                    }
                }
                // Kill once the writers are in full swing (waiting, not a fixed delay: the machine may be busy).
                try await waitUntil("cycle \(cycle)'s writers are acknowledged") { acknowledged.count >= 40 }
                try await daemon.kill()
                try await group.waitForAll()
                return acknowledged.snapshot.eventIDs
            }
            #expect(acked.count > 0)
            try await daemon.start()
            try await daemon.withClient { client in
                let stored = Set(try await allEvents(client).compactMap { $0["id"]?.stringValue })
                let lost = acked.filter { !stored.contains($0) }
                #expect(lost.isEmpty, "cycle \(cycle): \(lost.count) acknowledged events lost")
                let verify = try await client.call("audit.verify")
                #expect(verify["ok"] == true, "cycle \(cycle): \(verify.compactString)")
            }
        }
    }

    @Test func alteredBytesAreCaughtByVerify() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            for i in 0..<5 { _ = try await client.call("events.append", appendParams(stream: "s", payload: ["n": .int(Int64(i)), "名称": "事项"])) }
        }
        try await daemon.stop()
        // Change one byte of event 3's stored JSON behind the daemon's back.
        do {
            let env = try Environment(path: daemon.dataDirectory)
            let events = try env.database(named: "events", flags: [])
            try env.write { txn in
                let key = BigEndianKey.bytes(3)
                var record = try #require(try txn.value(events, key: key))
                let at = try #require(record.lastIndex(of: UInt8(ascii: "2")))
                record[at] = UInt8(ascii: "7")
                try txn.put(events, key: key, value: record)
            }
        }
        try await daemon.start()
        try await daemon.withClient { client in
            let report = try await client.call("audit.verify")
            #expect(report["ok"] == false)
            #expect(report["failure"]?["seq"] == 3)
            #expect(report["failure"]?["check"] == "hash")
        }
        let cli = try await CommandRun.run(try BuiltProducts.executable("shixiang"), ["verify", "--socket", daemon.socketPath])
        #expect(cli.status == 2)
        #expect(cli.stdout.contains("DAMAGED at seq 3"))
    }

    @Test func lmdbToolsReadTheDataDirectory() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            _ = try await client.call("events.append", appendParams(stream: "notes/000104002000", count: 3))
        }
        let stat = try #require(try await CommandRun.runTool("mdb_stat", ["-a", daemon.dataDirectory]),
                                "mdb_stat is not installed: apt-get install lmdb-utils")
        #expect(stat.status == 0, "\(stat.stderr)")
        for name in ["events", "events-by-stream", "events-by-id"] {
            #expect(stat.stdout.contains("Status of \(name)"))
        }
        let dump = try #require(try await CommandRun.runTool("mdb_dump", ["-p", "-s", "events", daemon.dataDirectory]))
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("notes/000104002000"))
        #expect(dump.stdout.contains("test.recorded.v1"))
    }
}
