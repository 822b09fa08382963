import Logging
import ShixiangJSON

/// What a method handler knows about the call in progress.
public struct RequestContext: Sendable {
    /// The kernel-reported peer, when the socket provides it.
    public var peer: PeerCredentials?
    /// A number identifying the connection in logs.
    public var connectionID: Int
    public var logger: Logger
    /// The subscriptions open on this connection.
    public var subscriptions: SubscriptionTable
    /// Sends a notification on this connection before the response (progress of long work).
    public var notify: @Sendable (String, JSONValue) async -> Void = { _, _ in }

    /// Who acted, as recorded in the `actor` of appended events.
    public var actor: JSONValue { Self.actor(of: peer) }

    static func actor(of peer: PeerCredentials?) -> JSONValue {
        guard let peer else { return .null }
        return ["uid": .int(Int64(peer.uid)), "gid": .int(Int64(peer.gid)), "pid": .int(Int64(peer.pid))]
    }
}

/// What a method returns: its result, and optionally work to start on the connection once the
/// response has been written (a subscription's stream of notifications).
public struct MethodOutcome: Sendable {
    public var result: JSONValue
    public var followUp: (@Sendable (ConnectionWriter) async -> Void)?

    public init(_ result: JSONValue, followUp: (@Sendable (ConnectionWriter) async -> Void)? = nil) {
        self.result = result
        self.followUp = followUp
    }
}
