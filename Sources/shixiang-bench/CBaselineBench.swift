import CBaseline
import Foundation

/// Raw LMDB durable commits, in C, shaped like the daemon's appends.
struct LMDBCommitFigures: Sendable, Codable, Equatable {
    /// Events put in each write transaction.
    var eventsPerTxn: Int
    /// Timed transactions.
    var txns: Int
    /// Bytes per value.
    var valueBytes: Int
    /// Wall time of all timed transactions, s.
    var seconds: Double
    /// Events per second.
    var eventsPerSecond: Double
    /// Transactions (durable commits) per second.
    var txnsPerSecond: Double
    /// Per-transaction latency, from `mdb_txn_begin` to the return of `mdb_txn_commit`.
    var commitLatency: LatencySummary
    /// CPU (user + system, of this process, i.e. of the C code) per event, µs.
    var cpuMicrosPerEvent: Double
}

/// Raw newline-delimited round trips over a Unix socket, in C: the floor under any daemon request.
struct EchoFigures: Sendable, Codable, Equatable {
    /// Timed round trips.
    var roundTrips: Int
    /// Bytes per line, including the newline.
    var lineBytes: Int
    /// Round trips per second.
    var perSecond: Double
    /// Per-round-trip latency.
    var latency: LatencySummary
}

/// The leanest group-committing daemon, in C, under N closed-loop C clients (`cb_daemon_append_bench`):
/// the ceiling under the daemon's N-client throughput on this machine.
struct DaemonCeilingFigures: Sendable, Codable, Equatable {
    /// Concurrent clients.
    var clients: Int
    /// Timed appends per client.
    var perClient: Int
    /// How long the committer waits for the writers it just answered (0: it takes what is queued, as the daemon does).
    var gatherMicros: Int
    /// Bytes of each request line (the daemon's own append request), including the newline.
    var lineBytes: Int
    /// Timed appends per second, all clients.
    var eventsPerSecond: Double
    /// Per-append latency, as each client saw it.
    var latency: LatencySummary
    /// Durable commits and the events in them, warm-up included.
    var commits: Int
    var eventsPerCommit: Double
    /// Mean time of a commit (puts, page writes, syncs), µs.
    var meanCommitMicros: Double
    /// CPU (user + system) of this process, server and clients together, per append (warm-up included), µs.
    var cpuMicrosPerEvent: Double
}

/// Calls into CBaseline. Each call runs on its own OS thread: they block (fsync, blocking socket
/// reads) and must not hold one of the two Swift concurrency threads meanwhile.
enum CBaselineBench {
    /// A fresh LMDB environment in `directory`, then `txns` durable commits of `eventsPerTxn` values of `valueBytes`.
    /// With `indexedStreams`, the daemon's layout: each event also indexed by stream (that many
    /// streams) and by a random id, in the same commit (`cb_lmdb_append_indexed_bench`).
    static func lmdbAppend(directory: String, eventsPerTxn: Int, txns: Int, valueBytes: Int,
                           indexedStreams: Int? = nil) async throws -> LMDBCommitFigures {
        try await onOwnThread {
            var latencies = [Double](repeating: 0, count: txns)
            var seconds = 0.0
            let cpuBefore = CPUTime.ofSelf()
            let rc = latencies.withUnsafeMutableBufferPointer { buffer in
                if let streams = indexedStreams {
                    return cb_lmdb_append_indexed_bench(directory, Int32(eventsPerTxn), Int32(txns), Int32(valueBytes), Int32(streams),
                                                        buffer.baseAddress, &seconds)
                }
                return cb_lmdb_append_bench(directory, Int32(eventsPerTxn), Int32(txns), Int32(valueBytes), buffer.baseAddress, &seconds)
            }
            try check(rc, "cb_lmdb_append\(indexedStreams == nil ? "" : "_indexed")_bench(\(directory), \(eventsPerTxn) per txn)")
            let cpu = CPUTime.ofSelf() - cpuBefore
            let events = Double(eventsPerTxn * txns)
            return LMDBCommitFigures(eventsPerTxn: eventsPerTxn, txns: txns, valueBytes: valueBytes, seconds: seconds,
                                     eventsPerSecond: seconds > 0 ? events / seconds : 0,
                                     txnsPerSecond: seconds > 0 ? Double(txns) / seconds : 0,
                                     commitLatency: LatencySummary(microseconds: latencies),
                                     cpuMicrosPerEvent: cpu * 1e6 / events)
        }
    }

