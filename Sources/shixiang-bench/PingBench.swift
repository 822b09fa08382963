import ShixiangClient
import ShixiangJSON

/// Figures of the `system.ping` round trip through the daemon.
struct PingFigures: Sendable, Codable, Equatable {
    /// Timed round trips.
    var roundTrips: Int
    /// Round trips per second on the one connection.
    var perSecond: Double
    /// Per-call latency (send to parsed answer).
    var latency: LatencySummary
    /// Size of a request line, bytes including the newline.
    var requestBytes: Int
    /// Size of a response line, bytes including the newline (approximate: the client does not expose it).
    var responseBytes: Int
    /// CPU cost per ping of the daemon and of the benchmark's client.
    var cpu: CPUCost
}

/// `system.ping` in a closed loop on one blocking connection of the client library
/// (``RegistryConnection/ping()``, which reads the result's fields without building a tree).
enum PingBench {
    /// `warmup` untimed pings, then `count` timed ones.
    static func run(daemon: DaemonProcess, count: Int, warmup: Int) async throws -> PingFigures {
        let clock = ContinuousClock()
        let socketPath = daemon.socketPath
        let ((latencies, seconds, sample), cpu) = try await CPUCost.measure(daemon: daemon.pid, operations: count) {
            // A thread of its own with the blocking connection: no Swift-concurrency hop per call.
            try await onOwnThread {
                try RegistryConnection.withConnection(socketPath: socketPath) { connection in
                    var sample: JSONValue = .null
                    for _ in 0..<max(warmup, 1) { sample = try connection.call("system.ping") }
                    // The timed calls read the typed result (as `shixiang ping` does), no JSON tree.
                    _ = try connection.ping()
                    var latencies: [Double] = []
                    latencies.reserveCapacity(count)
                    let begin = clock.now
                    for _ in 0..<count {
                        let started = clock.now
                        _ = try connection.ping()
                        latencies.append((clock.now - started).microseconds)
                    }
                    return (latencies, (clock.now - begin).seconds, sample)
                }
            }
        }
        // The client writes `{"id":N,"jsonrpc":"2.0","method":"system.ping"}` and the daemon answers
        // `{"id":N,"jsonrpc":"2.0","result":{...}}`; N has about as many digits as `count`.
        let id = JSONValue.int(Int64(count))
        let request: JSONValue = ["id": id, "jsonrpc": "2.0", "method": "system.ping"]
        let response: JSONValue = ["id": id, "jsonrpc": "2.0", "result": sample]
        return PingFigures(roundTrips: count, perSecond: seconds > 0 ? Double(count) / seconds : 0,
                           latency: LatencySummary(microseconds: latencies),
                           requestBytes: request.canonicalBytes().count + 1,
                           responseBytes: response.canonicalBytes().count + 1, cpu: cpu)
    }
}
