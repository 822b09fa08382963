import Foundation
import Synchronization
import Testing
@testable import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// The client library against the real daemon: the blocking ``RegistryConnection`` and the async
/// ``RegistryClient`` built on it.
@Suite struct ClientTests {
    /// Runs blocking client code on a thread of its own, never on the cooperative pool.
    func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// The `ClientError` `body` throws (or `nil`).
    func clientError(_ body: () throws -> Void) -> ClientError? {
        do { try body(); return nil } catch let e as ClientError { return e } catch { return nil }
    }

    @Test func requestLinesAreTheCanonicalRequestObjects() {
        let cases: [(Int64?, String, JSONValue?)] = [
            (1, "system.ping", nil), (nil, "events.append", appendParams(stream: "s/\"引号\"")),
            (Int64.max, "odd \u{1}\n\"method\\", ["b": [1, 2.5, "x"], "a": .null, "c": ["z": true]]), (-3, "m", [1, "二"]),
        ]
        for (id, method, params) in cases {
            let expected = RPCRequest(id: id.map(JSONValue.int), method: method, params: params).json.compactBytes() + [10]
            #expect(RegistryConnection.requestLine(id: id, method: method, params: params) == expected)
        }
    }

    @Test func blockingCallNotifyAndBatch() async throws {
        let daemon = try await DaemonProcess()
        let socket = daemon.socketPath
        try await onThread {
            try RegistryConnection.withConnection(socketPath: socket) { c in
                /// Polls the log head until it reaches `seq` (a notification gets no answer to wait for).
                func waitForHead(_ seq: Int64) throws -> Bool {
                    for _ in 0..<500 {
                        if try c.call("system.ping")["head"]?["seq"] == .int(seq) { return true }
                        usleep(10_000)
                    }
                    return false
                }
                #expect(try waitForHead(0))
                let refused = Result { try c.call("events.read", ["limit": "x"]) }
                #expect((refused.failureError as? RPCError)?.code == RPCErrorCode.invalidParams)
                try c.notify("events.append", appendParams(stream: "n"))
                #expect(try waitForHead(1))
                let answers = try c.batch([
                    RPCRequest(id: "a", method: "system.ping", params: nil),
                    RPCRequest(id: nil, method: "events.append", params: appendParams(stream: "n")),
                    RPCRequest(id: 7, method: "no.such", params: nil),
                ])
                #expect(answers.count == 2)
                #expect(Set(answers.compactMap { $0["id"] }) == ["a", 7])
                #expect(answers.first { $0["id"] == 7 }?["error"]?["code"] == .int(Int64(RPCErrorCode.methodNotFound)))
                #expect(try c.batch([RPCRequest(id: nil, method: "system.ping", params: nil)]).isEmpty)
                #expect(try waitForHead(2))
            }
        }
        try await daemon.withClient { client in
            try await client.notify("events.append", appendParams(stream: "n"))
            try await waitUntil("the notified append is stored") { try await client.call("system.ping")["head"]?["seq"] == 3 }
            let answers = try await client.batch([RPCRequest(id: 1, method: "system.ping", params: nil)])
            #expect(answers.first?["result"]?["head"]?["seq"] == 3)
        }
    }

    @Test func notificationsBeforeAResponseAreKeptInOrder() async throws {
        let daemon = try await DaemonProcess()
        let socket = daemon.socketPath
        try await daemon.withClient { _ = try await $0.call("events.append", appendParams(stream: "h", count: 50)) }
        try await onThread {
            try RegistryConnection.withConnection(socketPath: socket) { c in
                _ = try c.call("events.subscribe", ["fromSeq": 1])
                // The catch-up notifications come while these calls wait for their answers.
                for _ in 0..<5 { _ = try c.call("system.ping") }
                var seqs: [Int64] = []
                while seqs.count < 50, let n = try c.nextNotification(timeout: .seconds(10)) {
                    #expect(n.method == "events.event")
                    seqs.append(n.params["event"]?["seq"]?.intValue ?? -1)
                }
                #expect(seqs == Array(1...50))
                #expect(try c.nextNotification(timeout: .milliseconds(50)) == nil)
            }
        }
        // The same through the async client, and progress handed to a closure instead of kept.
        try await daemon.withClient { client in
            _ = try await client.call("events.subscribe", ["fromSeq": 41])
            var seen: [Int64] = []
            _ = try await client.call("system.ping") { n in seen.append(n.params["event"]?["seq"]?.intValue ?? -1) }
            _ = try await client.call("system.ping")
            while seen.count < 10, let n = try await client.nextNotification(timeout: .seconds(10)) {
                seen.append(n.params["event"]?["seq"]?.intValue ?? -1)
            }
            #expect(seen == Array(41...50))
            #expect(try await client.nextNotification(timeout: .milliseconds(50)) == nil)
        }
    }

