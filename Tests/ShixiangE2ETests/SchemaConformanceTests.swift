import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangTestSupport

/// What the daemon says must match the contract in `Schemas/`, as an outside validator
/// (Python `jsonschema`, via `Schemas/validate.py`) sees it.
@Suite struct SchemaConformanceTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schemas").path

    /// Validates `instances` (as JSON lines) against `schema`; returns the validator's complaints.
    func validate(_ schema: String, _ instances: [JSONValue], pointer: String? = nil) async throws -> CommandRun {
        let python = try #require(try await CommandRun.runTool("python3", ["-c", "import jsonschema, referencing"]),
                                  "python3 is not installed")
        #expect(python.status == 0, "Python jsonschema is missing: pip install jsonschema (ops/install-deps --with-test-tools)")
        var args = ["\(Self.schemas)/validate.py"]
        if let pointer { args += ["--pointer", pointer] }
        args += [schema, "-"]
        let lines = instances.map(\.compactString).joined(separator: "\n") + "\n"
        return try await CommandRun.run("/usr/bin/env", ["python3"] + args, stdin: Data(lines.utf8))
    }

    @Test func schemasThemselvesAreValidAndMatchTheCode() async throws {
        let check = try await CommandRun.run("/usr/bin/env", ["python3", "\(Self.schemas)/validate.py", "--self-check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func liveResponsesMatchTheirSchemas() async throws {
        let daemon = try await DaemonProcess()
        var results: [String: [JSONValue]] = [:]
        var responses: [JSONValue] = []
        var notifications: [JSONValue] = []
        try await daemon.withClient { client in
            func record(_ method: String, _ params: JSONValue?) async throws {
                let result = try await client.call(method, params)
                results[method, default: []].append(result)
                responses.append(["jsonrpc": "2.0", "id": 1, "result": result])
            }
            try await record("system.ping", nil)
            try await record("events.append", appendParams(stream: "notes/000104002000", expected: "noStream", count: 2))
            try await record("events.append", ["stream": "s", "expectedVersion": "any", "events": [
                ["id": .string(UUID().uuidString.lowercased()), "type": "note.v1", "data": ["x": 1.5], "effectiveAt": "2026-12-01T09:00:00+08:00"],
            ]])
            try await record("events.read", nil)
            try await record("events.read", ["stream": "s", "until": "2099-01-01", "limit": 1])
            try await record("system.stats", nil)
            try await record("system.methods", nil)
            try await record("audit.verify", ["fromSeq": 1, "toSeq": 2])
            try await record("events.subscribe", ["fromSeq": 1])
            for _ in 0..<3 {
                if let n = try await client.nextNotification() {
                    notifications.append(["jsonrpc": "2.0", "method": .string(n.method), "params": n.params])
                }
            }
            try await record("events.unsubscribe", ["subscription": results["events.subscribe"]?.first?["subscription"] ?? .null])
            for line in [#"{"jsonrpc":"2.0","id":7,"method":"events.read","params":{"limt":1}}"#, "{oops", #"{"jsonrpc":"2.0","id":8,"method":"nope"}"#] {
                try await client.sendRaw(Array((line + "\n").utf8))
                if let r = try await client.readRawResponse() { responses.append(r) }
            }
        }
        for (method, instances) in results {
            let run = try await validate("methods/\(method).result.schema.json", instances)
            #expect(run.status == 0, "\(method): \(run.stdout)\(run.stderr)")
        }
        let all = try await validate("rpc/response.schema.json", responses)
        #expect(all.status == 0, "\(all.stdout)\(all.stderr)")
        #expect(notifications.count == 3)
        let notes = try await validate("rpc/notification.schema.json", notifications)
        #expect(notes.status == 0, "\(notes.stdout)\(notes.stderr)")
        let envelopes = try await validate("envelope.schema.json", results["events.read"]?.first?["events"]?.arrayValue ?? [])
        #expect(envelopes.status == 0, "\(envelopes.stdout)\(envelopes.stderr)")
    }

    @Test func theValidatorRejectsWhatTheContractForbids() async throws {
        let bad: [JSONValue] = [["head": ["seq": 1, "hash": "abc"], "version": "0.1.0"]]
        let run = try await validate("methods/system.ping.result.schema.json", bad)
        #expect(run.status == 1)
        #expect(run.stdout.contains("hash"))
    }
}
