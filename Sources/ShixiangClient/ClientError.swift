/// Failures talking to the daemon (as opposed to errors the daemon answered with, which are `RPCError`).
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No daemon could be reached at the socket path.
    case cannotConnect(path: String, reason: String)
    /// The daemon closed the connection before answering.
    case connectionClosed
    /// The daemon sent something that is not a JSON-RPC response.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case let .cannotConnect(path, reason):
            return "Cannot reach the Shixiang daemon at \(path): \(reason). Is shixiangd running? (Pick another socket with --socket or SHIXIANG_SOCKET.)"
        case .connectionClosed:
            return "The daemon closed the connection before answering."
        case let .invalidResponse(detail):
            return "The daemon sent an answer that is not valid JSON-RPC: \(detail)"
        }
    }
}
