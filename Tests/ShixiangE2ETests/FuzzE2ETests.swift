import Foundation
import Synchronization
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// Thousands of malformed requests through the real socket, from a seeded generator, interleaved
/// with good appends: every request is answered with a well-formed response (the right standard
/// code where one applies), the daemon stays up, connections do not leak, and every acknowledged
/// append is stored. `SHIXIANG_FUZZ_SEED` replays a run; `SHIXIANG_FUZZ_REQUESTS` runs longer;
/// `SHIXIANG_FUZZ_DUMP=FILE` keeps the responses checked against the schema.
@Suite struct FuzzE2ETests {
    static let maxLine = 64 << 10

    /// Tallies and problems of one run, shared by the workers.
    final class Tally: Sendable {
        struct State {
            var requests = 0
            var byLabel: [String: Int] = [:]
            var connections = 0
            var problems: [String] = []
            var responses: [String] = []
        }
        let state = Mutex(State())

        func count(_ label: String, _ n: Int = 1) {
            state.withLock { $0.requests += n; $0.byLabel[label, default: 0] += n }
        }
        func problem(_ text: String) {
            state.withLock { if $0.problems.count < 50 { $0.problems.append(text) } }
        }
        func keep(_ response: JSONValue) {
            state.withLock { if $0.responses.count < 6000 { $0.responses.append(response.compactString) } }
        }
    }

    /// What is wrong with `response` as the answer to `c` (`nil`: nothing).
    static func problem(with response: JSONValue?, for c: FuzzCase) -> String? {
        guard let response else { return "no response" }
        if let expected = c.batch {
            guard case .array(let items) = response else { return "a batch answered with \(response.compactString.prefix(200))" }
            var seen: [JSONValue: Int] = [:]
            var nulls = 0
            for item in items {
                if let p = shape(item) { return p }
                let id = item["id"] ?? .null
                if id == .null {
                    guard item["error"]?["code"] == .int(Int64(RPCErrorCode.invalidRequest)) else { return "a null-id answer that is not −32600: \(item.compactString)" }
                    nulls += 1
                    continue
                }
                seen[id, default: 0] += 1
                guard let codes = expected.byID[id] else { return "an answer to no element of the batch: \(item.compactString)" }
                if let p = codeProblem(item, codes) { return p }
            }
            if nulls != expected.nullIDs { return "\(nulls) null-id answers for \(expected.nullIDs) unreadable elements" }
            if seen.count != expected.byID.count || seen.values.contains(where: { $0 != 1 }) {
                return "answered ids \(seen) for elements \(expected.byID.keys.map(\.compactString))"
            }
            return nil
        }
        if let p = shape(response) { return p }
        if let id = c.id, response["id"] != id { return "id \(response["id"]?.compactString ?? "absent"), expected \(id.compactString)" }
        return codeProblem(response, c.codes)
    }

    /// A JSON-RPC 2.0 response object: exactly one of result and error; an error has an integer
    /// code and a message.
    static func shape(_ r: JSONValue) -> String? {
        guard case .object(let o) = r, o["jsonrpc"] == "2.0", o["id"] != nil else { return "not a response object: \(r.compactString.prefix(200))" }
        guard (o["result"] == nil) != (o["error"] == nil) else { return "not exactly one of result and error: \(r.compactString.prefix(200))" }
        if let e = o["error"] {
            guard e["code"]?.intValue != nil, let m = e["message"]?.stringValue, !m.isEmpty else { return "malformed error: \(e.compactString.prefix(200))" }
        }
        return nil
    }

    static func codeProblem(_ r: JSONValue, _ codes: Set<Int>?) -> String? {
        // An internal error means the daemon met something it did not expect: a bug to look at.
        if r["error"]?["code"] == .int(Int64(RPCErrorCode.internalError)) { return "internal error: \(r.compactString.prefix(300))" }
        guard let codes else { return nil }
        guard let code = r["error"]?["code"]?.intValue else { return "a result where an error \(codes.sorted()) was due: \(r.compactString.prefix(200))" }
        return codes.contains(Int(code)) ? nil : "code \(code), expected one of \(codes.sorted()): \(r.compactString.prefix(300))"
    }

