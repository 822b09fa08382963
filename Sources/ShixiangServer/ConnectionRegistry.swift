import Synchronization

/// The open connections, so the server can count them and close them on shutdown.
///
/// Each connection counts the requests it is working on, on either path (the async dispatcher or
/// the connection thread's fast path). On shutdown an idle connection is closed at once; a busy one is
/// closed when its last request in progress has been answered.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        var connection: SocketConnection
        var number: Int
        var busy: Int
    }

    private struct State {
        var next = 0
        var open: [ObjectIdentifier: Entry] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Open connections right now.
    public var count: Int { state.withLock { $0.open.count } }

    /// Registers a connection and returns its number for logs, or `nil` when shutting down (then close it).
    func add(_ connection: SocketConnection) -> Int? {
        state.withLock { s in
            guard !s.shuttingDown else { return nil }
            s.next += 1
            let key = ObjectIdentifier(connection)
            let busy = s.open[key]?.busy ?? 0
            s.open[key] = Entry(connection: connection, number: s.next, busy: busy)
            return s.next
        }
    }

    func remove(_ connection: SocketConnection) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Marks the start of a request. Returns false when the server is shutting down.
    func beginRequest(_ connection: SocketConnection) -> Bool {
        state.withLock { s in
            guard !s.shuttingDown else { return false }
            let key = ObjectIdentifier(connection)
            if s.open[key] == nil { s.open[key] = Entry(connection: connection, number: 0, busy: 0) }
            s.open[key]?.busy += 1
            return true
        }
    }

    /// Marks the end of a request. Returns false when the connection should now close
    /// (shutting down and nothing else in progress on it).
    func endRequest(_ connection: SocketConnection) -> Bool {
        state.withLock { s in
            let key = ObjectIdentifier(connection)
            s.open[key]?.busy -= 1
            return !(s.shuttingDown && (s.open[key]?.busy ?? 0) <= 0)
        }
    }

    /// Refuses new requests and closes idle connections.
    func shutDown() {
        let idle: [SocketConnection] = state.withLock { s in
            s.shuttingDown = true
            return s.open.values.filter { $0.busy <= 0 }.map(\.connection)
        }
        for connection in idle { connection.requestClose() }
    }
}
