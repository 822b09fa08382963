import Foundation

/// What went wrong in a benchmark run.
enum BenchError: Error, CustomStringConvertible {
    /// The daemon could not be found, started or reached.
    case daemon(String)
    /// A CBaseline call failed.
    case baseline(String)
    /// The daemon answered something the benchmark did not expect.
    case unexpected(String)
    /// Bad options or environment.
    case setup(String)

    var description: String {
        switch self {
        case .daemon(let m): return "daemon: \(m)"
        case .baseline(let m): return "C baseline: \(m)"
        case .unexpected(let m): return "unexpected answer: \(m)"
        case .setup(let m): return m
        }
    }
}

/// One comparison against a target of the issue.
struct TargetCheck: Sendable, Codable, Equatable {
    /// Short name of the target.
    var name: String
    /// The rule, in words.
    var rule: String
    /// The measured ratio.
    var ratio: Double
    /// The bound the ratio is held to.
    var bound: Double
    /// `true` when the ratio is within the bound.
    var pass: Bool
}

/// Everything one run measured, in the order it was measured; encodes to the `--json` object.
struct BenchReport: Sendable, Codable {
    /// How the run was set up.
    struct Setup: Sendable, Codable {
        var daemon: String
        var workDirectory: String
        var cores: Int
        var eventDataBytes: ClosedRange<Int>
        var eventDataSource: String
        var startedAt: String
    }

    var setup: Setup
    /// Raw C LMDB, 1 event per durable commit.
    var rawSingleCommit: LMDBCommitFigures
    /// Daemon, 1 client, 1 event per `events.append`.
    var daemonSingleClient: AppendFigures
    /// Daemon, 1 minimal blocking client (no NIO, no parsing): the daemon's share of the latency.
    var daemonSingleMinimalClient: RawLineClient.Figures
    /// Raw C LMDB, 1 event per durable commit into three trees (events, by stream, by id): what a
    /// daemon writing both indexes in every commit would pay (a diagnostic; the daemon writes its
    /// indexes every `indexLag` events; the target compares with ``rawSingleCommit``).
    var rawIndexedSingleCommit: LMDBCommitFigures?
    /// Raw C LMDB, 100 events per durable commit.
    var rawBatchCommit: LMDBCommitFigures
    /// The leanest group-committing daemon in C under the same N clients, taking what is queued
    /// (as the daemon does), then waiting briefly for the writers it just answered: the ceiling
    /// of any daemon's N-client throughput on this machine (diagnostics).
    var rawDaemonConcurrent: [DaemonCeilingFigures]
    /// Daemon, N concurrent clients.
    var daemonConcurrent: AppendFigures
    /// Raw C Unix-socket echo, the server a thread of the benchmark's own process (a diagnostic).
    var rawEcho: EchoFigures
    /// Raw C Unix-socket echo, the server a process of its own like the daemon: the ping baseline.
    var rawEchoProcess: EchoFigures
    /// Daemon `system.ping`.
    var daemonPing: PingFigures
    /// Daemon `system.ping` from a minimal blocking client.
    var daemonPingMinimalClient: RawLineClient.Figures
    /// Rounds the four round-trip figures were measured in, interleaved (see ``RoundTripBench``).
    var roundTripRounds: Int
    /// Per round: the daemon's ping p50 over the echo's (server process) p50.
    var pingRatioByRound: [Double]
    /// Problems the daemon logged (warnings and worse) and how it stopped.
    var daemonLogProblems: [String]
    var daemonStop: String
    /// Total wall time of the run, s.
    var wallSeconds: Double

    /// The issue's three targets.
    var targets: [TargetCheck] {
        let appendRatio = ratio(daemonSingleClient.latency.p50, rawSingleCommit.commitLatency.p50)
        let throughputShare = ratio(daemonConcurrent.eventsPerSecond, rawBatchCommit.eventsPerSecond)
        let pingRatio = ratio(daemonPing.latency.p50, rawEchoProcess.latency.p50)
        return [
            TargetCheck(name: "append-latency", rule: "1-client append p50 <= 2x raw 1-event commit p50",
                        ratio: appendRatio, bound: 2, pass: appendRatio <= 2),
            TargetCheck(name: "append-throughput",
                        rule: "\(daemonConcurrent.clients)-client events/s >= 25% of raw 100-per-txn events/s",
                        ratio: throughputShare, bound: 0.25, pass: throughputShare >= 0.25),
            TargetCheck(name: "ping-latency", rule: "ping p50 <= 2x raw echo (server process) p50",
                        ratio: pingRatio, bound: 2, pass: pingRatio <= 2),
        ]
    }

