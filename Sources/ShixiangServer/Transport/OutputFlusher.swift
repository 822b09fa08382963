import Foundation
import Glibc
import Synchronization

/// Writes out what connections queued for peers that were not reading fast enough.
///
/// A connection's thread spends its life blocked in `recv`, so it cannot also wait for its socket
/// to take more output. When a response does not fit at once (a slow reader of a long
/// `events.read`, a subscription catching up), the connection asks this one process-wide thread
/// to watch it: the thread polls every such socket for `POLLOUT` and flushes it, and forgets it
/// once its queue is empty. Nothing else ever waits here, so it costs nothing while output fits.
final class OutputFlusher: @unchecked Sendable {
    // @unchecked Sendable: `watched` is a mutex; the pipe descriptors are set once and never closed
    // (the flusher lives as long as the process).

    static let shared = OutputFlusher()

    private let watched = Mutex<[ObjectIdentifier: SocketConnection]>([:])
    private let wakeFD: Int32
    private let wakeWriteFD: Int32

    private init() {
        var pipeFDs: [Int32] = [-1, -1]
        if pipe(&pipeFDs) != 0 { pipeFDs = [-1, -1] }
        for end in pipeFDs where end >= 0 {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = pipeFDs[0]
        wakeWriteFD = pipeFDs[1]
        let thread = Thread { [self] in run() }
        thread.name = "shixiang-flusher"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Flushes `connection`'s queue as its peer takes it. May be called under the connection's lock
    /// (this takes only its own, and never the other way round).
    func watch(_ connection: SocketConnection) {
        watched.withLock { $0[ObjectIdentifier(connection)] = connection }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriteFD, &byte, 1)
    }

    /// Connections being watched right now (for tests).
    var watchedCount: Int { watched.withLock { $0.count } }

    private func run() {
        while true {
            let connections = watched.withLock { Array($0.values) }
            var fds = connections.map { pollfd(fd: $0.fd, events: Int16(POLLOUT), revents: 0) }
            fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            // A connection closed meanwhile (its descriptor perhaps reused) only makes a wasted
            // flush: `flush` writes nothing once the connection is closed, and it is then dropped.
            // Without a wake-up pipe (it could not be made), look for new work every 50 ms instead.
            let ready = poll(&fds, nfds_t(fds.count), wakeFD < 0 ? 50 : (connections.isEmpty ? -1 : 1000))
            if ready < 0 && errno != EINTR {
                usleep(10_000)  // unexpected: do not spin
                continue
            }
            if fds[fds.count - 1].revents & Int16(POLLIN) != 0 {
                var drain = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
                _ = withUnsafeMutableBytes(of: &drain) { Glibc.read(wakeFD, $0.baseAddress, $0.count) }
            }
            var drained: [SocketConnection] = []
            for (i, connection) in connections.enumerated() {
                if fds[i].revents != 0 { connection.flush() }
                if !connection.hasBacklog { drained.append(connection) }
            }
            guard !drained.isEmpty else { continue }
            watched.withLock { w in for c in drained { w[ObjectIdentifier(c)] = nil } }
            // A queue that grew again between the check and the removal is watched again: the
            // connection's own `watch` may have landed before the removal.
            for c in drained where c.hasBacklog { watch(c) }
        }
    }
}