    @Test func aResponseToAnotherRequestIsRefused() async throws {
        let daemon = try await DaemonProcess()
        let socket = daemon.socketPath
        try await onThread {
            try RegistryConnection.withConnection(socketPath: socket) { c in
                try c.sendRaw(Array(#"{"jsonrpc":"2.0","id":999,"method":"system.ping"}"#.utf8) + [10])
                let e = clientError { _ = try c.call("system.ping") }
                guard case .invalidResponse(let detail)? = e else { Issue.record("got \(String(describing: e))"); return }
                #expect(detail.contains("expected the response to request 1"))
                #expect(try c.readRawResponse()?["id"] == 1)
            }
        }
    }

    @Test func aResponseLineOverTheLimitIsAnInvalidResponse() async throws {
        let daemon = try await DaemonProcess()
        let socket = daemon.socketPath
        try await daemon.withClient { _ = try await $0.call("events.append", appendParams(stream: "big", payload: ["text": .string(String(repeating: "长", count: 300))])) }
        try await onThread {
            try RegistryConnection.withConnection(socketPath: socket, maxLineBytes: 200) { c in
                let ping = try c.call("system.ping")  // ~110 bytes: fits
                #expect(ping["head"] != nil)
                let e = clientError { _ = try c.call("events.read", ["fromSeq": 1]) }
                #expect(e == .invalidResponse("a response line exceeded 200 bytes"))
                #expect(clientError { _ = try c.call("system.ping") } == .invalidResponse("a response line exceeded 200 bytes"))
            }
        }
        await #expect(throws: ClientError.invalidResponse("a response line exceeded 200 bytes")) {
            try await RegistryClient.withConnection(socketPath: socket, maxLineBytes: 200) { try await $0.call("events.read", ["fromSeq": 1]) }
        }
    }

    @Test func theDaemonGoingAwayMidCallIsConnectionClosed() async throws {
        let daemon = try await DaemonProcess()
        let socket = daemon.socketPath
        let calls = Counter()
        async let blocking: ClientError? = onThread {
            let c = try RegistryConnection(socketPath: socket)
            defer { c.close() }
            do {
                while true {
                    _ = try c.call("events.append", appendParams(stream: "a"))
                    calls.value.add(1, ordering: .relaxed)
                }
            } catch let e as ClientError { return e }
        }
        async let viaAsync: ClientError? = daemon.withClient { client in
            do {
                while true {
                    _ = try await client.call("events.append", appendParams(stream: "b"))
                    calls.value.add(1, ordering: .relaxed)
                }
            } catch let e as ClientError { return e }
        }
        try await waitUntil("both clients are writing") { calls.value.load(ordering: .relaxed) >= 20 }
        try await daemon.kill()
        #expect(try await blocking == .connectionClosed)
        #expect(try await viaAsync == .connectionClosed)
    }

    @Test func connectFailuresSayWhy() async throws {
        let directory = try TemporaryDirectory("c")
        let missing = directory.file("none.sock")
        let e = clientError { _ = try RegistryConnection(socketPath: missing) }
        #expect(e == .cannotConnect(path: missing, reason: "no socket file there"))
        #expect(e?.description.contains("Is shixiangd running?") == true)

        // A socket file left by a daemon that died: nothing listens on it.
        let daemon = try await DaemonProcess()
        try await daemon.kill()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(clientError { _ = try RegistryConnection(socketPath: daemon.socketPath) }
                == .cannotConnect(path: daemon.socketPath, reason: "nothing is listening (a stale socket file?)"))
        await #expect(throws: ClientError.cannotConnect(path: daemon.socketPath, reason: "nothing is listening (a stale socket file?)")) {
            try await RegistryClient.withConnection(socketPath: daemon.socketPath) { _ in }
        }
        let long = "/tmp/" + String(repeating: "x", count: 120)
        guard case .cannotConnect(_, let reason)? = clientError({ _ = try RegistryConnection(socketPath: long) }) else {
            Issue.record("a too-long path connected"); return
        }
        #expect(reason.contains("too long"))
    }

    /// Far more connections waiting for notifications than the cooperative pool has threads: each
    /// async connection blocks a thread of its own, never the pool.
    @Test func manyConcurrentSubscriptionsDoNotStarveThePool() async throws {
        let daemon = try await DaemonProcess()
        let subscribers = 24
        let subscribed = Counter()
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<subscribers {
                group.addTask {
                    try await daemon.withClient { client in
                        _ = try await client.call("events.subscribe", ["stream": "fan"])
                        subscribed.value.add(1, ordering: .relaxed)
                        var last: Int64 = 0
                        while last < 3, let n = try await client.nextNotification() { last = n.params["event"]?["seq"]?.intValue ?? -1 }
                        return last
                    }
                }
            }
            try await waitUntil("every subscriber is live") { subscribed.value.load(ordering: .relaxed) == subscribers }
            // Meanwhile other connections still get through.
            try await daemon.withClient { client in
                #expect(try await client.call("system.stats")["connections"]?.intValue ?? 0 > Int64(subscribers))
                _ = try await client.call("events.append", appendParams(stream: "fan", count: 3))
            }
            for try await last in group { #expect(last == 3) }
        }
    }

    @Test func cancellingAWaitForNotificationsEndsIt() async throws {
        let daemon = try await DaemonProcess()
        let waiting = Counter()
        let task = Task {
            try await daemon.withClient { client in
                _ = try await client.call("events.subscribe", ["stream": "quiet"])
                waiting.value.store(1, ordering: .relaxed)
                return try await client.nextNotification()
            }
        }
        try await waitUntil("the subscriber waits") { waiting.value.load(ordering: .relaxed) == 1 }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let result = await task.result
        switch result {
        case .success(let n): #expect(n == nil)
        case .failure(let e): #expect(e as? ClientError == .connectionClosed)
        }
        #expect(try await daemon.withClient { try await $0.call("system.ping") }["head"]?["seq"] == 0)
    }
}

/// A counter shared by the tasks and threads of a test.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

extension Result {
    fileprivate var failureError: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
