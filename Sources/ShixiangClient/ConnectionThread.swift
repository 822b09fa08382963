import Foundation

/// A dedicated OS thread that owns one ``RegistryConnection`` and runs the blocking work given to
/// it, one job at a time, resuming the awaiting task when each is done.
///
/// This is how ``RegistryClient`` offers async calls on the blocking core without ever blocking a
/// thread of Swift's cooperative pool (two threads on a 2-core machine: a few connections waiting
/// for notifications would stall every other task).
final class ConnectionThread: @unchecked Sendable {
    // @unchecked Sendable: `connection` is touched only by the thread (`jobs` run there); `jobs` and
    // `finished` only under `condition`; `interrupt()` goes through the socket's own lock.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var finished = false
    private var connection: RegistryConnection?
    /// Set once connected, for ``interrupt()`` from other threads.
    private let interruptible = FDLock()
    private var connected: RegistryConnection?

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Connects on the thread.
    func connect(socketPath: String, maxLineBytes: Int) async throws {
        try await perform { [self] in
            let c = try RegistryConnection(socketPath: socketPath, maxLineBytes: maxLineBytes)
            connection = c
            interruptible.withLock { connected = c }
        }
    }

    /// Runs `body` with the connection on the thread and returns its result. If the awaiting task
    /// is cancelled meanwhile, the socket is shut down so that a blocked read returns: the call
    /// fails with ``ClientError/connectionClosed`` and the connection is unusable afterwards.
    func run<T: Sendable>(_ body: @escaping @Sendable (RegistryConnection) throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await perform { [self] in
                guard let connection else { throw ClientError.connectionClosed }
                return try body(connection)
            }
        } onCancel: {
            self.interrupt()
        }
    }

    /// Closes the connection and ends the thread once the jobs already given are done.
    func finish() async {
        _ = try? await perform { [self] in
            interruptible.withLock { connected = nil }
            connection?.close()
            connection = nil
        }
        markFinished()
    }

    private func markFinished() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func interrupt() {
        interruptible.withLock { connected?.interrupt() }
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
