import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

@Suite struct ProtocolTests {
    /// Sends `line` raw and returns the one response line.
    func answer(_ client: RegistryClient, _ line: [UInt8]) async throws -> JSONValue? {
        try await client.sendRaw(line + [UInt8(ascii: "\n")])
        return try await client.readRawResponse()
    }

    @Test func malformedLinesGetErrorsAndTheConnectionStaysUsable() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let cases: [([UInt8], Int)] = [
                (Array("{\"jsonrpc\":\"2.0\",".utf8), RPCErrorCode.parseError),
                ([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], RPCErrorCode.parseError),  // invalid UTF-8
                (Array(String(repeating: "[", count: 5000).utf8), RPCErrorCode.parseError),
                (Array("{\"a\":1,\"a\":2}".utf8), RPCErrorCode.parseError),
                (Array("42".utf8), RPCErrorCode.invalidRequest),
                (Array("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"system.ping\"}".utf8), RPCErrorCode.invalidRequest),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"system.ping\"}".utf8), RPCErrorCode.invalidRequest),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}".utf8), RPCErrorCode.invalidRequest),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\",\"extra\":1}".utf8), RPCErrorCode.invalidRequest),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no.such\"}".utf8), RPCErrorCode.methodNotFound),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.read\",\"params\":[1]}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.read\",\"params\":{\"limit\":\"x\"}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.read\",\"params\":{\"limit\":1e300}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.read\",\"params\":{\"limit\":0}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.append\",\"params\":{\"stream\":\"s\",\"expectedVersion\":\"any\",\"events\":[{\"type\":\"t\",\"data\":[]}]}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.append\",\"params\":{\"stream\":\"s\",\"expectedVersion\":\"any\",\"events\":[]}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.append\",\"params\":{\"stream\":\"s\",\"expectedVersion\":\"any\",\"events\":[{\"id\":\"nope\",\"type\":\"t\",\"data\":{}}]}}".utf8), RPCErrorCode.invalidParams),
                (Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.append\",\"params\":{\"stream\":\"s\",\"expectedVersion\":\"any\",\"events\":[{\"type\":\"t\",\"data\":{},\"effectiveAT\":\"2026-01-01\"}]}}".utf8), RPCErrorCode.invalidParams),
                (Array("[]".utf8), RPCErrorCode.invalidRequest),
            ]
            for (line, code) in cases {
                let response = try #require(try await answer(client, line), "no answer to \(String(decoding: line.prefix(60), as: UTF8.self))")
                #expect(response["error"]?["code"]?.intValue == Int64(code), "\(String(decoding: line.prefix(60), as: UTF8.self)) → \(response.compactString)")
                #expect(response["error"]?["message"]?.stringValue?.isEmpty == false)
            }
            // A misspelt member inside an event is named, not silently dropped.
            let misspelt = #"{"jsonrpc":"2.0","id":9,"method":"events.append","params":{"stream":"s","expectedVersion":"any","events":[{"type":"t","data":{},"effectiveAT":"2026-01-01"}]}}"#
            let named = try #require(try await answer(client, Array(misspelt.utf8)))
            #expect(named["error"]?["message"]?.stringValue?.contains("effectiveAT") == true, "\(named.compactString)")
            // After all that, the same connection still works.
            #expect(try await client.call("system.ping")["head"]?["seq"] == 0)
        }
    }

    @Test func batchesMixGoodBadAndNotifications() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let responses = try await client.batch([
                RPCRequest(id: "a", method: "system.ping", params: nil),
                RPCRequest(id: nil, method: "events.append", params: appendParams(stream: "from-notification")),
                RPCRequest(id: "c", method: "nope", params: nil),
                RPCRequest(id: 4, method: "events.append", params: appendParams(stream: "s")),
            ])
            #expect(responses.count == 3)
            #expect(responses[0]["id"] == "a" && responses[0]["result"] != nil)
            #expect(responses[1]["id"] == "c" && responses[1]["error"]?["code"] == .int(Int64(RPCErrorCode.methodNotFound)))
            #expect(responses[2]["id"] == 4 && responses[2]["result"]?["firstSeq"] == 2)
            // The notification ran (seq 1) but was not answered.
            #expect(try await allEvents(client).first?["stream"] == "from-notification")
            // A batch of notifications only: no response at all; the next call is answered normally.
            let none = try await client.batch([RPCRequest(id: nil, method: "system.ping", params: nil)])
            #expect(none.isEmpty)
            #expect(try await client.call("system.ping")["head"]?["seq"] == 2)
        }
    }

    @Test func connectionsPastTheLimitAreRefusedAndTheOthersCarryOn() async throws {
        let daemon = try await DaemonProcess(arguments: ["--max-connections", "3"])
        try await daemon.withClient { first in
            try await daemon.withClient { second in
                // The start-up check's connection may still be counted for a moment.
                try await waitUntil("two connections open", timeout: .seconds(10)) {
                    try await first.call("system.stats")["connections"] == 2
                }
                try await daemon.withClient { third in
                    try await daemon.withClient { fourth in
                        // A ping either way: were the limit not enforced, its answer would come
                        // back here instead of the refusal (and the test fails rather than waits).
                        try? await fourth.sendRaw(Array(#"{"jsonrpc":"2.0","id":1,"method":"system.ping"}"#.utf8) + [10])
                        let refusal = try #require(try await fourth.readRawResponse())
                        // Served instead of refused: stop here rather than wait for a close that never comes.
                        try #require(refusal["error"] != nil, "the fourth connection was served: \(refusal)")
                        #expect(refusal["id"] == .null)
                        #expect(refusal["error"]?["code"] == .int(Int64(RPCErrorCode.tooManyConnections)))
                        #expect(refusal["error"]?["message"]?.stringValue?.contains("at most 3") == true)
                        #expect(refusal["error"]?["data"]?["maxConnections"] == 3)
                        #expect(try await fourth.readRawResponse() == nil)  // closed by the daemon
                    }
                    #expect(try await third.call("system.ping")["version"] != nil)
                }
                #expect(try await second.call("system.ping")["version"] != nil)
            }
            // With room again, a new connection is served.
            try await waitUntil("room for a new connection", timeout: .seconds(10)) {
                try await first.call("system.stats")["connections"] == 1
            }
            let ping = try await daemon.withClient { again in try await again.call("system.ping") }
            #expect(ping["version"] != nil)
        }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.log.contains("refusing a connection"))
    }

    @Test func oversizedLineIsRefusedAndOnlyThatConnectionCloses() async throws {
        let daemon = try await DaemonProcess(arguments: ["--max-line-bytes", "4096"])
        try await daemon.withClient { bystander in
            try await daemon.withClient { client in
                let big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\",\"params\":{\"x\":\"" + String(repeating: "很", count: 3000) + "\"}}\n"
                try await client.sendRaw(Array(big.utf8))
                let response = try #require(try await client.readRawResponse())
                #expect(response["error"]?["code"] == .int(Int64(RPCErrorCode.requestTooLarge)))
                #expect(response["error"]?["message"]?.stringValue?.contains("4096") == true)
                #expect(try await client.readRawResponse() == nil)  // closed by the daemon
            }
            // Without a newline at all, the limit still applies.
            try await daemon.withClient { client in
                try await client.sendRaw(Array(repeating: UInt8(ascii: "x"), count: 10_000))
                let response = try #require(try await client.readRawResponse())
                #expect(response["error"]?["code"] == .int(Int64(RPCErrorCode.requestTooLarge)))
            }
            #expect(try await bystander.call("system.ping")["version"] != nil)
        }
    }

    @Test func halfWrittenLinesAndAbruptDisconnectsLeaveTheDaemonServing() async throws {
        let daemon = try await DaemonProcess()
        for _ in 0..<20 {
            try await daemon.withClient { client in
                try await client.sendRaw(Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.app".utf8))
            }
        }
        try await daemon.withClient { client in
            // Pipelined requests in one write are answered in order.
            let two = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"system.ping\"}\r\n"
            try await client.sendRaw(Array(two.utf8))
            #expect(try await client.readRawResponse()?["id"] == 1)
            #expect(try await client.readRawResponse()?["id"] == 2)
            // The client closes at once; the daemon notices each hang-up a moment later.
            try await waitUntil("the daemon has dropped the abandoned connections", timeout: .seconds(10)) {
                try await client.call("system.stats")["connections"] == 1
            }
            #expect(try await client.call("system.stats")["events"] == 0)
        }
    }
}

@Suite struct PipeliningTests {
    @Test func aBurstOfPipelinedAppendsIsAnsweredInFullAndInOrderOfCommit() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            // More than the fast path's in-flight limit, in one write: reading pauses and resumes.
            var burst = ""
            for i in 0..<300 {
                let request = RPCRequest(id: .int(Int64(i)), method: "events.append", params: appendParams(stream: "burst/\(i % 7)"))
                burst += request.json.compactString + "\n"
            }
            try await client.sendRaw(Array(burst.utf8))
            var seqByID: [Int64: Int64] = [:]
            for _ in 0..<300 {
                let r = try #require(try await client.readRawResponse())
                seqByID[r["id"]?.intValue ?? -1] = r["result"]?["firstSeq"]?.intValue
            }
            #expect(seqByID.count == 300)
            #expect(Set(seqByID.values.compactMap { $0 }) == Set(1...300))
            #expect(try await client.call("audit.verify")["ok"] == true)
            // Pipelined appends are grouped: a lone writer's inline commit is not for them.
            let commits = try await client.call("system.stats")["groupCommit"]?["commits"]?.intValue ?? 0
            #expect(commits > 0 && commits <= 150, "300 pipelined appends took \(commits) commits")
        }
    }

    @Test func pipelinedRequestsOfBothPathsAreMatchedByID() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.withClient { client in
            let lines = [
                RPCRequest(id: "read", method: "events.read", params: nil),
                RPCRequest(id: "ping", method: "system.ping", params: nil),
                RPCRequest(id: "add", method: "events.append", params: appendParams(stream: "s")),
                RPCRequest(id: "stats", method: "system.stats", params: nil),
            ].map { $0.json.compactString + "\n" }.joined()
            try await client.sendRaw(Array(lines.utf8))
            var byID: [String: JSONValue] = [:]
            for _ in 0..<4 {
                let r = try #require(try await client.readRawResponse())
                byID[r["id"]?.stringValue ?? "?"] = r["result"]
            }
            #expect(Set(byID.keys) == ["read", "ping", "add", "stats"])
            #expect(byID["add"]?["firstSeq"] == 1)
            #expect(byID["ping"]?["version"] != nil)
        }
    }

    @Test func aSlowReaderGetsLongAnswersInFullAndDoesNotHoldUpOthers() async throws {
        let daemon = try await DaemonProcess()
        // 600 events of ~6 KB: one page of them is ~3.7 MB, far more than a socket buffer holds.
        let filler = JSONValue.string(String(repeating: "事项材料", count: 500))
        try await daemon.withClient { client in
            for batch in 0..<6 {
                _ = try await client.call("events.append", appendParams(stream: "big/\(batch)", count: 100, payload: ["text": filler]))
            }
        }
        try await daemon.withClient { slow in
            // Three long answers and a ping, pipelined (~11 MB in all, past the writers' high-water
            // mark), then nothing read for a while: the daemon must queue and wait, not block.
            let lines = [
                RPCRequest(id: "page1", method: "events.read", params: ["limit": 600]),
                RPCRequest(id: "page2", method: "events.read", params: ["fromSeq": 1, "limit": 600]),
                RPCRequest(id: "page3", method: "events.read", params: ["fromSeq": 301, "limit": 600]),
                RPCRequest(id: "ping", method: "system.ping", params: nil),
            ].map { $0.json.compactString + "\n" }.joined()
            try await slow.sendRaw(Array(lines.utf8))
            try await Task.sleep(for: .milliseconds(300))
            // Meanwhile another connection is served as usual, reads and writes alike.
            try await daemon.withClient { other in
                #expect(try await other.call("system.ping")["head"]?["seq"] == 600)
                let appended = try await other.call("events.append", appendParams(stream: "meanwhile"))
                #expect(appended["firstSeq"] == 601)
            }
            // Now the slow reader reads: every answer arrives whole, each once.
            var byID: [String: JSONValue] = [:]
            for _ in 0..<4 {
                let r = try #require(try await slow.readRawResponse(timeout: .seconds(30)), "an answer did not arrive")
                byID[r["id"]?.stringValue ?? "?"] = r["result"]
            }
            #expect(Set(byID.keys) == ["page1", "page2", "page3", "ping"])
            #expect(byID["page1"]?["events"]?.arrayValue?.count == 600)
            #expect(byID["page2"]?["events"]?.arrayValue?.map { $0["seq"]?.intValue ?? 0 } == Array(1...600))
            #expect(byID["page3"]?["events"]?.arrayValue?.map { $0["seq"]?.intValue ?? 0 } == Array(301...601))
            #expect(byID["page3"]?["events"]?.arrayValue?.first?["data"]?["text"] == filler)
            // And the connection goes on as before.
            #expect(try await slow.call("system.ping")["head"]?["seq"] == 601)
        }
    }
}
