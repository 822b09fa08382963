import Synchronization

/// The policy in force, replaceable while the daemon runs (SIGHUP re-reads the file).
///
/// Every request looks its principal up here, so a reload takes effect on the next request of
/// every connection, including connections already open.
public final class PolicyStore: Sendable {
    private let current: Mutex<AccessPolicy>

    public init(_ policy: AccessPolicy) { current = Mutex(policy) }

    public var policy: AccessPolicy { current.withLock { $0 } }

    public func replace(with policy: AccessPolicy) { current.withLock { $0 = policy } }

    /// The principal `peer` acts as now, or `nil` when the policy does not know it.
    public func principal(for peer: PeerCredentials?) -> Principal? {
        guard let peer else { return nil }
        return current.withLock { $0.principal(for: peer) }
    }
}

/// What a connection remembers between requests: the unit a gateway acts for.
public final class ConnectionState: Sendable {
    private let acting = Mutex<ActingFor?>(nil)

    public init() {}

    public var actingFor: ActingFor? {
        get { acting.withLock { $0 } }
        set { acting.withLock { $0 = newValue } }
    }
}