    /// The C group-committing daemon on `socketPath`, its log in a fresh environment in `directory`,
    /// under `clients` C clients each sending `line` `warmup` times untimed, then `perClient` times.
    static func daemonAppend(directory: String, socketPath: String, line: String, clients: Int, perClient: Int,
                             warmup: Int, gatherMicros: Int) async throws -> DaemonCeilingFigures {
        try await onOwnThread {
            var latencies = [Double](repeating: 0, count: clients * perClient)
            var figures = cb_daemon_figures()
            let cpuBefore = CPUTime.ofSelf()
            let rc = latencies.withUnsafeMutableBufferPointer { buffer in
                cb_daemon_append_bench(directory, socketPath, line, Int32(clients), Int32(perClient), Int32(warmup),
                                       Int32(gatherMicros), buffer.baseAddress, &figures)
            }
            try check(rc, "cb_daemon_append_bench(\(directory), \(clients) clients)")
            let cpu = CPUTime.ofSelf() - cpuBefore
            let appends = Double(figures.appends)
            return DaemonCeilingFigures(
                clients: clients, perClient: perClient, gatherMicros: gatherMicros, lineBytes: line.utf8.count + 1,
                eventsPerSecond: figures.seconds > 0 ? appends / figures.seconds : 0,
                latency: LatencySummary(microseconds: latencies), commits: Int(figures.commits),
                eventsPerCommit: figures.commits > 0 ? Double(figures.events) / Double(figures.commits) : 0,
                meanCommitMicros: figures.commits > 0 ? figures.commit_seconds * 1e6 / Double(figures.commits) : 0,
                cpuMicrosPerEvent: figures.events > 0 ? cpu * 1e6 / Double(figures.events) : 0)
        }
    }

    /// The C echo server on a thread of this process, listening on `socketPath` until ``stop()``.
    final class EchoServerThread: @unchecked Sendable {
        // @unchecked Sendable: `handle` is set at start and read by `stop` only.
        private var handle: UnsafeMutableRawPointer?

        init(socketPath: String) throws {
            try check(cb_echo_server_start(socketPath, &handle), "cb_echo_server_start(\(socketPath))")
        }

        func stop() throws {
            guard let h = handle else { return }
            handle = nil
            try check(cb_echo_server_stop(h), "cb_echo_server_stop")
        }
    }

    /// The C echo server in a process of its own (this executable's `echo-server` command), as the
    /// daemon is: client and server then cross the same process boundary as a client of the
    /// daemon, and the server shares nothing with the client's process (a server thread in it
    /// shares its address space and may be woken more cheaply). Listening once `start` returns.
    final class EchoServerProcess: @unchecked Sendable {
        // @unchecked Sendable: set up in `start`, then only stopped.
        private let server = Process()
        private let stdin = Pipe()

        static func start(socketPath: String) async throws -> EchoServerProcess {
            let s = EchoServerProcess()
            guard let me = Bundle.main.executableURL else { throw BenchError.setup("cannot tell where this executable is") }
            s.server.executableURL = me
            s.server.arguments = ["echo-server", "--socket", socketPath]
            s.server.standardInput = s.stdin
            try s.server.run()
            let deadline = ContinuousClock.now + .seconds(10)
            while !(CBaselineBench.accepts(socketPath)) {
                guard s.server.isRunning, ContinuousClock.now < deadline else {
                    s.stop()
                    throw BenchError.baseline("the echo server process did not start listening on \(socketPath)")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            return s
        }

        /// Closing its standard input stops it; it is killed if it lingers.
        func stop() {
            try? stdin.fileHandleForWriting.close()
            for _ in 0..<200 where server.isRunning { usleep(10_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        }
    }

    /// The C echo client against a server already listening on `socketPath`: `warmup` untimed, then
    /// `roundTrips` timed round trips of `line`; the latencies (µs) and the timed loop's seconds.
    /// Blocks: call it on a thread of its own.
    static func echoSamples(socketPath: String, line: String, roundTrips: Int, warmup: Int) throws -> (latencies: [Double], seconds: Double) {
        var latencies = [Double](repeating: 0, count: roundTrips)
        let clock = ContinuousClock()
        var rc = warmup > 0 ? cb_echo_client_bench(socketPath, line, Int32(warmup), nil) : 0
        let begin = clock.now
        if rc == 0 {
            rc = latencies.withUnsafeMutableBufferPointer { buffer in
                cb_echo_client_bench(socketPath, line, Int32(roundTrips), buffer.baseAddress)
            }
        }
        let seconds = (clock.now - begin).seconds
        try check(rc, "cb_echo_client_bench(\(socketPath))")
        return (latencies, seconds)
    }

    /// Serves `socketPath` with the C echo server until standard input ends (the `echo-server` command).
    static func serveEcho(socketPath: String) throws {
        var handle: UnsafeMutableRawPointer?
        try check(cb_echo_server_start(socketPath, &handle), "cb_echo_server_start(\(socketPath))")
        var scratch = [UInt8](repeating: 0, count: 256)
        while scratch.withUnsafeMutableBytes({ read(0, $0.baseAddress, $0.count) }) > 0 {}
        try check(cb_echo_server_stop(handle), "cb_echo_server_stop")
    }

    /// Whether something accepts connections on `path`.
    static func accepts(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    /// A line shaped like a JSON-RPC request, exactly `bytes` bytes, without a newline.
    static func echoLine(bytes: Int) -> String {
        var line = #"{"id":1,"jsonrpc":"2.0","method":"system.ping","params":{"pad":""#
        let tail = #""}}"#
        let pad = max(bytes - line.utf8.count - tail.utf8.count, 0)
        line += String(repeating: "x", count: pad) + tail
        return String(line.utf8.prefix(bytes)) ?? line
    }

    fileprivate static func check(_ rc: Int32, _ what: String) throws {
        guard rc == 0 else { throw BenchError.baseline("\(what) failed: \(String(cString: cb_strerror(rc))) (\(rc))") }
    }
}

/// Runs blocking `body` on a new OS thread and resumes with its result.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
