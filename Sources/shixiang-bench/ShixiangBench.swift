#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Dispatch
import Foundation
import Synchronization

/// `shixiang-bench`: figures of the daemon next to raw C baselines measured in the same run.
@main
struct ShixiangBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shixiang-bench",
        abstract: "Benchmarks of shixiangd and the registry, each next to a raw C baseline measured in the same run.",
        subcommands: [LogBench.self, RegistryBench.self, FoldProfileBench.self, ArchiveBench.self, ReplayBench.self, EchoServer.self],
        defaultSubcommand: LogBench.self)
}

/// `shixiang-bench echo-server`: the raw C echo server in a process of its own, for `log`'s
/// round-trip baseline; serves until its standard input ends.
struct EchoServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-server",
        abstract: "Serve a raw C newline echo on a Unix socket until standard input ends (used by `log`).",
        shouldDisplay: false)

    @Option(help: "The socket to listen on.")
    var socket: String

    func run() throws {
        try CBaselineBench.serveEcho(socketPath: socket)
    }
}

/// `shixiang-bench log`: the daemon's durable appends and round trips, next to raw C baselines
/// measured in the same run, with the issue's targets checked.
struct LogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Benchmark shixiangd against raw C LMDB commits and a raw Unix-socket echo, in one run.",
        discussion: """
            Starts the real shixiangd (by default the one next to this binary) on a fresh data \
            directory and socket under --work-dir, and measures, back to back: raw LMDB durable \
            commits of 1 event, the daemon's 1-client durable append, raw commits of 100 events, \
            the leanest group-committing daemon in C under N C clients (the ceiling of any \
            daemon's N-client rate here), the daemon under N concurrent clients, the daemon's \
            system.ping and a raw C echo \
            (served by a process of its own, like the daemon, and by a thread of this one). \
            Then checks: 1-client append p50 <= 2x raw commit p50; N-client events/s >= 25% of \
            the raw 100-per-txn rate; ping p50 <= 2x the echo server process's p50. Build it \
            with -c release.
            """)

    @Option(help: "The shixiangd binary (default: shixiangd next to this executable).")
    var daemon: String?

    @Option(help: "Timed appends of the single-client test.")
    var appends: Int = 2000

    @Option(help: "Concurrent clients of the throughput test (each its own connection).")
    var clients: Int = 32

    @Option(help: "Timed appends per client in the throughput test.")
    var perClient: Int = 200

    @Option(help: "Timed system.ping round trips (and as many raw echo round trips).")
    var pings: Int = 5000

    @Option(help: "Rounds the round trips are interleaved in (each kind measured for pings/rounds in every round).")
    var pingRounds: Int = 10

    @Option(help: "Untimed appends and pings before each timed loop (spread over the clients in the throughput test).")
    var warmup: Int = 200

    @Option(help: "Raw C durable commits of 1 event.")
    var rawCommits: Int = 2000

    @Option(help: "Raw C durable commits of 100 events.")
    var rawBatches: Int = 300

    @Option(help: "Bytes of each event's data (canonical JSON) and of each raw LMDB value.")
    var eventBytes: Int = 600

    @Option(help: "CSV of service items to build event data from (generated text if unreadable).")
    var items: String = "/work/shared/data/guangan-items.csv"

    @Option(help: "Directory to create the run's temporary directory in (keep it short: the socket path must stay under 108 bytes).")
    var workDir: String = "/tmp"

    @Flag(help: "Keep the run's directory (daemon log, LMDB files) instead of deleting it.")
    var keep = false

    @Flag(help: "Print the figures as one JSON object instead of the report.")
    var json = false

    func validate() throws {
        for (name, value) in [("appends", appends), ("clients", clients), ("per-client", perClient), ("pings", pings), ("ping-rounds", pingRounds),
                              ("raw-commits", rawCommits), ("raw-batches", rawBatches)] where value < 1 {
            throw ValidationError("--\(name) must be at least 1")
        }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard (64...65536).contains(eventBytes) else { throw ValidationError("--event-bytes must be between 64 and 65536") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let daemonPath = try resolveDaemon()
        let work = try makeWorkDirectory()
        let interrupts = Interrupts.install(workDirectory: keep ? nil : work)
        defer {
            withExtendedLifetime(interrupts) {}
            if !keep { try? FileManager.default.removeItem(atPath: work) }
        }
        let payloads = EventPayloads(csvPath: items, targetBytes: eventBytes)
        progress("work dir \(work); starting \(daemonPath)")
        let daemon = try await DaemonProcess.start(executable: daemonPath, dataDirectory: work + "/data",
                                                   socketPath: work + "/s.sock", logPath: work + "/shixiangd.log")
        Interrupts.daemonPID.store(daemon.pid, ordering: .sequentiallyConsistent)
        let measured: Measured
        do {
            measured = try await measure(daemon: daemon, payloads: payloads, work: work)
        } catch {
            let how = await daemon.stop()
            Interrupts.daemonPID.store(0, ordering: .sequentiallyConsistent)
            progress("failed; daemon stopped (\(how)). Its log ends:\n\(daemon.logTail())")
            throw error
        }
        let how = await daemon.stop()
        Interrupts.daemonPID.store(0, ordering: .sequentiallyConsistent)

        let report = BenchReport(
            setup: .init(daemon: daemonPath, workDirectory: work + (keep ? "" : " (deleted)"),
                         cores: ProcessInfo.processInfo.activeProcessorCount,
                         eventDataBytes: payloads.sizeRange, eventDataSource: payloads.source,
                         startedAt: ISO8601DateFormatter().string(from: Date())),
            rawSingleCommit: measured.rawSingle, daemonSingleClient: measured.daemonSingle,
            daemonSingleMinimalClient: measured.daemonSingleRaw, rawIndexedSingleCommit: measured.rawIndexedSingle,
            rawBatchCommit: measured.rawBatch, rawDaemonConcurrent: measured.rawDaemons, daemonConcurrent: measured.daemonConcurrent,
            rawEcho: measured.trips.echoThread, rawEchoProcess: measured.trips.echoProcess, daemonPing: measured.trips.ping,
            daemonPingMinimalClient: measured.trips.pingMinimal, roundTripRounds: measured.trips.rounds, pingRatioByRound: measured.trips.pingRatios,
            daemonLogProblems: daemon.logProblems(), daemonStop: how,
            wallSeconds: (clock.now - began).seconds)
        print(json ? try report.json() : report.text())
    }

    /// Figures in the order they are measured.
    private struct Measured {
        var rawSingle: LMDBCommitFigures
        var daemonSingle: AppendFigures
        var daemonSingleRaw: RawLineClient.Figures
        var rawIndexedSingle: LMDBCommitFigures
        var rawBatch: LMDBCommitFigures
        var rawDaemons: [DaemonCeilingFigures]
        var daemonConcurrent: AppendFigures
        var trips: RoundTripBench.Figures
    }

    /// Runs every test. Each raw durable test runs right before the daemon test it is compared
    /// with, so both see the disk in the same mood.
    private func measure(daemon: DaemonProcess, payloads: EventPayloads, work: String) async throws -> Measured {
        let rawDirectory = work + "/raw-lmdb"
        progress("raw LMDB: \(rawCommits) durable commits of 1 event")
        let rawSingle = try await CBaselineBench.lmdbAppend(directory: rawDirectory, eventsPerTxn: 1, txns: rawCommits, valueBytes: eventBytes)
        progress("daemon: \(appends) appends, 1 client (after \(warmup) warm-up)")
        let daemonSingle = try await AppendBench.run(daemon: daemon, payloads: payloads, clients: 1, perClient: appends,
                                                     warmupPerClient: warmup)
        progress("daemon: \(appends) appends, 1 minimal blocking client")
        let appendLines = (0..<(min(warmup, 50) + appends)).map { i in
            RawLineClient.requestLine(id: i + 1, method: "events.append", params: payloads.appendParams(i * 31 + 5))
        }
        let daemonSingleRaw = try await RawLineClient.run(socketPath: daemon.socketPath, warmup: Array(appendLines.prefix(min(warmup, 50))),
                                                          lines: Array(appendLines.dropFirst(min(warmup, 50))))
        progress("raw LMDB, three trees (events and both indexes in every commit): \(rawCommits) durable commits of 1 event")
        let rawIndexedSingle = try await CBaselineBench.lmdbAppend(directory: rawDirectory, eventsPerTxn: 1, txns: rawCommits,
                                                                   valueBytes: eventBytes, indexedStreams: 1_131)
        progress("raw LMDB: \(rawBatches) durable commits of 100 events")
        let rawBatch = try await CBaselineBench.lmdbAppend(directory: rawDirectory, eventsPerTxn: 100, txns: rawBatches, valueBytes: eventBytes)
        // The warm-up spread over the clients, the same for the C daemon and the daemon.
        let concurrentWarmup = warmup > 0 ? max(1, warmup / clients) : 0
        // The daemon's own request line, so the C daemon reads and stores the same bytes.
        let ceilingLine = String(decoding: RawLineClient.requestLine(id: 1, method: "events.append", params: payloads.appendParams(7)), as: UTF8.self)
        var rawDaemons: [DaemonCeilingFigures] = []
        for gather in [0, 400] {
            progress("C group-commit daemon (\(gather == 0 ? "takes what is queued" : "waits <=\(gather) us for the writers it answered")): \(clients) C clients x \(perClient) appends")
            rawDaemons.append(try await CBaselineBench.daemonAppend(
                directory: rawDirectory, socketPath: work + "/c.sock", line: ceilingLine, clients: clients, perClient: perClient,
                warmup: concurrentWarmup, gatherMicros: gather))
        }
        progress("daemon: \(clients) clients x \(perClient) appends")
        let daemonConcurrent = try await AppendBench.run(daemon: daemon, payloads: payloads, clients: clients, perClient: perClient,
                                                         warmupPerClient: concurrentWarmup)
        progress("round trips: \(pings) each of daemon system.ping (client library, minimal client) and raw C echo (server process, server thread), interleaved in \(pingRounds) rounds")
        let trips = try await RoundTripBench.run(daemon: daemon, work: work, count: pings, warmup: warmup, rounds: pingRounds)
        return Measured(rawSingle: rawSingle, daemonSingle: daemonSingle, daemonSingleRaw: daemonSingleRaw,
                        rawIndexedSingle: rawIndexedSingle, rawBatch: rawBatch, rawDaemons: rawDaemons,
                        daemonConcurrent: daemonConcurrent, trips: trips)
    }

    /// `--daemon`, or `shixiangd` in this executable's directory.
    private func resolveDaemon() throws -> String {
        let path: String
        if let daemon {
            path = daemon
        } else if let me = Bundle.main.executableURL {
            path = me.deletingLastPathComponent().appendingPathComponent("shixiangd").path
        } else {
            throw BenchError.setup("cannot tell where this executable is; pass --daemon PATH")
        }
        guard access(path, X_OK) == 0 else {
            throw BenchError.setup("""
                no executable shixiangd at \(path). Build it into the same directory \
                (swift build -c release --product shixiangd with the same --scratch-path) or pass --daemon PATH.
                """)
        }
        return path
    }

    /// A fresh `shxb-XXXXXX` directory under `--work-dir`, checked to keep the socket path short
    /// and to be on a real disk.
    private func makeWorkDirectory() throws -> String {
        var template = Array((workDir + "/shxb-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        }
        guard let work = made else {
            throw BenchError.setup("cannot create a directory in \(workDir): \(String(cString: strerror(errno)))")
        }
        guard (work + "/s.sock").utf8.count < 108 else {
            try? FileManager.default.removeItem(atPath: work)
            throw BenchError.setup("--work-dir \(workDir) is too long for a Unix socket path (must stay under 108 bytes)")
        }
        if Self.filesystemType(of: work) == "tmpfs" {
            progress("WARNING: \(workDir) is a tmpfs: durable commits will not touch a disk; use --work-dir on a real disk")
        }
        return work
    }

    /// The type of the filesystem `path` is on (longest matching mount point in /proc/mounts), if known.
    static func filesystemType(of path: String) -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return nil }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3 else { continue }
            let point = String(f[1])
            let inside = point == "/" || path == point || path.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, String(f[2])) }
        }
        return best?.type
    }
}

/// Progress lines go to stderr, so `--json` output on stdout stays one object.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("shixiang-bench: \(message)\n".utf8))
}

/// On SIGINT or SIGTERM, stop the daemon (it must not outlive the benchmark), delete the run's
/// directory and exit.
enum Interrupts {
    /// The daemon to stop; 0 when none is running.
    static let daemonPID = Atomic<Int32>(0)

    /// Installs the handlers; keep the result alive for as long as they should stay installed.
    static func install(workDirectory: String?) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let pid = daemonPID.load(ordering: .sequentiallyConsistent)
                if pid > 0 {
                    kill(pid, SIGTERM)
                    var status: Int32 = 0
                    for _ in 0..<500 where waitpid(pid, &status, WNOHANG) == 0 { usleep(10_000) }
                }
                if let workDirectory { try? FileManager.default.removeItem(atPath: workDirectory) }
                progress("interrupted; daemon stopped")
                exit(130)
            }
            source.resume()
            return source
        }
    }
}