    @Test(.timeLimit(.minutes(3))) func malformedRequestsThroughTheSocket() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["SHIXIANG_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        let total = environment["SHIXIANG_FUZZ_REQUESTS"].flatMap { Int($0) } ?? 4000
        let workers = 4
        print("fuzz: seed \(seed) (replay with SHIXIANG_FUZZ_SEED=\(seed)), \(total) cases")

        let daemon = try await DaemonProcess(label: "fz", arguments: ["--max-line-bytes", "\(Self.maxLine)"])
        let tally = Tally()
        // Something for the registry's methods to find: a unit, an approved item, an adjustment.
        let unit = unitCode(1), item = "000104002000"
        let adjustment = try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(unit), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            let add = try await c.call("adjustment.submit", submission(unit, "catalogue", "add", item, ["elements": elements]))
            _ = try await c.call("adjustment.approve", ["id": add["id"] ?? .null])
            let claim = try await c.call("adjustment.submit", submission(unit, "implementation", "claim", item, ["fields": fields]))
            return try #require(claim["id"]?.stringValue)
        }
        let baseline = try await daemon.withClient { try await $0.call("system.stats")["connections"]?.intValue ?? -1 }
        #expect(baseline == 1)

        // Each worker: its own generator and connection, its own stream of good appends.
        let appended = try await withThrowingTaskGroup(of: (Int, [String]?).self) { group in
            for w in 0..<workers {
                group.addTask {
                    var generator = FuzzGenerator(seed: seed, worker: w, maxLine: Self.maxLine, unit: unit, item: item, adjustment: adjustment)
                    do {
                        let ids = try await Self.work(w, cases: total / workers, &generator, daemon: daemon, tally: tally, seed: seed)
                        return (w, ids)
                    } catch {
                        let running = daemon.process?.isRunning == true
                        tally.problem("worker \(w) stopped: \(error); the daemon is \(running ? "running" : "DEAD:\n\(daemon.log.suffix(3000))")")
                        return (w, nil)
                    }
                }
            }
            var out: [Int: [String]] = [:]  // workers that stopped early are left out (their problem is recorded)
            for try await (w, ids) in group { if let ids { out[w] = ids } }
            return out
        }

