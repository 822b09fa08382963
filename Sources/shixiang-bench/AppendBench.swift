import ShixiangClient
import ShixiangJSON

/// Figures of one durable-append run through the daemon.
struct AppendFigures: Sendable, Codable, Equatable {
    /// Concurrent clients, each on its own connection, each in a closed loop.
    var clients: Int
    /// Timed appends per client (one event per `events.append`).
    var eventsPerClient: Int
    /// Timed events in all.
    var totalEvents: Int
    /// Wall time from the moment every client was connected and warmed up to the last answer, s.
    var seconds: Double
    /// `totalEvents / seconds`.
    var eventsPerSecond: Double
    /// Per-call latency (send to parsed answer), over all clients.
    var latency: LatencySummary
    /// CPU cost per event of the daemon and of the benchmark's clients.
    var cpu: CPUCost
}

/// `events.append` in closed loops: every client sends its next append when the last one is answered.
enum AppendBench {
    /// Runs `clients` concurrent clients (each its own connection) of `perClient` timed appends
    /// each, after `warmupPerClient` untimed ones. `clients == 1` is the single-client latency test.
    static func run(daemon: DaemonProcess, payloads: EventPayloads, clients: Int, perClient: Int,
                    warmupPerClient: Int) async throws -> AppendFigures {
        let gate = StartGate(parties: clients)
        let clock = ContinuousClock()
        let ((latencies, seconds), cpu) = try await CPUCost.measure(daemon: daemon.pid, operations: clients * perClient) {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        do {
                            return try await client(number: c, socketPath: daemon.socketPath, payloads: payloads,
                                                    count: perClient, warmup: warmupPerClient, gate: gate)
                        } catch {
                            await gate.abandon()
                            throw error
                        }
                    }
                }
                var all: [Double] = []
                all.reserveCapacity(clients * perClient)
                for try await part in group { all.append(contentsOf: part) }
                let end = clock.now
                let start = await gate.openedAt ?? end
                return (all, (end - start).seconds)
            }
        }
        let total = clients * perClient
        return AppendFigures(clients: clients, eventsPerClient: perClient, totalEvents: total, seconds: seconds,
                             eventsPerSecond: seconds > 0 ? Double(total) / seconds : 0,
                             latency: LatencySummary(microseconds: latencies), cpu: cpu)
    }

    /// One client: connect, warm up, wait at the gate, then `count` timed appends. Returns latencies (µs).
    private static func client(number: Int, socketPath: String, payloads: EventPayloads, count: Int, warmup: Int,
                               gate: StartGate) async throws -> [Double] {
        try await RegistryClient.withConnection(socketPath: socketPath) { client in
            // Spread the clients over the payloads (and so over streams).
            var index = number * 7919
            for _ in 0..<warmup {
                try await append(client, payloads.appendParams(index))
                index += 1
            }
            await gate.arrive()
            let clock = ContinuousClock()
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            for _ in 0..<count {
                let params = payloads.appendParams(index)
                index += 1
                let started = clock.now
                try await append(client, params)
                latencies.append((clock.now - started).microseconds)
            }
            return latencies
        }
    }

    /// One `events.append`, checking that the daemon stored exactly one event.
    private static func append(_ client: RegistryClient, _ params: JSONValue) async throws {
        let result = try await client.call("events.append", params)
        guard result["events"]?.arrayValue?.count == 1, result["duplicate"] == .bool(false) else {
            throw BenchError.unexpected("events.append answered \(result.canonicalString.prefix(300))")
        }
    }
}

/// Holds every client until all are connected and warmed up, so the timed window has the full
/// concurrency from its first request; records when it opened.
actor StartGate {
    private let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// When the last party arrived (or the gate was abandoned).
    private(set) var openedAt: ContinuousClock.Instant?

    init(parties: Int) { self.parties = parties }

    /// Waits until all parties have arrived.
    func arrive() async {
        arrived += 1
        if arrived >= parties || openedAt != nil {
            open()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Opens the gate early (a client failed), so no one waits forever.
    func abandon() { open() }

    private func open() {
        if openedAt == nil { openedAt = ContinuousClock.now }
        let resumed = waiting
        waiting = []
        for continuation in resumed { continuation.resume() }
    }
}
