import ShixiangJSON

/// Writes whole lines to one connection; shared by the request loop and its subscriptions.
///
/// Each line is queued whole under the connection's lock, so lines from different tasks never
/// interleave mid-line. A send waits while the peer has much unread (the connection's
/// backpressure), so a slow subscriber slows only itself.
public struct ConnectionWriter: Sendable {
    let connection: SocketConnection

    /// Sends one JSON value as a line. Throws once the connection is closed.
    public func send(_ value: JSONValue) async throws {
        var bytes = value.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        try await connection.sendWaiting(bytes)
    }
}