        let summary = tally.state.withLock { $0 }
        print("fuzz: seed \(seed): \(summary.requests) requests on \(summary.connections) extra connections; "
              + summary.byLabel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(summary.problems.isEmpty, "seed \(seed): \(summary.problems.count) problems, first: \(summary.problems.prefix(10).joined(separator: "\n"))")
        #expect(summary.requests >= total)

        // Still up, still answering, no connection left behind, every acknowledged append stored.
        #expect(daemon.process?.isRunning == true, "seed \(seed): the daemon died\n\(daemon.log.suffix(2000))")
        try await daemon.withClient { c in
            #expect(try await c.call("system.ping")["version"] != nil)
            try await waitUntil("the daemon closed every fuzzing connection") {
                try await c.call("system.stats")["connections"]?.intValue == baseline
            }
            for (w, ids) in appended.sorted(by: { $0.key < $1.key }) {
                let stored = try await c.call("events.read", ["stream": .string("fuzz/\(w)"), "limit": 1000])["events"]?.arrayValue ?? []
                var all = stored
                var next = stored.last?["seq"]?.intValue.map { $0 + 1 }
                while all.count < ids.count, let from = next {
                    let page = try await c.call("events.read", ["stream": .string("fuzz/\(w)"), "fromSeq": .int(from), "limit": 1000])["events"]?.arrayValue ?? []
                    if page.isEmpty { break }
                    all += page
                    next = page.last?["seq"]?.intValue.map { $0 + 1 }
                }
                #expect(all.compactMap { $0["id"]?.stringValue } == ids, "seed \(seed): worker \(w)'s acknowledged appends")
                #expect(all.map { $0["version"]?.intValue ?? -1 } == (0..<Int64(ids.count)).map { $0 })
            }
            let verify = try await c.call("audit.verify")
            #expect(verify["ok"] == true, "seed \(seed): \(verify.compactString)")
        }
        // Every response conforms to the response schema (codes from the documented list).
        let lines = summary.responses.joined(separator: "\n") + "\n"
        if let dump = environment["SHIXIANG_FUZZ_DUMP"] { try lines.write(toFile: dump, atomically: true, encoding: .utf8) }
        let run = try await CommandRun.run("/usr/bin/env", ["python3", "\(SchemaConformanceTests.schemas)/validate.py", "rpc/response.schema.json", "-"],
                                           stdin: Data(lines.utf8))
        let invalid = run.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("instance "), let n = Int(line.dropFirst(9).prefix { $0.isNumber }), n < summary.responses.count else { return nil }
            return "\(line)\n  response: \(summary.responses[n].prefix(400))"
        }
        #expect(run.status == 0, "seed \(seed): \(invalid.prefix(5).joined(separator: "\n"))\n\(run.stderr.suffix(300))")
    }

    /// What the fuzzer found, kept as fixed cases: each crashed the daemon or broke the response
    /// schema before it was fixed.
    @Test func inputsTheFuzzerFoundAreAnsweredAndTheDaemonStaysUp() async throws {
        let daemon = try await DaemonProcess(label: "fzr")
        var responses: [JSONValue] = []
        try await daemon.withClient { c in
            _ = try await c.call("unit.register", ["code": .string(unitCode(1)), "name": "区市场监管局", "kind": "districtDepartment", "level": "4"])
            // Year 0000 in China Standard Time is year −1 in UTC: rendering it trapped.
            for (method, params) in [("supervision.overdue", #"{"asOf":"0000-01-01"}"#), ("ledger.get", #"{"unit":"\#(unitCode(1))","asOf":"0000-06-01T00:00:00Z"}"#),
                                     ("events.read", #"{"until":"0000-01-01"}"#), ("events.read", #"{"":3}"#)] {
                try await c.sendRaw(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8) + [0x0a])
                let r = try #require(try await c.readRawResponse(), "\(method) \(params): no answer")
                #expect(r["error"]?["code"] == .int(Int64(RPCErrorCode.invalidParams)), "\(r.compactString)")
                responses.append(r)
            }
            #expect(try await c.call("system.ping")["version"] != nil)
        }
        #expect(daemon.process?.isRunning == true)
        let run = try await CommandRun.run("/usr/bin/env", ["python3", "\(SchemaConformanceTests.schemas)/validate.py", "rpc/response.schema.json", "-"],
                                           stdin: Data((responses.map(\.compactString).joined(separator: "\n") + "\n").utf8))
        #expect(run.status == 0, "\(run.stdout)")
    }

    /// One worker's run: fuzz cases on one long-lived connection, interleaved with good appends
    /// (returned, in order), pipelined bursts, and connection-level abuse on short-lived ones.
    static func work(_ w: Int, cases: Int, _ g: inout FuzzGenerator, daemon: DaemonProcess, tally: Tally, seed: UInt64) async throws -> [String] {
        var acknowledged: [String] = []
        var done = 0
        try await daemon.withClient { client in
            while done < cases {
                let roll = g.int(0...99)
                if roll < 12 {
                    // A good append, expecting the stream's exact version: nothing else may touch it.
                    let id = UUID(uuidString: String(format: "%08lx-0000-4000-8000-%012lx", w, acknowledged.count))!.uuidString.lowercased()
                    let r = try await client.call("events.append", ["stream": .string("fuzz/\(w)"), "expectedVersion": acknowledged.isEmpty ? "noStream" : .int(Int64(acknowledged.count - 1)),
                                                                    "events": [["id": .string(id), "type": "fuzz.good.v1", "data": ["n": .int(Int64(done))]]]])
                    if r["version"]?.intValue != Int64(acknowledged.count) { tally.problem("good append of worker \(w): \(r.compactString)") }
                    acknowledged.append(id)
                    tally.count("good append")
                    done += 1
                } else if roll < 14 {
                    done += try await abuseConnection(g.int(0...4), &g, daemon: daemon, tally: tally)
                } else if roll < 16 {
                    done += try await pipelined(client, &g, worker: w, tally: tally)
                } else {
                    let c = g.next()
                    try await client.sendRaw(c.line + [UInt8(ascii: "\n")])
                    let response = try await client.readRawResponse()
                    if let response { tally.keep(response) }
                    if let p = problem(with: response, for: c) {
                        tally.problem("worker \(w), \(c.label): \(p)\n  sent: \(String(decoding: c.line.prefix(300), as: UTF8.self))")
                        if response == nil { return }  // the connection is gone; the problem is recorded
                    }
                    tally.count(c.label.hasPrefix("mutated") ? "mutated" : c.label.hasPrefix("number") || c.label.hasPrefix("numeric") ? "numbers" : c.label)
                    done += 1
                }
            }
        }
        return acknowledged
    }

    /// Requests written back to back in one write, answered by id (fast-path answers may overtake).
    static func pipelined(_ client: RegistryClient, _ g: inout FuzzGenerator, worker: Int, tally: Tally) async throws -> Int {
        var lines: [UInt8] = []
        var expected: [JSONValue: Set<Int>?] = [:]
        for _ in 0..<g.int(2...40) {
            let n = g.id()
            switch g.int(0...3) {
            case 0:
                lines += Array(g.request(n, "events.append", #"{"stream":"burst/\#(worker)","expectedVersion":"any","events":[{"type":"fuzz.burst.v1","data":{}}]}"#).utf8)
                expected[.int(n)] = .some(nil)
            case 1: lines += Array(g.request(n, "system.ping", nil).utf8); expected[.int(n)] = .some(nil)
            case 2: lines += Array(g.request(n, "events.append", #"{"stream":"burst","expectedVersion":"any","events":[]}"#).utf8); expected[.int(n)] = FuzzGenerator.params
            default: lines += Array(g.request(n, "nope.\(n)", "[]").utf8); expected[.int(n)] = FuzzGenerator.notFound
            }
            lines.append(UInt8(ascii: "\n"))
        }
        try await client.sendRaw(lines)
        var remaining = expected
        for _ in 0..<expected.count {
            guard let r = try await client.readRawResponse() else { tally.problem("pipelined: connection closed"); break }
            tally.keep(r)
            let id = r["id"] ?? .null
            guard let codes = remaining.removeValue(forKey: id) else { tally.problem("pipelined: unexpected answer \(r.compactString.prefix(200))"); continue }
            if let p = shape(r) ?? codeProblem(r, codes) { tally.problem("pipelined: \(p)") }
        }
        tally.count("pipelined", expected.count)
        return expected.count
    }

    /// Connection-level abuse on a connection of its own: an oversized line (with or without a
    /// newline), a half-written line then a hang-up, requests sent without waiting for answers, a
    /// subscription left open by a peer that hangs up.
    static func abuseConnection(_ kind: Int, _ g: inout FuzzGenerator, daemon: DaemonProcess, tally: Tally) async throws -> Int {
        tally.state.withLock { $0.connections += 1 }
        let extra = g.int(1...maxLine)  // the whole line fits the socket's buffer, so it is sent before the daemon hangs up
        let n = g.id()
        let half = g.request(n, "events.append", #"{"stream":"half","expectedVersion":"any","events":[{"type":"t","data":{}}]}"#)
        let cut = g.int(1...half.utf8.count - 1)
        do {
          try await daemon.withClient { client in
            switch kind {
            case 0, 1:  // too long: answered with −32004, then the daemon hangs up
                let body = String(repeating: "x", count: maxLine + extra)
                try await client.sendRaw(Array((kind == 0 ? #"{"jsonrpc":"2.0","id":1,"method":"system.ping","params":{"x":"\#(body)"}}"# + "\n" : body).utf8))
                let r = try await client.readRawResponse()
                if let r { tally.keep(r) }
                if r?["error"]?["code"] != .int(Int64(RPCErrorCode.requestTooLarge)) { tally.problem("oversized line: \(r?.compactString.prefix(200) ?? "no answer")") }
                if let more = try await client.readRawResponse() { tally.problem("oversized line: the connection stayed open (\(more.compactString.prefix(100)))") }
                tally.count("oversized line")
            case 4:  // a live subscription, then gone without unsubscribing
                let r = try await client.call("events.subscribe", ["fromSeq": .int(Int64(g.int(1...50)))])
                if r["subscription"] == nil { tally.problem("subscribe: \(r.compactString.prefix(200))") }
                if g.chance(0.5) { _ = try await client.nextNotification() }
                tally.count("subscribe + hang-up")
            case 2:  // half a line, then gone
                try await client.sendRaw(Array(half.utf8.prefix(cut)))
                tally.count("half line + hang-up")
            default:  // requests sent, answers never read
                var burst: [UInt8] = []
                for _ in 0..<g.int(1...30) { burst += Array(half.utf8) + [UInt8(ascii: "\n")] }
                try await client.sendRaw(burst + Array(half.utf8.prefix(cut)))
                tally.count("unread + hang-up")
            }
          }
        } catch {
            tally.problem("connection-level case \(kind): \(error)")
        }
        return 1
    }
}
