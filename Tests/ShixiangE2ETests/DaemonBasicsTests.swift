import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct DaemonBasicsTests {
    @Test func pingAndStatsDescribeAnEmptyLog() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let ping = try await client.call("system.ping")
            #expect(ping["head"]?["seq"] == 0)
            #expect(ping["head"]?["hash"] == .string(String(repeating: "0", count: 64)))
            #expect(ping["version"]?.stringValue?.isEmpty == false)
            let stats = try await client.call("system.stats")
            #expect(stats["events"] == 0)
            #expect(stats["groupCommit"]?["commits"] == 0 && stats["groupCommit"]?["events"] == 0)
            // This connection only, once the daemon has noticed the start-up check's hang-up.
            try await waitUntil("only this connection is open", timeout: .seconds(10)) {
                try await client.call("system.stats")["connections"] == 1
            }
            #expect((stats["mapSize"]?.intValue ?? 0) > 0)
            let methods = try await client.call("system.methods").arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(methods.contains("events.append") && methods.contains("audit.verify") && methods.contains("system.methods"))
        }
        // The socket is created for owner and group only.
        let mode = try FileManager.default.attributesOfItem(atPath: daemon.socketPath)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        #expect(try await daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func expectedVersionConflictNamesTheActualVersion() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let first = try await client.call("events.append", appendParams(stream: "notes/000104002000", expected: "noStream", count: 2))
            #expect(first["firstSeq"] == 1 && first["lastSeq"] == 2 && first["version"] == 1)
            let conflict = await rpcError { try await client.call("events.append", appendParams(stream: "notes/000104002000", expected: 0)) }
            #expect(conflict?.code == RPCErrorCode.wrongExpectedVersion)
            #expect(conflict?.data?["actualVersion"] == 1)
            #expect(conflict?.message.contains("version 1") == true)
            let noStream = await rpcError { try await client.call("events.append", appendParams(stream: "notes/000104002000", expected: "noStream")) }
            #expect(noStream?.code == RPCErrorCode.wrongExpectedVersion)
            let ok = try await client.call("events.append", appendParams(stream: "notes/000104002000", expected: 1))
            #expect(ok["firstSeq"] == 3 && ok["version"] == 2)
            let bad = await rpcError { try await client.call("events.append", appendParams(stream: "s", expected: "latest")) }
            #expect(bad?.code == RPCErrorCode.invalidParams)
            #expect(bad?.message.contains("expectedVersion") == true)
        }
    }

    @Test func retryIsIdempotentAndReusedIDConflicts() async throws {
        let daemon = try await DaemonProcess()
        let ids = [UUID().uuidString.lowercased(), UUID().uuidString.lowercased()]
        try await daemon.withClient { client in
            let first = try await client.call("events.append", appendParams(stream: "s", count: 2, ids: ids))
            let retry = try await client.call("events.append", appendParams(stream: "s", count: 2, ids: ids))
            #expect(retry["duplicate"] == true)
            #expect(retry["firstSeq"] == first["firstSeq"] && retry["lastSeq"] == first["lastSeq"])
            #expect(retry["events"] == first["events"])
            let conflict = await rpcError {
                try await client.call("events.append", appendParams(stream: "s", count: 1, ids: [ids[0]], payload: ["名称": "别的"]))
            }
            #expect(conflict?.code == RPCErrorCode.duplicateEventID)
            #expect(conflict?.data?["seq"] == 1)
            let events = try await allEvents(client)
            #expect(events.count == 2)
            #expect(events[0]["id"] == .string(ids[0]))
        }
    }

    @Test func concurrentConnectionsGetGaplessPositions() async throws {
        let daemon = try await DaemonProcess()
        let clients = 16, perClient = 25
        let seqs = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for c in 0..<clients {
                group.addTask {
                    try await daemon.withClient { client in
                        var mine: [Int64] = []
                        for i in 0..<perClient {
                            let r = try await client.call("events.append", appendParams(stream: "writer/\(c)", expected: i == 0 ? "noStream" : .int(Int64(i - 1))))
                            mine.append(r["firstSeq"]?.intValue ?? -1)
                        }
                        return mine
                    }
                }
            }
            var all: [Int64] = []
            for try await s in group { all += s }
            return all
        }
        #expect(seqs.sorted() == Array(1...Int64(clients * perClient)))
        try await daemon.withClient { client in
            let verify = try await client.call("audit.verify")
            #expect(verify["ok"] == true)
            #expect(verify["checked"] == .int(Int64(clients * perClient)))
            let events = try await allEvents(client)
            #expect(events.map { $0["seq"]?.intValue ?? 0 } == Array(1...Int64(clients * perClient)))
            // The group commit's counters add up: every append was one write, and some shared a sync.
            let commit = try #require(try await client.call("system.stats")["groupCommit"])
            let (commits, writes, stored) = (commit["commits"]?.intValue ?? 0, commit["writes"]?.intValue ?? 0, commit["events"]?.intValue ?? 0)
            #expect(stored == Int64(clients * perClient) && writes == stored)
            #expect(commits >= 1 && commits <= writes && (commit["largestBatch"]?.intValue ?? 0) <= Int64(clients))
            #expect((commit["commitSeconds"]?.doubleValue ?? 0) > 0)
            // Each stream's versions are gapless too.
            for c in 0..<clients {
                let page = try await client.call("events.read", ["stream": .string("writer/\(c)"), "limit": 1000])
                #expect(page["events"]?.arrayValue?.map { $0["version"]?.intValue ?? -1 } == Array(0..<Int64(perClient)))
            }
        }
    }

    @Test func subscriptionHandsOverFromHistoryToLiveWithoutGapOrDuplicate() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            _ = try await client.call("events.append", appendParams(stream: "history", count: 40))
        }
        let total = 140
        // A writer keeps appending while the subscriber catches up and goes live.
        async let writer: Void = daemon.withClient { client in
            for i in 0..<100 { _ = try await client.call("events.append", appendParams(stream: "live/\(i % 4)")) }
        }
        let received: [Int64] = try await daemon.withClient { client in
            let r = try await client.call("events.subscribe", ["fromSeq": 1])
            #expect(r["subscription"]?.stringValue?.isEmpty == false)
            var seqs: [Int64] = []
            while seqs.count < total, let n = try await client.nextNotification() {
                #expect(n.method == "events.event")
                seqs.append(n.params["event"]?["seq"]?.intValue ?? -1)
            }
            return seqs
        }
        try await writer
        #expect(received == Array(1...Int64(total)))
    }

    @Test func subscriptionToOneStreamAndUnsubscribe() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let sub = try await client.call("events.subscribe", ["stream": "watched"])
            let id = try #require(sub["subscription"]?.stringValue)
            try await daemon.withClient { other in
                _ = try await other.call("events.append", appendParams(stream: "other"))
                _ = try await other.call("events.append", appendParams(stream: "watched", count: 2))
            }
            let first = try #require(try await client.nextNotification())
            let second = try #require(try await client.nextNotification())
            #expect(first.params["event"]?["stream"] == "watched" && first.params["event"]?["seq"] == 2)
            #expect(second.params["event"]?["seq"] == 3)
            #expect(try await client.call("events.unsubscribe", ["subscription": .string(id)])["stopped"] == true)
            let again = await rpcError { try await client.call("events.unsubscribe", ["subscription": .string(id)]) }
            #expect(again?.code == RPCErrorCode.notFound)
        }
    }
}
