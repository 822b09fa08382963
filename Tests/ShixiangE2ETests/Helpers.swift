import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// Params of an `events.append` of `count` small events.
func appendParams(stream: String, expected: JSONValue = "any", count: Int = 1, ids: [String]? = nil, payload: JSONValue = ["名称": "企业投资项目备案"]) -> JSONValue {
    var events: [JSONValue] = []
    for i in 0..<count {
        var e: [String: JSONValue] = ["type": "test.recorded.v1", "data": payload]
        if let ids { e["id"] = .string(ids[i]) }
        events.append(.object(e))
    }
    return ["stream": .string(stream), "expectedVersion": expected, "events": .array(events)]
}

/// The error a call fails with (or `nil` if it succeeds).
func rpcError(_ body: () async throws -> JSONValue) async -> RPCError? {
    do { _ = try await body(); return nil } catch let e as RPCError { return e } catch { return nil }
}

/// Every event of the log, paging through `events.read`.
func allEvents(_ client: RegistryClient) async throws -> [JSONValue] {
    var out: [JSONValue] = []
    var next: Int64? = 1
    while let from = next {
        let page = try await client.call("events.read", ["fromSeq": .int(from), "limit": 1000])
        out.append(contentsOf: page["events"]?.arrayValue ?? [])
        next = page["nextSeq"]?.intValue
    }
    return out
}

/// Validates collected results against `Schemas/methods/<method>.result.schema.json` with Python
/// `jsonschema` (through `Schemas/validate.py`), recording an issue for each method that fails.
func expectResultsMatchSchemas(_ results: [String: [JSONValue]]) async throws {
    for (method, instances) in results {
        let lines = instances.map(\.compactString).joined(separator: "\n") + "\n"
        let run = try await CommandRun.run("/usr/bin/env", ["python3", "\(SchemaConformanceTests.schemas)/validate.py", "methods/\(method).result.schema.json", "-"],
                                           stdin: Data(lines.utf8))
        #expect(run.status == 0, "\(method): \(run.stdout)\(run.stderr)")
    }
}

/// Results of calls by method, to check against their schemas at the end of a test.
final class ResultLog {
    private(set) var results: [String: [JSONValue]] = [:]

    /// Calls `method` on `client` and keeps its result.
    func call(_ client: RegistryClient, _ method: String, _ params: JSONValue) async throws -> JSONValue {
        let r = try await client.call(method, params)
        results[method, default: []].append(r)
        return r
    }
}
