import EventLog
import Foundation
import Registry
import ShixiangJSON
import ShixiangRPC
import Synchronization

/// `admin.*`: maintenance of the projections.
enum AdminMethods {
    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("admin.rebuild", NoParams.self,
                       summary: "Rebuild every projection from the log; sends admin.progress notifications while it folds.") { _, context in
            // Progress comes from the fold's thread; the forwarder passes it on at most every 200 ms.
            let reporter = ProgressForwarder(context: context)
            let report: RebuildReport
            do {
                report = try await registry.rebuild { done, total in reporter.offer(done: done, total: total) }
            } catch {
                await reporter.drain()
                throw error
            }
            await reporter.drain()
            return ["events": .int(Int64(report.events)), "records": .int(Int64(report.records)),
                    "seconds": .double((report.seconds * 1000).rounded() / 1000),
                    "eventsPerSecond": .int(Int64(Double(report.events) / max(report.seconds, 0.001)))]
        }
        table.register("admin.checkProjections", NoParams.self,
                       summary: "Fold the log and compare it with the stored projections; lists every record that differs.") { _, _ in
            let report = try registry.checkProjections()
            return ["ok": .bool(report.differences.isEmpty), "events": .int(Int64(report.events)), "records": .int(Int64(report.records)),
                    "differences": .array(report.differences.prefix(1000).map(JSONValue.string))]
        }
    }
}

/// Sends progress notifications in order, from a synchronous callback, without blocking it.
final class ProgressForwarder: Sendable {
    private let continuation: AsyncStream<JSONValue>.Continuation
    private let done: OneShotSignal

    init(context: RequestContext, method: String = "admin.progress") {
        let (stream, continuation) = AsyncStream<JSONValue>.makeStream()
        self.continuation = continuation
        let done = OneShotSignal()
        self.done = done
        let notify = context.notify
        // Structured enough: the request awaits `drain()`, which waits for this task to finish.
        Task {
            for await params in stream { await notify(method, params) }
            done.raise()
        }
    }

    private let last = Mutex<Date>(.distantPast)

    /// Forwards progress from any thread, at most every 200 ms (and always the final `done == total`).
    func offer(done: UInt64, total: UInt64) {
        let due = last.withLock { previous in
            let now = Date()
            guard done == total || now.timeIntervalSince(previous) >= 0.2 else { return false }
            previous = now
            return true
        }
        if due { continuation.yield(["done": .int(Int64(done)), "total": .int(Int64(total))]) }
    }

    /// Finishes the stream and waits until every notification has been sent.
    func drain() async {
        continuation.finish()
        await done.wait()
    }
}

/// `audit.replay`: the registry exactly as it stood at a moment.
enum ReplayMethods {
    struct ReplayParams: RPCParams {
        static let fields: Set<String> = ["asOf", "cursor", "limit"]
        var asOf: Timestamp, cursor: String?, limit: Int?
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("audit.replay", ReplayParams.self,
                       summary: "The registry as it stood at a moment: counts of every kind of record, and the whole catalogue a page at a time.") { p, _ in
            let limit = p.limit ?? 100
            guard (1...1000).contains(limit) else { throw RPCError.invalidParams("limit", "must be between 1 and 1000") }
            let replay = try registry.replayStored(asOf: p.asOf, cursor: p.cursor, limit: limit)
            let counts = replay.counts
            return [
                "asOf": .string(p.asOf.rfc3339), "seq": .int(Int64(replay.seq)),
                "counts": ["units": .int(Int64(counts.units)), "items": .int(Int64(counts.items)),
                           "entries": .int(Int64(counts.entries)), "adjustments": .int(Int64(counts.adjustments)),
                           "filings": .int(Int64(counts.filings)), "notices": .int(Int64(counts.notices))],
                "items": .array(replay.items.map { RecordJSON.item(stored: $0) }),
                "nextCursor": replay.next.map(JSONValue.string) ?? .null,
            ]
        }
    }
}

/// `audit.history` and `audit.diff`: how records came to be, and what changed between two moments.
enum HistoryMethods {
    struct HistoryParams: RPCParams {
        static let fields: Set<String> = ["code"]
        var code: String
    }

    struct DiffParams: RPCParams {
        static let fields: Set<String> = ["from", "to", "unit", "format"]
        var from: Timestamp, to: Timestamp, unit: String?, format: String?
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("audit.history", HistoryParams.self,
                       summary: "Every version of a catalogue item or implementation entry, each with the event that made it.") { p, _ in
            let versions = try registry.history(of: p.code)
            guard !versions.isEmpty else { throw RegistryError.notFound(what: "catalogue item or implementation entry", key: p.code) }
            return .array(try versions.map { v in
                ["event": v.event.json, "record": try v.item.map(RecordJSON.item) ?? v.entry.map(RecordJSON.entry) ?? .null]
            })
        }
        table.register("audit.diff", DiffParams.self,
                       summary: "What changed between two moments: the adjustments approved in between (动态调整明细表), as JSON or CSV.") { p, _ in
            guard p.from < p.to else { throw RPCError.invalidParams("from", "must be before to") }
            let adjustments = try registry.changes(from: p.from, to: p.to, unit: p.unit)
            switch p.format ?? "json" {
            case "json":
                return ["from": .string(p.from.rfc3339), "to": .string(p.to.rfc3339), "adjustments": .array(try adjustments.map(RecordJSON.adjustment))]
            case "csv":
                return ["content": .string(String(decoding: try DetailTable.csv(adjustments, registry: registry), as: UTF8.self))]
            default:
                throw RPCError.invalidParams("format", "expected \"json\" or \"csv\"")
            }
        }
    }
}
