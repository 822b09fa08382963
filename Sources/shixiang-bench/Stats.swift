#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Summary of a set of latency samples, in microseconds.
///
/// Percentiles use the nearest-rank method, like `cb_percentiles` in CBaseline, so the daemon's
/// figures and the raw C figures are computed the same way: pXX is the smallest sample with at
/// least XX% of the samples at or below it.
struct LatencySummary: Sendable, Codable, Equatable {
    /// Number of samples.
    var count: Int
    /// Median, µs.
    var p50: Double
    /// 99th percentile, µs.
    var p99: Double
    /// Arithmetic mean, µs.
    var mean: Double
    /// Largest sample, µs.
    var max: Double

    /// Summarises `samples` (microseconds); all zeros when there are none.
    init(microseconds samples: [Double]) {
        count = samples.count
        guard !samples.isEmpty else {
            p50 = 0; p99 = 0; mean = 0; max = 0
            return
        }
        let sorted = samples.sorted()
        p50 = Self.nearestRank(sorted, percent: 50)
        p99 = Self.nearestRank(sorted, percent: 99)
        mean = sorted.reduce(0, +) / Double(sorted.count)
        max = sorted[sorted.count - 1]
    }

    /// The smallest value of `sorted` with at least `percent`% of the values at or below it.
    static func nearestRank(_ sorted: [Double], percent: Double) -> Double {
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    /// This duration in microseconds.
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }

    /// This duration in seconds.
    var seconds: Double { microseconds / 1e6 }
}

/// CPU time (user + system) consumed by a process, for "CPU µs per event" figures.
enum CPUTime {
    /// CPU seconds used so far by this process (all threads).
    static func ofSelf() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// CPU seconds used so far by process `pid` (from `/proc/<pid>/stat`), or `nil` if unreadable.
    static func ofProcess(_ pid: pid_t) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks > 0 ? (user + system) / ticks : nil
    }

    private static func seconds(_ t: timeval) -> Double {
        Double(t.tv_sec) + Double(t.tv_usec) / 1e6
    }
}

/// CPU used by the daemon and by the benchmark itself over one phase, per event or request.
struct CPUCost: Sendable, Codable, Equatable {
    /// Daemon CPU (user + system) per operation, µs; `nil` when `/proc` could not be read.
    var daemonMicrosPerOp: Double?
    /// Benchmark-process CPU (the clients) per operation, µs.
    var benchMicrosPerOp: Double

    /// Measures CPU around `body`, divided by `operations`.
    static func measure<T>(daemon pid: pid_t, operations: Int, _ body: () async throws -> T) async rethrows -> (T, CPUCost) {
        let daemonBefore = CPUTime.ofProcess(pid)
        let selfBefore = CPUTime.ofSelf()
        let result = try await body()
        let selfAfter = CPUTime.ofSelf()
        let daemonAfter = CPUTime.ofProcess(pid)
        let n = Double(Swift.max(operations, 1))
        var daemonPerOp: Double?
        if let a = daemonBefore, let b = daemonAfter { daemonPerOp = (b - a) * 1e6 / n }
        return (result, CPUCost(daemonMicrosPerOp: daemonPerOp, benchMicrosPerOp: (selfAfter - selfBefore) * 1e6 / n))
    }
}
