import Foundation
import Glibc
import Synchronization

/// One accepted Unix-socket connection, served by a thread of its own.
///
/// While it may read, the thread waits in a blocking `recv(2)` on the socket itself, reads into a
/// ``LineAssembler`` and hands each line to `onLine` in place, on the thread. A line that
/// `onLine` does not answer itself goes to ``inbound``, an async stream the server's
/// per-connection task consumes. Any thread may ``send(_:)``: it writes straight to the socket
/// when nothing is queued (a response costs one `send(2)`, no hand-over), and queues the rest for
/// the ``OutputFlusher`` (or this thread, when it is not reading) to write when the socket can take it.
/// When it must not read (backpressure, closing), the thread waits in `poll(2)` on the socket and a
/// wake-up descriptor instead. A close request wakes a blocked `recv` by shutting the read side.
///
/// Why not an event loop: a request answered on the thread that read it costs the same system
/// calls as a raw echo server (`recv`, `send`), which on this 2-core machine is half the round
/// trip of an event loop with its own wake-ups and pipeline (measured: NIO framing-only echo
/// 29 µs, raw echo 15 µs). Why `recv` rather than `poll` then `read`: the extra call and the poll
/// wake-up cost 3.2 µs a round trip here (a C echo server: 14.8 µs blocking, 18.0 µs polling).
/// Connections are few (units' clients and the CLI), so a thread each is cheap.
///
/// Backpressure: reading pauses while `maxQueuedLines` lines wait for the async consumer or
/// `maxInFlight` requests wait for storage; an async ``send(_:)`` waits while more than
/// `highWater` bytes are queued for a peer that reads slowly, so a slow reader slows only itself.
///
/// `@unchecked Sendable`: every mutable field is inside the `state` mutex, except what only the
/// connection's own thread touches (the assembler, `pipelined`), and `fd`, which is closed
/// only by that thread, under the mutex, after `closed` is set, so no other thread can write to a
/// reused descriptor number.
final class SocketConnection: @unchecked Sendable {
    enum Inbound: Sendable {
        case line([UInt8])
        case oversized(limit: Int)
    }

    static let maxQueuedLines = 32
    static let maxInFlight = 64
    static let highWater = 4 << 20
    static let lowWater = 1 << 20
    /// How long a connection asked to close may take to flush what is queued for a peer that does not read.
    static let closeGrace: Double = 5

    let fd: Int32
    let peer: PeerCredentials?
    let maxLineBytes: Int
    /// Lines for the async consumer, in order; finished when input ends.
    let inbound: AsyncStream<Inbound>
    private let inboundContinuation: AsyncStream<Inbound>.Continuation
    /// A pipe: the thread polls the read end; ``signal()`` writes a byte to the other.
    private let wakeFD: Int32
    private let wakeWriteFD: Int32
    private let finished = OneShotSignal()

    private struct State {
        var pending: [UInt8] = []
        var pendingStart = 0
        var pendingBytes: Int { pending.count - pendingStart }
        var closed = false
        /// A write failed: the peer is gone; whatever is queued is dropped.
        var broken = false
        var inputDone = false
        var closeRequestedAt: Double?
        var consumerDone = false
        var queuedLines = 0
        var inFlight = 0
        /// Requests begun and not yet answered, on either path (see ``ConnectionRegistry``).
        var busy = 0
        var writers: [CheckedContinuation<Void, any Error>] = []
        /// The thread is in (or about to enter) a blocking `recv`: a close must shut the read side to wake it.
        var readBlocked = false
    }

    private let state = Mutex(State())

    /// While `onLine` runs: whether the peer had already sent more after this line (it pipelines,
    /// so its appends should be batched rather than committed one by one). Only the connection's
    /// thread touches it.
    private(set) var pipelined = false

