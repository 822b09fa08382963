import EventLog
import ShixiangDigest
import ShixiangJSON
import ShixiangRPC

extension BackupError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .relativePath, .noDirectory, .cannotCreate:
            return RPCError(code: RPCErrorCode.invalidParams, message: "Invalid params: path: \(description)", data: ["field": "path"])
        case .exists(let path):
            return RPCError(code: RPCErrorCode.alreadyExists, message: description, data: ["what": "file", "key": .string(path)])
        case .failed:
            return RPCError(code: RPCErrorCode.storageFailure, message: description)
        }
    }
}

/// `system.backup`: a hot, consistent, compacted copy of the data, written by the daemon.
enum BackupMethods {
    struct BackupParams: RPCParams {
        static let fields: Set<String> = ["path"]
        var path: String
    }

    static func register(into table: inout MethodTable, store: EventStore) {
        table.register("system.backup", BackupParams.self,
                       summary: "Write a consistent, compacted copy of the whole database to a new file (absolute path on the daemon's machine) while writes go on; returns the head it holds.") { p, context in
            let report = try await BlockingWork.run(name: "shixiang-backup") { try store.backup(to: p.path) }
            context.logger.notice("backup written", metadata: [
                "backup.path": "\(report.path)", "backup.bytes": "\(report.bytes)", "event.seq": "\(report.head.seq)"])
            return ["path": .string(report.path), "bytes": .int(Int64(report.bytes)),
                    "head": ["seq": .int(Int64(report.head.seq)), "hash": .string(Digest.hex(report.head.hash))],
                    "seconds": .double((report.seconds * 1000).rounded() / 1000)]
        }
    }
}
