import Logging
import ShixiangJSON
import ShixiangRPC

/// What a method handler knows about the call in progress.
public struct RequestContext: Sendable {
    /// The kernel-reported peer, when the socket provides it.
    public var peer: PeerCredentials?
    /// A number identifying the connection in logs.
    public var connectionID: Int
    public var logger: Logger
    /// The subscriptions open on this connection.
    public var subscriptions: SubscriptionTable
    /// What the connection remembers between requests (a gateway's current unit).
    public var connection = ConnectionState()
    /// What the access policy allowed for this call (set by the dispatcher before the handler runs).
    public var grant: Grant?
    /// Sends a notification on this connection before the response (progress of long work).
    public var notify: @Sendable (String, JSONValue) async -> Void = { _, _ in }

    public init(peer: PeerCredentials?, connectionID: Int, logger: Logger, subscriptions: SubscriptionTable) {
        self.peer = peer
        self.connectionID = connectionID
        self.logger = logger
        self.subscriptions = subscriptions
    }

    /// Who acted, as recorded in the `actor` of appended events: the socket peer, the principal
    /// the policy made of it, and for a gateway the unit (and person) it acted for.
    public var actor: JSONValue { Self.actor(of: peer, grant: grant) }

    static func actor(of peer: PeerCredentials?, grant: Grant?) -> JSONValue {
        guard let peer else { return .null }
        var actor: JSONValue = ["uid": .int(Int64(peer.uid)), "gid": .int(Int64(peer.gid)), "pid": .int(Int64(peer.pid))]
        if let grant {
            actor["principal"] = .string(grant.principal.name)
            actor["roles"] = .array(grant.principal.roles.sorted().map { .string($0.rawValue) })
            if let unit = grant.principal.unit { actor["unit"] = .string(unit) }
            if let acting = grant.actingFor {
                var onBehalf: JSONValue = ["unit": .string(acting.unit)]
                if let person = acting.person { onBehalf["person"] = .string(person) }
                actor["onBehalfOf"] = onBehalf
            }
        }
        return actor
    }

    /// Refuses the call unless the caller may act for `unit`: always for an office role or admin;
    /// for a clerk only its own unit; for a gateway only the unit it acts for.
    ///
    /// - Parameter action: what the call does, for the message ("submit adjustments", "file").
    public func authorize(unit: String, action: String) throws(RPCError) {
        guard let grant else {
            throw RPCError(code: RPCErrorCode.permissionDenied, message: "Permission denied: the caller is not identified.")
        }
        guard let bound = grant.unit, bound != unit else { return }
        let who = grant.actingFor != nil
            ? "\(grant.principal.name) is acting for unit \(bound)"
            : "\(grant.principal.name) is a clerk of unit \(bound)"
        throw RPCError(code: RPCErrorCode.permissionDenied,
                       message: "Permission denied: \(who) and may not \(action) for unit \(unit).",
                       data: ["unit": .string(unit), "allowedUnit": .string(bound)])
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
