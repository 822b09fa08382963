import Foundation
import ShixiangJSON

/// The round trip on one Unix-socket connection: `system.ping` through the client library and
/// through a minimal client, and the raw C echo with its server in a process of its own (the
/// baseline) and on a thread of this one (a diagnostic).
///
/// Measured in interleaved rounds, each kind a slice of the count in every round (the order
/// reversed every other round), and the latencies of all rounds pooled per kind. On this virtual
/// machine a round trip's cost drifts by up to ~1.7× from one stretch of seconds to the next (the
/// same echo measured 10.8 µs, then 18 µs a minute later); kinds measured one after the other
/// then compare different machines, while interleaved ones see the same drift.
enum RoundTripBench {
    struct Figures: Sendable {
        var ping: PingFigures
        var pingMinimal: RawLineClient.Figures
        var echoProcess: EchoFigures
        var echoThread: EchoFigures
        var rounds: Int
        /// Per round: the daemon's ping p50 over the echo's (server process) p50.
        var pingRatios: [Double]
    }

    /// Samples and timed seconds of one kind, over the rounds.
    private struct Pool {
        var latencies: [Double] = []
        var seconds = 0.0
        mutating func add(_ samples: (latencies: [Double], seconds: Double)) {
            latencies += samples.latencies
            seconds += samples.seconds
        }
        var perSecond: Double { seconds > 0 ? Double(latencies.count) / seconds : 0 }
    }

    static func run(daemon: DaemonProcess, work: String, count: Int, warmup: Int, rounds: Int) async throws -> Figures {
        let rounds = max(1, min(rounds, count))
        let perRound = max(1, count / rounds)
        let warm = max(1, warmup / rounds)
        let socketPath = daemon.socketPath
        // One untimed ping for the line sizes: the echo's line is as long as a ping's two lines on average.
        let sample = try await onOwnThread { try PingBench.samples(socketPath: socketPath, count: 0, warmup: 1).sample }
        let sizes = PingBench.lineBytes(sample: sample, count: count)
        let echoLine = CBaselineBench.echoLine(bytes: max((sizes.request + sizes.response) / 2 - 1, 1))
        let pingLines = (0..<(warm + perRound)).map { RawLineClient.requestLine(id: $0 + 1, method: "system.ping", params: nil) }
        let processSocket = work + "/p.sock", threadSocket = work + "/e.sock"
        let process = try await CBaselineBench.EchoServerProcess.start(socketPath: processSocket)
        defer { process.stop() }
        let thread = try CBaselineBench.EchoServerThread(socketPath: threadSocket)
        defer { try? thread.stop() }

        var ping = Pool(), minimal = Pool(), echoProcess = Pool(), echoThread = Pool()
        var daemonCPU: Double? = 0, benchCPU = 0.0
        var ratios: [Double] = []
        for round in 0..<rounds {
            var pingP50 = 0.0, echoP50 = 0.0
            let kinds = round % 2 == 0 ? [0, 1, 2, 3] : [3, 2, 1, 0]
            for kind in kinds {
                switch kind {
                case 0:
                    let s = try await onOwnThread {
                        try CBaselineBench.echoSamples(socketPath: processSocket, line: echoLine, roundTrips: perRound, warmup: warm)
                    }
                    echoP50 = LatencySummary(microseconds: s.latencies).p50
                    echoProcess.add(s)
                case 1:
                    let (s, cpu) = try await CPUCost.measure(daemon: daemon.pid, operations: perRound) {
                        try await onOwnThread { try PingBench.samples(socketPath: socketPath, count: perRound, warmup: warm) }
                    }
                    pingP50 = LatencySummary(microseconds: s.latencies).p50
                    ping.add((s.latencies, s.seconds))
                    daemonCPU = daemonCPU.flatMap { total in cpu.daemonMicrosPerOp.map { total + $0 * Double(perRound) } }
                    benchCPU += cpu.benchMicrosPerOp * Double(perRound)
                case 2:
                    let s = try await onOwnThread {
                        try RawLineClient.samples(socketPath: socketPath, warmup: Array(pingLines.prefix(warm)), lines: Array(pingLines.dropFirst(warm)))
                    }
                    minimal.add(s)
                default:
                    let s = try await onOwnThread {
                        try CBaselineBench.echoSamples(socketPath: threadSocket, line: echoLine, roundTrips: perRound, warmup: warm)
                    }
                    echoThread.add(s)
                }
            }
            ratios.append(echoP50 > 0 ? pingP50 / echoP50 : 0)
        }
        let n = Double(ping.latencies.count)
        let echoBytes = echoLine.utf8.count + 1
        return Figures(
            ping: PingFigures(roundTrips: ping.latencies.count, perSecond: ping.perSecond, latency: LatencySummary(microseconds: ping.latencies),
                              requestBytes: sizes.request, responseBytes: sizes.response,
                              cpu: CPUCost(daemonMicrosPerOp: daemonCPU.map { $0 / n }, benchMicrosPerOp: benchCPU / n)),
            pingMinimal: RawLineClient.Figures(roundTrips: minimal.latencies.count, perSecond: minimal.perSecond,
                                               latency: LatencySummary(microseconds: minimal.latencies)),
            echoProcess: EchoFigures(roundTrips: echoProcess.latencies.count, lineBytes: echoBytes, perSecond: echoProcess.perSecond,
                                     latency: LatencySummary(microseconds: echoProcess.latencies)),
            echoThread: EchoFigures(roundTrips: echoThread.latencies.count, lineBytes: echoBytes, perSecond: echoThread.perSecond,
                                    latency: LatencySummary(microseconds: echoThread.latencies)),
            rounds: rounds, pingRatios: ratios)
    }
}
