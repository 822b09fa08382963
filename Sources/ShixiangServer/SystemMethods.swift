import Foundation
import EventLog
import ShixiangDigest
import ShixiangJSON
import ShixiangRPC

/// `system.*` and `audit.verify`: liveness, figures, the integrity check and backups.
public enum SystemMethods {
    struct VerifyParams: RPCParams {
        static let fields: Set<String> = ["fromSeq", "toSeq"]
        var fromSeq: UInt64?
        var toSeq: UInt64?
    }

    /// Registers the methods; `connections` reports the open connection count.
    public static func register(into table: inout MethodTable, store: EventStore, configuration: ServerConfiguration,
                                startedAt: Date, connections: @escaping @Sendable () -> Int) {
        table.register("system.ping", NoParams.self, summary: "Check the daemon is alive; returns its version and the log head.") { _, _ in
            ping(store: store, version: configuration.version)
        }

        table.register("system.stats", NoParams.self, summary: "Event count, storage size, connections, group commit counters and uptime.") { _, _ in
            let stats = try store.statistics()
            return [
                "events": .int(Int64(stats.eventCount)),
                "head": headJSON(stats.head),
                "dataBytes": .int(Int64(stats.usedBytes)),
                "mapSize": .int(Int64(stats.mapSize)),
                "readers": .int(Int64(stats.readersInUse)),
                "connections": .int(Int64(connections())),
                "groupCommit": [
                    "commits": .int(Int64(stats.groupCommit.commits)),
                    "writes": .int(Int64(stats.groupCommit.writes)),
                    "events": .int(Int64(stats.groupCommit.events)),
                    "largestBatch": .int(Int64(stats.groupCommit.largestBatch)),
                    "commitSeconds": .double((stats.groupCommit.commitSeconds * 1e6).rounded() / 1e6),
                ],
                "uptimeSeconds": .double((Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000),
                "version": .string(configuration.version),
            ]
        }

        table.register("audit.verify", VerifyParams.self,
                       summary: "Recompute the hash chain and index entries; report the first disagreement or the head hash.") { p, _ in
            if let from = p.fromSeq, let to = p.toSeq, from > to {
                throw RPCError.invalidParams("fromSeq", "must not be greater than toSeq")
            }
            let report = try store.verify(fromSeq: p.fromSeq ?? 1, toSeq: p.toSeq)
            var result: [String: JSONValue] = [
                "ok": .bool(report.ok),
                "fromSeq": .int(Int64(report.fromSeq)),
                "toSeq": .int(Int64(report.toSeq)),
                "checked": .int(Int64(report.checked)),
                "head": headJSON(report.head),
            ]
            if let f = report.failure {
                result["failure"] = ["seq": .int(Int64(f.seq)), "check": .string(f.check), "message": .string(f.message)]
            }
            return .object(result)
        }

        BackupMethods.register(into: &table, store: store)
    }

    static func ping(store: EventStore, version: String) -> JSONValue {
        ping(head: store.head, version: version)
    }

    static func ping(head: LogHead, version: String) -> JSONValue {
        ["version": .string(version), "head": headJSON(head)]
    }

    static func headJSON(_ head: LogHead) -> JSONValue {
        ["seq": .int(Int64(head.seq)), "hash": .string(Digest.hex(head.hash))]
    }
}
