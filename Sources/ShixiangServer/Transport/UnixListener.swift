import Foundation
import Glibc
import Synchronization

/// A listening Unix domain socket and the thread that accepts on it.
///
/// Accepted descriptors (non-blocking, close-on-exec) arrive on ``accepted`` in order; the stream
/// finishes after ``close()``.
///
/// `@unchecked Sendable`: `fd` is immutable; whether it is still open is in the `open` mutex, and
/// it is closed only by the accept thread after `close()` has shut it down.
final class UnixListener: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    let accepted: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let fd: Int32
    private let open = Mutex(true)

    /// Binds and listens on `path`. A stale socket file there is replaced; any other kind of file
    /// is left alone and refused.
    init(path: String, backlog: Int32) throws {
        self.path = path
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            throw Failure(description: "socket path is too long (\(bytes.count) bytes; at most \(capacity - 1)): \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                throw Failure(description: "\(path) exists and is not a socket; not replacing it")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "cannot bind \(path): \(reason)")
        }
        guard listen(fd, backlog) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            unlink(path)
            throw Failure(description: "cannot listen on \(path): \(reason)")
        }
        self.fd = fd
        (accepted, continuation) = AsyncStream.makeStream(of: Int32.self)
    }

    /// Starts accepting on a thread of its own.
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "shixiang-accept"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Stops accepting: connections already accepted are not affected.
    func close() {
        open.withLock { isOpen in
            guard isOpen else { return }
            isOpen = false
            // Wakes the blocked accept(2) (it fails with EINVAL); the thread then closes the descriptor.
            _ = shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    private func acceptLoop() {
        while open.withLock({ $0 }) {
            let client = accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                if open.withLock({ $0 }) { continuation.yield(client) } else { Glibc.close(client) }
                continue
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // Out of descriptors or memory: wait a little rather than spin; the peer waits in the backlog.
                usleep(50_000)
            default:
                if open.withLock({ $0 }) { usleep(10_000) }  // unexpected: don't spin
            }
        }
        Glibc.close(fd)
        continuation.finish()
    }
}