    /// Takes ownership of `fd` (a connected socket). It is put in blocking mode for the thread's
    /// `recv`; every other call on it passes `MSG_DONTWAIT`, so no other thread ever blocks on it.
    init(fd: Int32, peer: PeerCredentials?, maxLineBytes: Int) throws {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        self.peer = peer
        self.maxLineBytes = maxLineBytes
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for end in pipeFDs {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = pipeFDs[0]
        wakeWriteFD = pipeFDs[1]
        (inbound, inboundContinuation) = AsyncStream.makeStream(of: Inbound.self)
    }

    /// Starts the connection's thread. `onLine` runs on it for every complete line and returns
    /// true if it answered the line itself; otherwise the line goes to ``inbound``.
    func start(name: String, onLine: @escaping @Sendable (UnsafeRawBufferPointer, SocketConnection) -> Bool) {
        let thread = Thread { [self] in run(onLine) }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Returns once the thread has closed the socket.
    func waitUntilClosed() async { await finished.wait() }

    // MARK: Writing (any thread)

    /// Queues `bytes` for the peer, writing at once when nothing is queued. Returns false if the
    /// connection is closed or broken (the bytes are dropped).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        state.withLock { s in write(bytes, &s) }
    }

    /// ``send(_:)`` under the lock already held; wakes the thread if it must flush or notice a failure.
    private func write(_ bytes: [UInt8], _ s: inout State) -> Bool {
        guard !s.closed, !s.broken else { return false }
        var start = 0
        if s.pendingBytes == 0 {
            let written = Self.write(fd, bytes, from: 0)
            if written < 0 {
                s.broken = true
                interruptRead(s)
                wake(s)
                return false
            }
            if written == bytes.count { return true }
            start = written
        }
        s.pending.append(contentsOf: bytes[start...])
        // The thread may be blocked reading: the flusher writes the rest as the peer takes it.
        OutputFlusher.shared.watch(self)
        wake(s)
        return true
    }

    /// Queues `bytes`, then waits while the peer has more than `highWater` bytes to read.
    /// Throws `ConnectionClosed` once the connection is closed or broken.
    func sendWaiting(_ bytes: [UInt8]) async throws {
        guard send(bytes) else { throw ConnectionClosed() }
        guard state.withLock({ $0.pendingBytes > Self.highWater }) else { return }
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let now: Result<Void, any Error>? = state.withLock { s in
                if s.closed || s.broken { return .failure(ConnectionClosed()) }
                if s.pendingBytes <= Self.lowWater { return .success(()) }
                s.writers.append(c)
                return nil
            }
            if let now { c.resume(with: now) }
        }
    }

    /// The connection is closed (or the peer went away).
    struct ConnectionClosed: Error {}

    // MARK: Bookkeeping from the server

    /// A request begins (`inFlight`: one that storage will answer; reading pauses at `maxInFlight`).
    func beginRequest(inFlight: Bool) {
        state.withLock { s in
            s.busy += 1
            if inFlight { s.inFlight += 1 }
        }
    }

    /// A request ends, with `response` written first: one lock for the three, since the committer
    /// thread ends appends while the connection thread is already reading the peer's next request.
    /// Returns how many requests are still in progress.
    func endRequest(sending response: [UInt8]?, inFlight: Bool) -> Int {
        state.withLock { s in
            if let response { _ = write(response, &s) }
            if inFlight {
                s.inFlight -= 1
                if s.inFlight == Self.maxInFlight - 1 || (s.inFlight == 0 && (s.inputDone || s.closeRequestedAt != nil)) { wake(s) }
            }
            s.busy -= 1
            return s.busy
        }
    }

    /// Requests in progress.
    var busyCount: Int { state.withLock { $0.busy } }

    /// The async consumer has dealt with one line of ``inbound``.
    func consumedLine() {
        let wake = state.withLock { s -> Bool in
            s.queuedLines -= 1
            return s.queuedLines == Self.maxQueuedLines - 1
        }
        if wake { signal() }
    }

    /// The async consumer will take nothing more.
    func consumerFinished() {
        state.withLock { $0.consumerDone = true }
        signal()
    }

    /// Stops reading and closes once requests in progress are answered and queued bytes flushed
    /// (or after ``closeGrace``).
    func requestClose() {
        state.withLock { s in
            if s.closeRequestedAt == nil { s.closeRequestedAt = Self.now() }
            interruptRead(s)
        }
        inboundContinuation.finish()
        signal()
    }

    /// Ends the thread's blocking `recv` (it returns end of input) by shutting the socket's read
    /// side. Called under the mutex, under which the thread marks `readBlocked` before it reads, so
    /// a close cannot slip in unseen between the check and the `recv`. Only while the thread reads:
    /// a shut read side makes the peer's further writes fail, which a connection that is discarding
    /// input (after an oversized line) must not do to a peer still sending the rest of it.
    private func interruptRead(_ s: borrowing State) {
        if s.readBlocked && !s.closed { _ = shutdown(fd, Int32(SHUT_RD)) }
    }

    // MARK: The thread

