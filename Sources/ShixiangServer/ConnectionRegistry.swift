import NIOCore
import Synchronization

/// The open connections, so the server can count them and close them on shutdown.
///
/// On shutdown an idle connection is closed at once; a connection in the middle of a request is
/// closed right after its response is written.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy: Bool
    }

    private struct State {
        var next = 0
        var open: [Int: Entry] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Open connections right now.
    public var count: Int { state.withLock { $0.open.count } }

    /// Registers a connection and returns its id, or `nil` when shutting down (then close it).
    func add(_ channel: any Channel) -> Int? {
        state.withLock { s in
            guard !s.shuttingDown else { return nil }
            s.next += 1
            s.open[s.next] = Entry(channel: channel, busy: false)
            return s.next
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.open.removeValue(forKey: id) }
    }

    /// Marks the start of a request. Returns false when the server is shutting down.
    func beginRequest(_ id: Int) -> Bool {
        state.withLock { s in
            guard !s.shuttingDown else { return false }
            s.open[id]?.busy = true
            return true
        }
    }

    /// Marks the end of a request. Returns false when the connection should now close.
    func endRequest(_ id: Int) -> Bool {
        state.withLock { s in
            s.open[id]?.busy = false
            return !s.shuttingDown
        }
    }

    /// Refuses new requests and closes idle connections.
    func shutDown() {
        let idle: [any Channel] = state.withLock { s in
            s.shuttingDown = true
            return s.open.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