    /// The report as one JSON object: `{"figures": {...}, "targets": [...]}`.
    func json() throws -> String {
        struct Recording: Encodable {
            var figures: BenchReport
            var targets: [TargetCheck]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(Recording(figures: self, targets: targets))
        return String(decoding: data, as: UTF8.self)
    }

    /// The report for people.
    func text() -> String {
        var out: [String] = []
        let s = setup
        out.append("Shixiang benchmark — \(s.startedAt), \(s.cores) cores, daemon \(s.daemon)")
        out.append("work dir \(s.workDirectory); event data \(s.eventDataBytes.lowerBound)–\(s.eventDataBytes.upperBound) B canonical JSON (\(s.eventDataSource))")
        out.append("NOTE: durable-write figures on this shared virtual disk swing ~2x between identical runs;")
        out.append("      compare the ratios (baseline and daemon measured back to back in this run), not absolute numbers.")
        out.append("      CPU figures: user+system time over each timed phase (10 ms ticks for the daemon) per operation;")
        out.append("      the clients run in this process and share the 2 cores with the daemon.")
        out.append("")
        out.append("Durable append, 1 event each (raw C commit, then the daemon right after)")
        out.append(row("raw LMDB, 1 ev/txn", rate: rawSingleCommit.eventsPerSecond, unit: "ev/s",
                       rawSingleCommit.commitLatency, n: rawSingleCommit.txns))
        out.append(row("daemon, 1 client", rate: daemonSingleClient.eventsPerSecond, unit: "ev/s",
                       daemonSingleClient.latency, n: daemonSingleClient.totalEvents))
        out.append(cpuLine(daemonSingleClient.cpu, per: "event", raw: rawSingleCommit.cpuMicrosPerEvent))
        if let g = daemonSingleClient.groupCommit {
            out.append("  " + pad("group commit", 26) + String(format: " %d commits, mean commit %.0f us (raw C commit p50 %.0f us)",
                                                               g.commits, g.meanCommitMicros, rawSingleCommit.commitLatency.p50))
        }
        out.append(compare("daemon / raw", daemonSingleClient.latency, rawSingleCommit.commitLatency,
                           rate: ratio(daemonSingleClient.eventsPerSecond, rawSingleCommit.eventsPerSecond)))
        out.append(row("  minimal blocking client", rate: daemonSingleMinimalClient.perSecond, unit: "ev/s",
                       daemonSingleMinimalClient.latency, n: daemonSingleMinimalClient.roundTrips))
        out.append(compare("  minimal / raw", daemonSingleMinimalClient.latency, rawSingleCommit.commitLatency,
                           rate: ratio(daemonSingleMinimalClient.perSecond, rawSingleCommit.eventsPerSecond)))
        if let floor = rawIndexedSingleCommit {
            out.append(row("  raw LMDB, 3 trees, 1 ev/txn", rate: floor.eventsPerSecond, unit: "ev/s", floor.commitLatency, n: floor.txns))
            out.append(compare("  daemon / raw 3 trees", daemonSingleClient.latency, floor.commitLatency,
                               rate: ratio(daemonSingleClient.eventsPerSecond, floor.eventsPerSecond)))
        }
        out.append("")
        out.append("Durable append throughput (raw C 100 events per commit, then the daemon under \(daemonConcurrent.clients) clients)")
        out.append(row("raw LMDB, 100 ev/txn", rate: rawBatchCommit.eventsPerSecond, unit: "ev/s",
                       rawBatchCommit.commitLatency, n: rawBatchCommit.txns, what: "commit"))
        out.append(row("daemon, \(daemonConcurrent.clients) clients", rate: daemonConcurrent.eventsPerSecond, unit: "ev/s",
                       daemonConcurrent.latency, n: daemonConcurrent.totalEvents))
        out.append(cpuLine(daemonConcurrent.cpu, per: "event", raw: rawBatchCommit.cpuMicrosPerEvent))
        if let g = daemonConcurrent.groupCommit {
            out.append("  " + pad("group commit", 26) + String(format: " %d commits, %.1f appends per commit, mean commit %.0f us (warm-up included)",
                                                               g.commits, g.writesPerCommit, g.meanCommitMicros))
        }
        out.append("  " + pad("daemon / raw", 26) + String(format: " %.1f%% of the raw 100-per-txn rate; %.1fx the daemon's 1-client rate",
                          100 * ratio(daemonConcurrent.eventsPerSecond, rawBatchCommit.eventsPerSecond),
                          ratio(daemonConcurrent.eventsPerSecond, daemonSingleClient.eventsPerSecond)))
        for ceiling in rawDaemonConcurrent {
            let policy = ceiling.gatherMicros > 0 ? "waits <=\(ceiling.gatherMicros) us" : "takes queued"
            out.append(row("  C daemon, \(policy)", rate: ceiling.eventsPerSecond, unit: "ev/s", ceiling.latency,
                           n: ceiling.clients * ceiling.perClient))
            out.append("  " + pad("  C daemon / raw", 26) + String(format: " %.1f%% of the raw 100-per-txn rate (%.1f appends per commit, mean commit %.0f us, CPU %.1f us per event)",
                              100 * ratio(ceiling.eventsPerSecond, rawBatchCommit.eventsPerSecond), ceiling.eventsPerCommit,
                              ceiling.meanCommitMicros, ceiling.cpuMicrosPerEvent))
        }
        if let best = rawDaemonConcurrent.map(\.eventsPerSecond).max() {
            out.append("  " + pad("  daemon / best C daemon", 26) + String(format: " %.1f%% of the leanest C daemon's rate with the same %d clients",
                              100 * ratio(daemonConcurrent.eventsPerSecond, best), daemonConcurrent.clients))
        }
        out.append("")
        out.append("Round trip on the Unix socket, 1 connection (raw C echo of a \(rawEcho.lineBytes)-byte line; daemon system.ping, \(daemonPing.requestBytes) B request / \(daemonPing.responseBytes) B response)")
        out.append(row("raw echo, server process", rate: rawEchoProcess.perSecond, unit: "rt/s", rawEchoProcess.latency, n: rawEchoProcess.roundTrips))
        out.append(row("daemon system.ping", rate: daemonPing.perSecond, unit: "rt/s", daemonPing.latency, n: daemonPing.roundTrips))
        out.append(cpuLine(daemonPing.cpu, per: "ping"))
        out.append(compare("daemon / raw", daemonPing.latency, rawEchoProcess.latency, rate: ratio(daemonPing.perSecond, rawEchoProcess.perSecond)))
        let byRound = pingRatioByRound.sorted()
        if let low = byRound.first, let high = byRound.last {
            out.append("  " + pad("per round", 26) + String(format: " p50 ratio median %.2fx, %.2f-%.2fx over %d interleaved rounds",
                                                               byRound[(byRound.count - 1) / 2], low, high, roundTripRounds))
        }
        out.append(row("  minimal blocking client", rate: daemonPingMinimalClient.perSecond, unit: "rt/s",
                       daemonPingMinimalClient.latency, n: daemonPingMinimalClient.roundTrips))
        out.append(compare("  minimal / raw", daemonPingMinimalClient.latency, rawEchoProcess.latency,
                           rate: ratio(daemonPingMinimalClient.perSecond, rawEchoProcess.perSecond)))
        out.append(row("  raw echo, server thread", rate: rawEcho.perSecond, unit: "rt/s", rawEcho.latency, n: rawEcho.roundTrips))
        out.append(compare("  daemon / thread echo", daemonPing.latency, rawEcho.latency, rate: ratio(daemonPing.perSecond, rawEcho.perSecond)))
        out.append("")
        out.append("Targets (daemon figures through ShixiangClient; \"minimal client\" lines are diagnostics, not targets)")
        for t in targets {
            let shown = t.name == "append-throughput" ? String(format: "%.1f%% (>= %.0f%%)", 100 * t.ratio, 100 * t.bound)
                                                       : String(format: "%.2fx (<= %.1fx)", t.ratio, t.bound)
            out.append("  " + (t.pass ? "PASS" : "MISS") + "  " + pad(t.rule, 60) + " " + shown)
        }
        out.append("")
        out.append("daemon stop: \(daemonStop); warnings/errors in its log: \(daemonLogProblems.isEmpty ? "none" : "\(daemonLogProblems.count)")")
        for line in daemonLogProblems.prefix(5) { out.append("  \(line)") }
        out.append(String(format: "wall time %.1f s", wallSeconds))
        return out.joined(separator: "\n")
    }

    private func row(_ label: String, rate: Double, unit: String, _ l: LatencySummary, n: Int, what: String = "latency") -> String {
        "  " + pad(label, 26) + String(format: " %9.0f %@   %@ p50 %8.1f us  p99 %8.1f us  max %9.1f us  (n=%d)",
                                       rate, unit as NSString, what as NSString, l.p50, l.p99, l.max, n)
    }

    private func compare(_ label: String, _ a: LatencySummary, _ b: LatencySummary, rate: Double) -> String {
        "  " + pad(label, 26) + String(format: " p50 %.2fx, p99 %.2fx; rate %.2fx", ratio(a.p50, b.p50), ratio(a.p99, b.p99), rate)
    }

    private func cpuLine(_ c: CPUCost, per: String, raw: Double? = nil) -> String {
        let daemon = c.daemonMicrosPerOp.map { String(format: "%.1f", $0) } ?? "?"
        let rawPart = raw.map { String(format: "; raw C %.1f us", $0) } ?? ""
        return "  " + pad("CPU per " + per, 26) + String(format: " daemon %@ us, bench clients %.1f us%@",
                                                         daemon as NSString, c.benchMicrosPerOp, rawPart as NSString)
    }

    private func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : .infinity }

    /// `text` padded with spaces to `width` characters (Foundation's `%-24@` does not pad on Linux).
    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