    private func run(_ onLine: (UnsafeRawBufferPointer, SocketConnection) -> Bool) {
        var assembler = LineAssembler(maxLength: maxLineBytes)
        var fds = [pollfd(fd: fd, events: 0, revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        var socketHungUp = false
        while true {
            let (wantRead, wantWrite, exit, closing) = state.withLock { s -> (Bool, Bool, Bool, Bool) in
                let stopReading = s.inputDone || s.closeRequestedAt != nil
                let wantRead = !stopReading && s.queuedLines < Self.maxQueuedLines && s.inFlight < Self.maxInFlight
                let wantWrite = s.pendingBytes > 0 && !s.broken
                var exit = s.broken
                if stopReading && s.inFlight == 0 && (s.consumerDone || s.closeRequestedAt != nil) && s.pendingBytes == 0 { exit = true }
                if let asked = s.closeRequestedAt, Self.now() - asked > Self.closeGrace { exit = true }
                s.readBlocked = wantRead && !exit
                return (wantRead, wantWrite, exit, s.closeRequestedAt != nil)
            }
            if exit { break }
            if wantRead {
                // The steady state: wait for the next request in recv itself. Output the peer cannot
                // take yet is the flusher's; a close request shuts the read side, which ends this recv.
                let result = assembler.read(from: fd, waiting: true)
                state.withLock { $0.readBlocked = false }
                take(result, &assembler, onLine)
                continue
            }
            let discard = assembler.overflowed && !socketHungUp
            fds[0].fd = socketHungUp ? -1 : fd
            fds[0].events = Int16((discard ? POLLIN : 0) | (wantWrite ? POLLOUT : 0))
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, closing ? 100 : -1)
            if ready < 0 {
                if errno == EINTR { continue }
                state.withLock { $0.broken = true }
                break
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                var drain = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
                _ = withUnsafeMutableBytes(of: &drain) { Glibc.read(wakeFD, $0.baseAddress, $0.count) }
            }
            let events = fds[0].revents
            if events & Int16(POLLOUT) != 0 { flush() }
            if discard && events & Int16(POLLIN) != 0 && !Self.discardInput(fd) { socketHungUp = true }
            if events & Int16(POLLHUP | POLLERR) != 0 {
                // The peer is gone; poll would report it again at once. Flush fails and marks it broken.
                socketHungUp = true
                if wantWrite { flush() }
            }
        }
        // Unread input makes the kernel reset the connection instead of closing it, and the peer
        // may then lose the last response: read what is there first.
        _ = Self.discardInput(fd)
        let writers = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.closed = true
            close(fd)
            close(wakeFD)
            close(wakeWriteFD)
            defer { s.writers = [] }
            return s.writers
        }
        for w in writers { w.resume(throwing: ConnectionClosed()) }
        inboundContinuation.finish()
        finished.raise()
    }

    /// Hands the lines of what one read brought to `onLine` (or on to ``inbound``), and notes the end of input.
    private func take(_ result: LineAssembler.ReadResult, _ assembler: inout LineAssembler,
                      _ onLine: (UnsafeRawBufferPointer, SocketConnection) -> Bool) {
        switch result {
        case .bytes:
            var handedOn = 0
            var oversized = false
            while assembler.nextFrame({ frame, bytesAfter in
                switch frame {
                case .line(let line):
                    if line.isEmpty { return }
                    pipelined = bytesAfter > 0
                    if !onLine(line, self) {
                        handedOn += 1
                        inboundContinuation.yield(.line(Array(line)))
                    }
                case .oversized:
                    oversized = true
                    handedOn += 1
                    inboundContinuation.yield(.oversized(limit: maxLineBytes))
                }
            }) {}
            if handedOn > 0 || oversized {
                state.withLock { s in
                    s.queuedLines += handedOn
                    if oversized { s.inputDone = true }
                }
            }
            if oversized { inboundContinuation.finish() }
        case .wouldBlock:
            break
        case .endOfFile, .failed:
            // A half-written last line is dropped: it was never a complete request. (Also how a
            // close request ends a blocking read: it shut the read side.)
            state.withLock { $0.inputDone = true }
            inboundContinuation.finish()
        }
    }

    /// Reads and drops whatever input is waiting; false at end of input (or an error).
    private static func discardInput(_ fd: Int32) -> Bool {
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = scratch.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { continue }
            if n < 0 && errno == EINTR { continue }
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
    }

    /// Whether bytes are queued for a peer that can still take them (the flusher's question).
    var hasBacklog: Bool { state.withLock { $0.pendingBytes > 0 && !$0.broken && !$0.closed } }

    /// Writes what is queued, as far as the socket takes it (from this thread or the flusher's).
    func flush() {
        let writers = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            guard s.pendingBytes > 0, !s.broken, !s.closed else { return [] }
            let written = Self.write(fd, s.pending, from: s.pendingStart)
            if written < 0 {
                s.broken = true
                s.pending = []
                s.pendingStart = 0
            } else {
                s.pendingStart += written
                if s.pendingStart == s.pending.count {
                    s.pending.removeAll(keepingCapacity: s.pending.capacity <= Self.lowWater)
                    s.pendingStart = 0
                } else if s.pendingStart > Self.lowWater {
                    s.pending.removeFirst(s.pendingStart)
                    s.pendingStart = 0
                }
            }
            guard s.broken || s.pendingBytes <= Self.lowWater else { return [] }
            defer { s.writers = [] }
            return s.writers
        }
        let failed = state.withLock { $0.broken }
        for w in writers {
            if failed { w.resume(throwing: ConnectionClosed()) } else { w.resume() }
        }
    }

    /// Wakes the thread from `poll`. Under the mutex, so the descriptor is never written after it
    /// was closed (and perhaps reused).
    private func signal() {
        state.withLock { s in wake(s) }
    }

    private func wake(_ s: borrowing State) {
        var byte: UInt8 = 1
        if !s.closed { _ = Glibc.write(wakeWriteFD, &byte, 1) }
    }

    /// Non-blocking write of `bytes[from...]`: how many bytes went out (0 if the socket is full),
    /// or -1 if the peer is gone.
    private static func write(_ fd: Int32, _ bytes: [UInt8], from: Int) -> Int {
        var offset = from
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            return -1
        }
        return offset - from
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
