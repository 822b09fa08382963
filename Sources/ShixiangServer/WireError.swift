import Foundation
import Logging
import ShixiangRPC

/// How an error thrown by a method reaches the client: its own wire form if it opts in, otherwise
/// an internal error whose details stay in the daemon's log under a reference the client can quote.
enum WireError {
    static func from(_ error: any Error, method: String, logger: Logger) -> RPCError {
        if let convertible = error as? any RPCErrorConvertible { return convertible.rpcError }
        let reference = UUID().uuidString.prefix(8).lowercased()
        logger.error("internal error", metadata: [
            "rpc.method": "\(method)", "error": "\(String(reflecting: error))", "error.reference": "\(reference)",
        ])
        return RPCError(code: RPCErrorCode.internalError,
                        message: "Internal error: the server could not complete the request. Its log has the details under reference \(reference).")
    }
}
