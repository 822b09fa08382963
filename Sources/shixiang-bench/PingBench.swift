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
    /// `warmup` untimed pings, then `count` timed ones on a new connection: the latencies (µs), the
    /// timed loop's seconds, and one result as the general path reads it (for the line sizes).
    /// Blocks: call it on a thread of its own.
    static func samples(socketPath: String, count: Int, warmup: Int) throws -> (latencies: [Double], seconds: Double, sample: JSONValue) {
        let clock = ContinuousClock()
        return try RegistryConnection.withConnection(socketPath: socketPath) { connection in
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

    /// The request and response line sizes (bytes, newlines included) of a ping whose result is
    /// `sample`, with an id of as many digits as `count`: `{"id":N,"jsonrpc":"2.0","method":"system.ping"}`
    /// and `{"id":N,"jsonrpc":"2.0","result":{...}}`.
    static func lineBytes(sample: JSONValue, count: Int) -> (request: Int, response: Int) {
        let id = JSONValue.int(Int64(count))
        let request: JSONValue = ["id": id, "jsonrpc": "2.0", "method": "system.ping"]
        let response: JSONValue = ["id": id, "jsonrpc": "2.0", "result": sample]
        return (request.canonicalBytes().count + 1, response.canonicalBytes().count + 1)
    }
}
