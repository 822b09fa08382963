import EventLog
import LMDB
import ShixiangJSON
import ShixiangRPC

extension EventLogError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case let .wrongExpectedVersion(stream, _, actual):
            return RPCError(code: RPCErrorCode.wrongExpectedVersion, message: description,
                            data: ["stream": .string(stream), "actualVersion": actual.map { .int(Int64($0)) } ?? .null])
        case let .duplicateID(id, seq):
            return RPCError(code: RPCErrorCode.duplicateEventID, message: description,
                            data: ["id": .string(id.uuidString.lowercased()), "seq": .int(Int64(seq))])
        case .repeatedIDInRequest, .invalidAppend:
            return RPCError(code: RPCErrorCode.invalidParams, message: "Invalid params: \(description)")
        case .corruptRecord:
            return RPCError(code: RPCErrorCode.storageFailure, message: description + " Run `shixiang verify` and restore from a backup.")
        case .closed:
            return RPCError(code: RPCErrorCode.shuttingDown, message: description)
        case .storage:
            return RPCError(code: RPCErrorCode.storageFailure, message: description + " Nothing was written; try again once the operator has fixed it.")
        }
    }
}

extension LMDBError: RPCErrorConvertible {
    public var rpcError: RPCError {
        RPCError(code: RPCErrorCode.storageFailure, message: "The registry's storage failed (\(name)). Nothing was written; try again later.")
    }
}
