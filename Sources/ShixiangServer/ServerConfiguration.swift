/// How the daemon serves its socket.
public struct ServerConfiguration: Sendable {
    /// Path of the Unix domain socket.
    public var socketPath: String
    /// File mode of the socket (owner and group may connect).
    public var socketMode: UInt32 = 0o660
    /// Longest request line accepted, in bytes; a longer one is answered with an error and the connection closed.
    public var maxLineBytes: Int = 1 << 20
    /// Connections served at once; each has a thread. A connection past this is answered
    /// `tooManyConnections` (−32007) and closed.
    public var maxConnections: Int = 1024
    /// Deepest JSON nesting accepted in a request.
    public var maxJSONDepth: Int = 64
    /// Events sent per read snapshot while a subscription catches up.
    public var subscriptionPageSize: Int = 256
    /// The version string reported by `system.ping`.
    public var version: String = ShixiangVersion.current

    public init(socketPath: String) { self.socketPath = socketPath }
}

/// The software version.
public enum ShixiangVersion {
    public static let current = "0.1.0"
}
