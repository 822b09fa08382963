import Foundation
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
    /// The daemon's group commit over the run (warm-up included), from `system.stats`.
    var groupCommit: GroupCommitFigures?
}

/// How the daemon's commits were shared during a run: the difference of two `system.stats`.
struct GroupCommitFigures: Sendable, Codable, Equatable {
    var commits: Int
    var writes: Int
    var events: Int
    var commitSeconds: Double

    var writesPerCommit: Double { commits > 0 ? Double(writes) / Double(commits) : 0 }
    var meanCommitMicros: Double { commits > 0 ? commitSeconds / Double(commits) * 1e6 : 0 }

    /// The daemon's counters now.
    static func read(socketPath: String) throws -> GroupCommitFigures {
        try RegistryConnection.withConnection(socketPath: socketPath) { connection in
            let c = try connection.call("system.stats")["groupCommit"]
            return GroupCommitFigures(commits: Int(c?["commits"]?.intValue ?? 0), writes: Int(c?["writes"]?.intValue ?? 0),
                                      events: Int(c?["events"]?.intValue ?? 0), commitSeconds: c?["commitSeconds"]?.doubleValue ?? 0)
        }
    }

    static func - (a: GroupCommitFigures, b: GroupCommitFigures) -> GroupCommitFigures {
        GroupCommitFigures(commits: a.commits - b.commits, writes: a.writes - b.writes, events: a.events - b.events,
                           commitSeconds: a.commitSeconds - b.commitSeconds)
    }
}

/// `events.append` in closed loops: every client sends its next append when the last one is answered.
///
/// Each client is an OS thread with its own blocking ``RegistryConnection``: the figures are the
/// client library's own cost, with no Swift-concurrency hop per call.
enum AppendBench {
    /// Runs `clients` concurrent clients (each its own thread and connection) of `perClient` timed
    /// appends each, after `warmupPerClient` untimed ones. `clients == 1` is the single-client latency test.
    static func run(daemon: DaemonProcess, payloads: EventPayloads, clients: Int, perClient: Int,
                    warmupPerClient: Int) async throws -> AppendFigures {
        let gate = StartGate(parties: clients)
        let clock = ContinuousClock()
        let socketPath = daemon.socketPath
        let before = try? GroupCommitFigures.read(socketPath: socketPath)
        let ((latencies, seconds), cpu) = try await CPUCost.measure(daemon: daemon.pid, operations: clients * perClient) {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        try await onOwnThread {
                            do {
                                return try client(number: c, socketPath: socketPath, payloads: payloads,
                                                  count: perClient, warmup: warmupPerClient, gate: gate)
                            } catch {
                                gate.abandon()
                                throw error
                            }
                        }
                    }
                }
                var all: [Double] = []
                all.reserveCapacity(clients * perClient)
                for try await part in group { all.append(contentsOf: part) }
                let end = clock.now
                let start = gate.openedAt ?? end
                return (all, (end - start).seconds)
            }
        }
        let total = clients * perClient
        let after = try? GroupCommitFigures.read(socketPath: socketPath)
        return AppendFigures(clients: clients, eventsPerClient: perClient, totalEvents: total, seconds: seconds,
                             eventsPerSecond: seconds > 0 ? Double(total) / seconds : 0,
                             latency: LatencySummary(microseconds: latencies), cpu: cpu,
                             groupCommit: before.flatMap { b in after.map { $0 - b } })
    }

    /// One client, on its own thread: connect, warm up, wait at the gate, then `count` timed appends.
    /// Returns latencies (µs).
    private static func client(number: Int, socketPath: String, payloads: EventPayloads, count: Int, warmup: Int,
                               gate: StartGate) throws -> [Double] {
        try RegistryConnection.withConnection(socketPath: socketPath) { connection in
            // Spread the clients over the payloads (and so over streams).
            var index = number * 7919
            for _ in 0..<warmup {
                try append(connection, payloads.appendParams(index))
                index += 1
            }
            gate.arrive()
            let clock = ContinuousClock()
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            for _ in 0..<count {
                let params = payloads.appendParams(index)
                index += 1
                let started = clock.now
                try append(connection, params)
                latencies.append((clock.now - started).microseconds)
            }
            return latencies
        }
    }

    /// One `events.append`, checking that the daemon stored exactly one event.
    private static func append(_ connection: RegistryConnection, _ params: JSONValue) throws {
        let result = try connection.call("events.append", params)
        guard result["events"]?.arrayValue?.count == 1, result["duplicate"] == .bool(false) else {
            throw BenchError.unexpected("events.append answered \(result.canonicalString.prefix(300))")
        }
    }
}

/// Holds every client thread until all are connected and warmed up, so the timed window has the
/// full concurrency from its first request; records when it opened.
final class StartGate: @unchecked Sendable {
    // @unchecked Sendable: every field is read and written under `condition`.
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0
    private var opened: ContinuousClock.Instant?

    init(parties: Int) { self.parties = parties }

    /// When the last party arrived (or the gate was abandoned).
    var openedAt: ContinuousClock.Instant? {
        condition.lock()
        defer { condition.unlock() }
        return opened
    }

    /// Blocks the calling thread until all parties have arrived.
    func arrive() {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties { openLocked() }
        while opened == nil { condition.wait() }
    }

    /// Opens the gate early (a client failed), so no one waits forever.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        openLocked()
    }

    private func openLocked() {
        if opened == nil { opened = ContinuousClock.now }
        condition.broadcast()
    }
}
