import ArgumentParser
import CBaseline
import EventLog
import Foundation
import Registry
import ShixiangClient
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import ShixiangTestSupport

/// `shixiang-bench registry`: the registry's adjustment cycle through the daemon, and a rebuild of
/// every projection from a large log next to the raw C scan of the same log.
struct RegistryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Submit+approve cycles through the daemon (1 and N clients); rebuild of all projections from a large log vs the raw LMDB scan.",
        discussion: """
            Cycles: each client registers its own unit, then submits and approves catalogue additions \
            (3 events each, projections updated in the same commit). Rebuild: builds a log of --events \
            catalogue events in-process (bulk imports of 20,000 rows), times the raw C cursor scan of \
            its events database (cbaseline), then the registry's rebuild of every projection from it, \
            --rounds times (the median is reported, with the slowest and the fastest). \
            Target: rebuild at least 300,000 events/s. Build with -c release.
            """)

    @Option(help: "The shixiangd binary (default: shixiangd next to this executable).")
    var daemon: String?

    @Option(help: "Submit+approve cycles of the 1-client run.")
    var cycles: Int = 300

    @Option(help: "Concurrent clients of the second run.")
    var clients: Int = 32

    @Option(help: "Cycles per client in the concurrent run.")
    var perClient: Int = 30

    @Option(help: "Events in the log that is rebuilt.")
    var events: Int = 1_000_000

    @Option(help: "Directory for the run's temporary directory.")
    var workDir: String = "/tmp"

    @Option(help: "A directory for the rebuilt log, kept afterwards: reused if it holds one (its rebuild is timed again), built there otherwise.")
    var log: String?

    @Flag(help: "Skip the submit+approve cycles (only the rebuild).")
    var skipCycles = false

    @Option(help: "Threads the rebuild folds on, each the events of its own records (default: one per core).")
    var parts = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Rebuilds timed one after another; the median is reported, with the slowest and fastest.")
    var rounds = 3

    func run() async throws {
        let work = workDir + "/shxr-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        var one = 0.0, many = 0.0
        if !skipCycles {
            let daemonPath = daemon ?? (Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("shixiangd").path ?? "shixiangd")
            let process = try await DaemonProcess.start(executable: daemonPath, dataDirectory: work + "/daemon", socketPath: work + "/s.sock",
                                                        logPath: work + "/shixiangd.log")
            do {
                progress("cycles: 1 client x \(cycles)")
                one = try await Self.cycles(socket: process.socketPath, clients: 1, each: cycles, offset: 0)
                progress("cycles: \(clients) clients x \(perClient)")
                many = try await Self.cycles(socket: process.socketPath, clients: clients, each: perClient, offset: 1000)
            } catch {
                _ = await process.stop()
                throw error
            }
            _ = await process.stop()
        }

        let logDir = log ?? work + "/log"
        try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        var built: (events: UInt64, seconds: Double) = (0, 0)
        if FileManager.default.fileExists(atPath: logDir + "/data.mdb") {
            progress("reusing the log in \(logDir)")
        } else {
            progress("building a log of \(events) events in-process")
            built = try await Self.buildLog(directory: logDir, events: events)
        }
        progress("raw C scan of the events database")
        var count: Int64 = 0
        var seconds = 0.0
        let rc = cb_lmdb_scan_bench(logDir, &count, &seconds)
        guard rc == 0 else { throw BenchError.setup("cb_lmdb_scan_bench: \(String(cString: cb_strerror(rc)))") }
        let scanRate = Double(count) / seconds
        let store = try EventStore(directory: logDir)
        let registry = try Registry(store: store)
        // The machine's speed drifts by 5-10% from one run to the next: the median of a few
        // rebuilds, each after the last one's memory is let go (on a thread of its own).
        var timed: [(report: RebuildReport, cpu: Double)] = []
        for round in 1...max(rounds, 1) {
            if round > 1 { try await Task.sleep(nanoseconds: 2_000_000_000) }
            progress("registry rebuild \(round) of \(max(rounds, 1))")
            let cpuBefore = processCPUSeconds()
            let report = try await registry.rebuild(parts: parts) { _, _ in }
            timed.append((report, processCPUSeconds() - cpuBefore))
        }
        let rates = timed.map { Double($0.report.events) / $0.report.seconds }.sorted()
        let (report, cpu) = timed.sorted { $0.report.seconds < $1.report.seconds }[timed.count / 2]
        // What the rebuild wrote: every projection record's key and value bytes.
        var projected = (records: 0, bytes: 0)
        try store.read { txn in
            for db in registry.dbs.all {
                try txn.withCursor(db) { cursor in
                    var entry = try cursor.first()
                    while let e = entry {
                        projected.records += 1
                        projected.bytes += e.key.count + e.value.count
                        entry = try cursor.next()
                    }
                }
            }
        }
        store.close()
        let rebuildRate = Double(report.events) / report.seconds
        // The floor under writing those bytes: raw C, one durable commit of as many records of
        // the same mean size (key bytes counted in the value), packed full (MDB_APPEND).
        progress("raw C write of \(projected.records) records, \(projected.bytes / max(projected.records, 1)) B each, in one durable commit")
        let meanBytes = Int32(clamping: max(1, (projected.bytes + projected.records / 2) / max(projected.records, 1) - 8))
        var put = 0.0, commit = 0.0
        // Written through the map, as the registry writes (EnvironmentOptions.writeMap).
        let wrc = cb_lmdb_bulk_write_bench(work + "/floor", Int64(max(projected.records, 1)), meanBytes, 1, &put, &commit)
        guard wrc == 0 else { throw BenchError.setup("cb_lmdb_bulk_write_bench: \(String(cString: cb_strerror(wrc)))") }
        try? FileManager.default.removeItem(atPath: work + "/floor")
        let floorSeconds = seconds + put + commit
        let floorRate = Double(report.events) / floorSeconds

        print("""
            Registry (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores; figures swing ~2x between runs)
              submit+approve cycles, 1 client        \(String(format: "%8.0f", one)) cycles/s  (\(String(format: "%.0f", one * 3)) events/s)
              submit+approve cycles, \(clients) clients      \(String(format: "%8.0f", many)) cycles/s  (\(String(format: "%.0f", many * 3)) events/s)
              log built for the rebuild              \(built.events) events, \(String(format: "%.1f", built.seconds)) s (0: reused)
              raw C scan of the events database      \(String(format: "%10.0f", scanRate)) events/s  (\(count) events, \(String(format: "%.3f", seconds)) s)
              rebuild of every projection            \(String(format: "%10.0f", rebuildRate)) events/s  (median of \(timed.count): \(String(format: "%.0f", rates.first!))-\(String(format: "%.0f", rates.last!)); \(report.records) records, \(String(format: "%.1f", report.seconds)) s: fold \(String(format: "%.1f", report.foldSeconds)) s, encode \(String(format: "%.1f", report.encodeSeconds)) s, commit \(String(format: "%.1f", report.seconds - report.foldSeconds - report.encodeSeconds)) s)
              CPU of the rebuild                     \(String(format: "%.1f", cpu)) s, folded in \(parts) part\(parts == 1 ? "" : "s"), on \(ProcessInfo.processInfo.activeProcessorCount) cores (\(String(format: "%.2f", cpu / report.seconds)) busy on average)
              rebuild / raw scan                     \(String(format: "%.1f%%", rebuildRate / scanRate * 100))
              raw C write of the same bytes          \(projected.records) records of \(meanBytes + 8) B (\(String(format: "%.0f", Double(projected.bytes) / 1e6)) MB) in one durable commit: puts \(String(format: "%.1f", put)) s, commit \(String(format: "%.1f", commit)) s
              raw floor: scan + write                \(String(format: "%10.0f", floorRate)) events/s  (\(String(format: "%.1f", floorSeconds)) s: the most any rebuild of these projections reaches here, with no decoding or folding at all)
              rebuild / raw floor                    \(String(format: "%.1f%%", rebuildRate / floorRate * 100))
              \(rebuildRate >= 300_000 ? "PASS" : "MISS")  rebuild >= 300,000 events/s          \(String(format: "%.0f", rebuildRate)) (median of \(timed.count); slowest \(String(format: "%.0f", rates.first!)))
            """)
    }

    /// Submit+approve cycles per second over `clients` connections, each with its own unit and its
    /// own thread (blocking connections of the client library).
    static func cycles(socket: String, clients: Int, each: Int, offset: Int) async throws -> Double {
        let clock = ContinuousClock()
        var start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                let unit = creditCode(offset + c + 1)
                try await onOwnThread {
                    try RegistryConnection.withConnection(socketPath: socket) { connection in
                        _ = try connection.call("unit.register", ["code": .string(unit), "name": .string("单位\(c)"), "kind": "districtDepartment", "level": "4"])
                    }
                }
                group.addTask {
                    try await onOwnThread {
                        try RegistryConnection.withConnection(socketPath: socket) { connection in
                            for i in 0..<each {
                                let code = "00" + (offset == 0 ? "01" : "02") + String(format: "%05d", c * 1000 + i % 1000) + "000"
                                var e = elements
                                e["name"] = .string("事项\(c)-\(i)")
                                let a = try connection.call("adjustment.submit", [
                                    "unit": .string(unit), "list": "catalogue", "kind": "add", "target": .string(code), "changes": ["elements": e],
                                    "basis": "依据", "reason": "新增", "evidence": [],
                                ])
                                _ = try connection.call("adjustment.approve", ["id": a["id"] ?? .null])
                            }
                        }
                    }
                }
            }
            start = clock.now
            try await group.waitForAll()
        }
        let elapsed = (clock.now - start).seconds
        return Double(clients * each) / elapsed
    }

    /// A log of about `events` catalogue events, written through the registry's bulk import.
    static func buildLog(directory: String, events: Int) async throws -> (events: UInt64, seconds: Double) {
        let began = Date()
        let store = try EventStore(directory: directory)
        let registry = try Registry(store: store)
        let chunk = 20_000
        var made = 0
        while made < events {
            let n = min(chunk, events - made)
            let rows = (0..<n).map { i -> CatalogueCSVRow in
                let number = made + i
                // 基本编码: region 51, item type 01–10 (100,000 main items each), main item, no sub-item.
                let code = "51" + String(format: "%02d", 1 + number / 100_000 % 10) + String(format: "%05d", number % 100_000) + "000"
                var e = elements
                e["name"] = .string("事项\(number)：\(String(repeating: "政务服务", count: 20))")
                return CatalogueCSVRow(basicCode: code, elements: e, status: .inUse, powerSource: .statutory)
            }
            _ = try await registry.importCatalogue(csv: CatalogueCSV.write(rows), fileName: "bench-\(made).csv", actor: .null)
            made += n
            progress("  \(made) events")
        }
        let head = store.head.seq
        store.close()
        return (head, Date().timeIntervalSince(began))
    }

    static let elements = RegistryFixtures.catalogueElements()

    static func creditCode(_ n: Int) -> String { RegistryFixtures.creditCode(n) }
}

/// User and system CPU seconds this process has used so far, on all its threads.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
