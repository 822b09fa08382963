#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected, blocking Unix stream socket that reads newline-terminated lines.
///
/// Plain `send`/`recv` on the calling thread: no event loop. Writes never raise SIGPIPE
/// (`MSG_NOSIGNAL`), an interrupted call (`EINTR`) is retried, and a peer that hangs up is
/// reported as ``ClientError/connectionClosed``. Not thread-safe, except ``interrupt()``.
final class LineSocket {
    private var fd: Int32
    private let maxLineBytes: Int
    /// Received bytes; `buffer[head..<tail]` is not yet consumed, `buffer[head..<head + scanned]` holds no newline.
    private var buffer: [UInt8]
    private var head = 0
    private var tail = 0
    private var scanned = 0
    /// Set once a line overflowed: the stream can no longer be split into lines.
    private var overflowed = false
    /// Guards `fd` against ``interrupt()`` racing ``close()``.
    private let fdLock = FDLock()

    /// Connects to the Unix socket at `path`. Throws ``ClientError/cannotConnect(path:reason:)``.
    init(path: String, maxLineBytes: Int) throws {
        self.maxLineBytes = max(maxLineBytes, 1)
        buffer = [UInt8](repeating: 0, count: min(64 << 10, self.maxLineBytes + 1))
        fd = try Self.connect(path)
    }

    deinit { close() }

    var isOpen: Bool { fdLock.withLock { fd >= 0 } }

    /// Closes the socket (idempotent).
    func close() {
        fdLock.withLock {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    /// Shuts the socket down in both directions from any thread: a `recv` blocked on another
    /// thread returns at once (as if the peer had hung up). The descriptor stays open until ``close()``.
    func interrupt() {
        fdLock.withLock {
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw ClientError.connectionClosed }
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EPIPE || code == ECONNRESET || code == ENOTCONN { throw ClientError.connectionClosed }
                throw ClientError.invalidResponse("send failed: \(Self.describe(code))")
            }
            offset += n
        }
    }

    /// Runs `body` with the next line (without its `\n` and a trailing `\r`); the bytes are valid
    /// only inside `body`. Returns `nil` if the peer closed the connection before a whole line (a
    /// half-written last line is dropped), or if `timeout` passed first (`.zero` only looks at
    /// what has arrived). Throws ``ClientError/invalidResponse(_:)`` for a line over the limit.
    func withNextLine<R>(timeout: Duration? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if overflowed { throw Self.oversized(maxLineBytes) }
            if let newline = findNewline() {
                if newline - head > maxLineBytes {
                    overflowed = true
                    throw Self.oversized(maxLineBytes)
                }
                var end = newline
                if end > head && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let start = head
                head = newline + 1
                scanned = 0
                return try buffer.withUnsafeBytes { raw in
                    try body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                }
            }
            if tail - head > maxLineBytes {
                overflowed = true
                throw Self.oversized(maxLineBytes)
            }
            if let deadline, try !waitReadable(until: deadline) { return nil }
            guard try fill() else { return nil }
        }
    }

    // MARK: Internals

    private static func oversized(_ limit: Int) -> ClientError {
        .invalidResponse("a response line exceeded \(limit) bytes")
    }

    private func findNewline() -> Int? {
        let from = head + scanned
        guard from < tail else { return nil }
        let found: Int? = buffer.withUnsafeBytes { raw in
            guard let p = memchr(raw.baseAddress! + from, Int32(UInt8(ascii: "\n")), tail - from) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
        if found == nil { scanned = tail - head }
        return found
    }

    /// Reads what has arrived (blocking until something does). `false` when the peer hung up.
    private func fill() throws -> Bool {
        guard fd >= 0 else { throw ClientError.connectionClosed }
        makeRoom()
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress! + tail, raw.count - tail, 0) }
            if n > 0 {
                tail += n
                return true
            }
            if n == 0 { return false }
            let code = errno
            if code == EINTR { continue }
            if code == ECONNRESET || code == ENOTCONN { return false }
            throw ClientError.invalidResponse("recv failed: \(Self.describe(code))")
        }
    }

    /// Moves the unconsumed bytes to the front, and grows the buffer (up to one line over the
    /// limit) when they fill it.
    private func makeRoom() {
        if head == tail {
            head = 0
            tail = 0
        } else if head > 0 && (tail == buffer.count || head >= buffer.count / 2) {
            let count = tail - head
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + head, count)
            }
            head = 0
            tail = count
        }
        if tail == buffer.count {
            let grown = min(buffer.count * 2, maxLineBytes + 1 + 64 << 10)
            buffer.append(contentsOf: repeatElement(0, count: max(grown - buffer.count, 64 << 10)))
        }
    }

    /// Waits until the socket is readable; `false` if `deadline` passes first.
    private func waitReadable(until deadline: ContinuousClock.Instant) throws -> Bool {
        guard fd >= 0 else { throw ClientError.connectionClosed }
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let ms = left <= .zero ? 0 : Int32(clamping: (left.components.seconds * 1000) + (left.components.attoseconds / 1_000_000_000_000_000) + 1)
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let rc = poll(&p, 1, ms)
            if rc > 0 { return true }
            if rc == 0 {
                if ContinuousClock.now >= deadline { return false }
                continue
            }
            if errno == EINTR { continue }
            throw ClientError.invalidResponse("poll failed: \(Self.describe(errno))")
        }
    }

    private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A connected `SOCK_STREAM` descriptor (close-on-exec) for the Unix socket at `path`.
    private static func connect(_ path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let fits = withUnsafeMutableBytes(of: &address.sun_path) { raw -> Bool in
            guard bytes.count < raw.count else { return false }
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
            return true
        }
        guard fits else {
            throw ClientError.cannotConnect(path: path, reason: "the socket path is too long (\(bytes.count) bytes; Unix sockets allow \(MemoryLayout.size(ofValue: address.sun_path) - 1))")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClientError.cannotConnect(path: path, reason: describe(errno)) }
        while true {
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if rc == 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            _ = Glibc.close(fd)
            throw ClientError.cannotConnect(path: path, reason: explain(code))
        }
    }

    /// The reason a connect failed, in words a person can act on.
    static func explain(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no socket file there"
        case ECONNREFUSED: return "nothing is listening (a stale socket file?)"
        case EACCES: return "permission denied (are you in the daemon's group?)"
        default: return describe(code)
        }
    }
}

/// A plain mutex around a closure, for the one field another thread may touch.
final class FDLock: @unchecked Sendable {
    // @unchecked Sendable: the pthread mutex is the synchronisation; it lives as long as the object.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
