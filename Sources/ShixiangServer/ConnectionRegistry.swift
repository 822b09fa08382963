import Synchronization

/// The open connections, so the server can count them and close them on shutdown.
///
/// Each connection counts the requests it is working on, on either path (the async dispatcher or
/// the connection thread's fast path), in its own state so that requests on different connections
/// never contend for one lock. On shutdown an idle connection is closed at once; a busy one is
/// closed when its last request in progress has been answered.
public final class ConnectionRegistry: Sendable {
    private struct State {
        var next = 0
        var open: [ObjectIdentifier: SocketConnection] = [:]
    }

    private let state = Mutex(State())
    private let shuttingDown = Atomic<Bool>(false)

    public init() {}

    /// Open connections right now.
    public var count: Int { state.withLock { $0.open.count } }

    /// Why a connection was not registered.
    enum Refusal: Error {
        case shuttingDown
        case full(limit: Int)
    }

    /// Registers a connection and returns its number for logs, or why not (then close it).
    func add(_ connection: SocketConnection, limit: Int) -> Result<Int, Refusal> {
        state.withLock { s in
            guard !shuttingDown.load(ordering: .acquiring) else { return .failure(.shuttingDown) }
            guard s.open.count < limit else { return .failure(.full(limit: limit)) }
            s.next += 1
            s.open[ObjectIdentifier(connection)] = connection
            return .success(s.next)
        }
    }

    func remove(_ connection: SocketConnection) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Marks the start of a request (`inFlight`: one the committer will answer). Returns false
    /// when the server is shutting down.
    func beginRequest(_ connection: SocketConnection, inFlight: Bool = false) -> Bool {
        guard !shuttingDown.load(ordering: .acquiring) else { return false }
        connection.beginRequest(inFlight: inFlight)
        return true
    }

    /// Marks the end of a request, writing its `response` (if given) first. Returns false when the
    /// connection should now close (shutting down and nothing else in progress on it).
    func endRequest(_ connection: SocketConnection, sending response: [UInt8]? = nil, inFlight: Bool = false) -> Bool {
        let busy = connection.endRequest(sending: response, inFlight: inFlight)
        return !(shuttingDown.load(ordering: .acquiring) && busy <= 0)
    }

    /// Refuses new requests and closes idle connections.
    func shutDown() {
        shuttingDown.store(true, ordering: .releasing)
        let open = state.withLock { Array($0.open.values) }
        for connection in open where connection.busyCount <= 0 { connection.requestClose() }
    }
}
