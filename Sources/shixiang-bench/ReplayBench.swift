import ShixiangTestSupport
import ArgumentParser
import CBaseline
import EventLog
import Foundation
import LMDB
import Registry
import ShixiangClient
import ShixiangJSON

/// `shixiang-bench replay`: reads as of a date in a large history (issue 4), next to raw LMDB reads
/// of the same data directory measured in the same run.
struct ReplayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "catalogue.get with asOf and whole-catalogue audit.replay at random dates in a history of --events events, vs raw LMDB reads.",
        discussion: """
            Builds (or reuses, with --history) a realistic history in-process through the registry's \
            commands, its time spread over 2020–2026. Then measures: raw C random point reads of the \
            events database and a raw C scan of the catalogue (p-items); catalogue.get as of a random \
            date for random codes, in-process (Registry.item(_:asOf:), a fold of the item's stream) and \
            through the daemon's socket (minimal blocking client); the valid-time lookup (inForceOn) for \
            comparison; the whole \
            catalogue as it stood at random dates (every page of audit.replay, 1,000 items a page), \
            in-process and through the socket. Targets: catalogue.get asOf p99 < 1 ms; whole-catalogue \
            audit.replay < 1 s. Build with -c release.
            """)

    @Option(help: "Events in the history.")
    var events: Int = 1_000_000

    @Option(help: "Units working concurrently while the history is built.")
    var workers: Int = 64

    @Option(help: "A directory holding a history built by an earlier run (built there if it has none). Default: a fresh one, deleted afterwards.")
    var history: String?

    @Option(help: "Timed catalogue.get lookups (in-process, and as many through the socket).")
    var lookups: Int = 20_000

    @Option(help: "Whole-catalogue replays at random dates (in-process, and as many through the socket).")
    var replays: Int = 20

    @Option(help: "The shixiangd binary (default: shixiangd next to this executable).")
    var daemon: String?

    @Option(help: "CSV of real service items for the catalogue.")
    var items: String = "/work/shared/data/guangan-items.csv"

    @Option(help: "Directory for the run's temporary directory.")
    var workDir: String = "/tmp"

    func run() async throws {
        let work = workDir + "/shxp-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let dir = history ?? work + "/history"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

        var built: HistoryBuilder.Built?
        if !FileManager.default.fileExists(atPath: dir + "/data.mdb") {
            progress("building a history of \(events) events in \(dir)")
            built = try await HistoryBuilder.build(directory: dir, events: events, workers: workers, csvPath: items)
        }

        // What is stored, and the samples: random dates over the history, random catalogue codes.
        let (sizes, head, first, last, codes) = try inspect(dir)
        var rng = SplitMix64(seed: 2026)
        func randomMoment() -> Timestamp {
            Timestamp(microseconds: Int64.random(in: first.microseconds...last.microseconds, using: &rng))
        }
        let samples = (0..<lookups).map { _ in (codes.randomElement(using: &rng)!, randomMoment()) }
        let replayMoments = (0..<replays).map { _ in randomMoment() }

        progress("raw C: \(lookups) random point reads of the events database, a scan of p-items")
        var rawLatencies = [Double](repeating: 0, count: lookups)
        var rawBytes: Int64 = 0
        try check(cb_lmdb_point_reads(dir, "events", head, Int32(lookups), 7, &rawLatencies, &rawBytes), "cb_lmdb_point_reads")
        let raw = LatencySummary(microseconds: rawLatencies)
        var scanCount: Int64 = 0, scanBytes: Int64 = 0, scanSeconds = 0.0
        try check(cb_lmdb_scan_db(dir, "p-items", &scanCount, &scanBytes, &scanSeconds), "cb_lmdb_scan_db")

        progress("in-process: \(lookups) catalogue.get asOf, \(min(lookups, 2000)) by stream replay, \(replays) whole-catalogue replays")
        let inProcess = try measureInProcess(dir, samples: samples, moments: replayMoments)

        let daemonPath = daemon ?? (Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("shixiangd").path ?? "shixiangd")
        progress("daemon: \(lookups) catalogue.get asOf, \(replays) whole-catalogue audit.replay")
        let process = try await DaemonProcess.start(executable: daemonPath, dataDirectory: dir, socketPath: work + "/s.sock",
                                                    logPath: work + "/shixiangd.log", timeout: .seconds(600))
        let socket: (get: RawLineClient.Figures, replay: [Double], pages: Int)
        do {
            let lines = samples.enumerated().map { i, s in
                RawLineClient.requestLine(id: i + 1, method: "catalogue.get", params: ["code": .string(s.0), "asOf": .string(s.1.rfc3339)])
            }
            let existing = lines.indices.filter { inProcess.found[$0] }.map { lines[$0] }
            let get = try await RawLineClient.run(socketPath: process.socketPath, warmup: Array(existing.prefix(200)), lines: existing)
            let socketPath = process.socketPath
            let (replaySeconds, pages) = try await onOwnThread {
                try RegistryConnection.withConnection(socketPath: socketPath) { connection in
                    var replaySeconds: [Double] = []
                    var pages = 0
                    for moment in replayMoments {
                        let clock = ContinuousClock()
                        let began = clock.now
                        var cursor: JSONValue = .null
                        repeat {
                            let page = try connection.call("audit.replay", ["asOf": .string(moment.rfc3339), "limit": 1000, "cursor": cursor])
                            cursor = page["nextCursor"] ?? .null
                            pages += 1
                        } while cursor != .null
                        replaySeconds.append((clock.now - began).seconds)
                    }
                    return (replaySeconds, pages)
                }
            }
            socket = (get, replaySeconds, pages)
        } catch {
            _ = await process.stop()
            throw error
        }
        _ = await process.stop()

        let mb = { (bytes: Int) in String(format: "%8.1f MiB", Double(bytes) / 1_048_576) }
        let us = { (v: Double) in String(format: "%7.1f µs", v) }
        let s = { (v: Double) in String(format: "%6.3f s", v) }
        let replayIn = LatencySummary(microseconds: inProcess.replaySeconds.map { $0 * 1e6 })
        let replayOut = LatencySummary(microseconds: socket.replay.map { $0 * 1e6 })
        let found = inProcess.found.filter { $0 }.count
        let eventsBytes = sizes["events"] ?? 0
        print("""
            As-of reads (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores; figures swing ~2x between runs)
              history                                \(head) events, \(HistoryBuilder.start.rfc3339.prefix(10)) … \(last.rfc3339.prefix(10)), \(codes.count) catalogue items now
            \(built.map { "  built in-process                       \(String(format: "%.0f", $0.seconds)) s (\(String(format: "%.0f", Double($0.events) / $0.seconds)) events/s with every projection in the same commits), names: \($0.namesFrom), \($0.failures) commands refused by races" } ?? "  reused history                         \(dir)")
              storage                                events \(mb(eventsBytes)), log indexes \(mb((sizes["events-by-stream"] ?? 0) + (sizes["events-by-id"] ?? 0)))
                                                     p-created \(mb(sizes["p-created"] ?? 0)), all projections \(mb(sizes["projections"] ?? 0)) (\(String(format: "%.2f", Double(sizes["projections"] ?? 0) / Double(max(eventsBytes, 1))))x the events)
              raw C point read (1 seek, events db)   p50 \(us(raw.p50))  p99 \(us(raw.p99))   (\(raw.count) reads)
              raw C scan of p-items                  \(s(scanSeconds)) for \(scanCount) items (\(mb(Int(scanBytes))))
              catalogue.get asOf, in-process         p50 \(us(inProcess.get.p50))  p99 \(us(inProcess.get.p99))   (\(inProcess.get.count) lookups, \(found) found)
              catalogue.get asOf, socket (raw client) p50 \(us(socket.get.latency.p50))  p99 \(us(socket.get.latency.p99))   (\(socket.get.roundTrips) lookups of found items)
              same lookups, inForceOn (valid time)    p50 \(us(inProcess.streamReplay.p50))  p99 \(us(inProcess.streamReplay.p99))   (\(inProcess.streamReplay.count) lookups)
              whole catalogue as of a date, in-process p50 \(s(replayIn.p50 / 1e6))  max \(s(replayIn.max / 1e6))   (\(replays) dates, \(inProcess.itemsPerReplay) items on average)
              whole catalogue, audit.replay socket   p50 \(s(replayOut.p50 / 1e6))  max \(s(replayOut.max / 1e6))   (\(replays) dates, \(socket.pages) pages of ≤ 1000)
              \(socket.get.latency.p99 < 1000 && inProcess.get.p99 < 1000 ? "PASS" : "MISS")  catalogue.get asOf p99 < 1 ms              socket \(us(socket.get.latency.p99)), in-process \(us(inProcess.get.p99))
              \(replayOut.max < 1e6 && replayIn.max < 1e6 ? "PASS" : "MISS")  whole-catalogue audit.replay < 1 s       slowest: socket \(s(replayOut.max / 1e6)), in-process \(s(replayIn.max / 1e6))
            """)
    }

    /// Bytes per database, the head, the first and last event times, the catalogue's codes now.
    private func inspect(_ dir: String) throws -> (sizes: [String: Int], head: UInt64, first: Timestamp, last: Timestamp, codes: [String]) {
        let store = try EventStore(directory: dir)
        defer { store.close() }
        let registry = try Registry(store: store)
        var sizes: [String: Int] = [:]
        try store.read { txn in
            let log = store.databases
            for (name, db) in [("events", log.events), ("events-by-stream", log.byStream), ("events-by-id", log.byID),
                               ("p-created", registry.dbs.created)] {
                let st = try txn.stat(db)
                sizes[name] = (st.branchPages + st.leafPages + st.overflowPages) * st.pageSize
            }
            var other = 0
            for db in registry.dbs.all {
                let st = try txn.stat(db)
                other += (st.branchPages + st.leafPages + st.overflowPages) * st.pageSize
            }
            sizes["projections"] = other
        }
        guard let first = try store.event(seq: 1)?.recordedAt else { throw BenchError.setup("the history in \(dir) is empty") }
        let codes = try registry.items(cursor: nil, limit: .max).records.map(\.code)
        return (sizes, store.head.seq, first, store.head.recordedAt, codes)
    }

    private struct InProcess {
        var get: LatencySummary
        var found: [Bool]
        var streamReplay: LatencySummary
        var replaySeconds: [Double]
        var itemsPerReplay: Int
    }

    private func measureInProcess(_ dir: String, samples: [(String, Timestamp)], moments: [Timestamp]) throws -> InProcess {
        let store = try EventStore(directory: dir)
        defer { store.close() }
        let registry = try Registry(store: store)
        let clock = ContinuousClock()
        for (code, moment) in samples.prefix(500) { _ = try registry.item(code, asOf: moment) }  // warm-up
        var latencies: [Double] = []
        var found: [Bool] = []
        latencies.reserveCapacity(samples.count)
        for (code, moment) in samples {
            let began = clock.now
            let item = try registry.item(code, asOf: moment)
            latencies.append((clock.now - began).microseconds)
            found.append(item != nil)
        }
        // Valid-time lookups (inForceOn far ahead: every event counts), the same stream fold with a filter.
        var replayed: [Double] = []
        let far = Timestamp(rfc3339: "2999-01-01")!
        for (code, moment) in samples.prefix(2000) {
            let began = clock.now
            _ = try registry.item(code, inForceOn: far, asOf: moment)
            replayed.append((clock.now - began).microseconds)
        }
        var seconds: [Double] = []
        var items = 0
        for moment in moments {
            let began = clock.now
            var cursor: String?
            repeat {
                let page = try registry.replay(asOf: moment, cursor: cursor, limit: 1000)
                items += page.items.count
                cursor = page.next
            } while cursor != nil
            seconds.append((clock.now - began).seconds)
        }
        return InProcess(get: LatencySummary(microseconds: latencies), found: found, streamReplay: LatencySummary(microseconds: replayed),
                         replaySeconds: seconds, itemsPerReplay: items / max(moments.count, 1))
    }

    private func check(_ rc: Int32, _ what: String) throws {
        guard rc == 0 else { throw BenchError.baseline("\(what) failed: \(String(cString: cb_strerror(rc))) (\(rc))") }
    }
}
