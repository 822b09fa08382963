import Foundation
import Testing
import ShixiangJSON
import ShixiangTestSupport

@Suite struct CLITests {
    func cli(_ daemon: DaemonProcess, _ args: [String], stdin: Data? = nil) async throws -> CommandRun {
        try await CommandRun.run(try BuiltProducts.executable("shixiang"), args, environment: ["SHIXIANG_SOCKET": daemon.socketPath], stdin: stdin)
    }

    @Test func commandsWorkWithTextAndJSONOutput() async throws {
        let daemon = try await DaemonProcess()
        let ping = try await cli(daemon, ["ping"])
        #expect(ping.status == 0)
        #expect(ping.stdout.contains("is up at \(daemon.socketPath)"))

        let id = UUID().uuidString.lowercased()
        let add = try await cli(daemon, ["append", "--stream", "notes/000104002000", "--type", "note.v1", "--data", "{\"名称\":\"备案\"}", "--id", id])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("Appended 1 event to notes/000104002000: seq 1"))
        let again = try await cli(daemon, ["append", "--stream", "notes/000104002000", "--type", "note.v1", "--data", "{\"名称\":\"备案\"}", "--id", id])
        #expect(again.stdout.contains("Already stored"))

        let batch = try await cli(daemon, ["append", "--stream", "s", "--events", "-", "--json"],
                                  stdin: Data("[{\"type\":\"a.v1\",\"data\":{}},{\"type\":\"b.v1\",\"data\":{\"x\":1},\"effectiveAt\":\"2026-12-01\"}]".utf8))
        #expect(batch.status == 0, "\(batch.stderr)")
        let result = try JSONValue.parse(batch.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["firstSeq"] == 2 && result["lastSeq"] == 3)

        let read = try await cli(daemon, ["read", "--json"])
        let lines = read.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(try JSONValue.parse(lines[2])["effectiveAt"] == "2026-11-30T16:00:00.000000Z")
        let text = try await cli(daemon, ["read", "--stream", "s"])
        #expect(text.stdout.contains("#2") && text.stdout.contains("s@0") && !text.stdout.contains("#1 "))

        let stats = try await cli(daemon, ["stats", "--json"])
        #expect(try JSONValue.parse(stats.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["events"] == 3)

        let verify = try await cli(daemon, ["verify", "--chunk", "2"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("OK: 3 events verified"))

        let tail = try await cli(daemon, ["tail", "-n", "2"])
        #expect(tail.stdout.split(separator: "\n").count == 2)
    }

    @Test func exitCodesSayWhatWentWrong() async throws {
        let daemon = try await DaemonProcess()
        let refused = try await cli(daemon, ["append", "--stream", "s", "--type", "t", "--data", "{}", "--expected-version", "4"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("does not exist yet"))
        let usage = try await cli(daemon, ["append", "--stream", "s", "--type", "t", "--data", "{x"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--data is not valid JSON"))
        let unreachable = try await CommandRun.run(try BuiltProducts.executable("shixiang"), ["ping", "--socket", daemon.directory.file("none.sock")])
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr.contains("Is shixiangd running?"))
    }

    @Test func tailFollowsLiveEvents() async throws {
        let daemon = try await DaemonProcess()
        let out = daemon.directory.file("tail.out")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("shixiang"))
        tail.arguments = ["tail", "-f", "--json", "--socket", daemon.socketPath]
        tail.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        try tail.run()
        defer { tail.terminate() }
        try await Task.sleep(for: .milliseconds(300))
        try await daemon.withClient { client in
            for _ in 0..<3 { _ = try await client.call("events.append", appendParams(stream: "live")) }
        }
        var lines: [Substring] = []
        for _ in 0..<100 {
            lines = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n")
            if lines.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(lines.count == 3)
        #expect(try lines.map { try JSONValue.parse(String($0))["seq"] } == [1, 2, 3])
    }
}
