import LMDB

/// A write waiting for the next group commit, and the caller suspended until it is durable.
final class PendingWrite: @unchecked Sendable {
    // @unchecked Sendable: `outcome` is written and read only on the committer thread; the
    // continuation is resumed exactly once, by that thread (or by `fail` before it was ever queued).

    typealias Body = (borrowing TransactionView, inout LogAppender) throws -> any Sendable

    let body: Body
    private let continuation: CheckedContinuation<any Sendable, any Error>
    var outcome: Result<any Sendable, any Error>?

    init(body: @escaping Body, continuation: CheckedContinuation<any Sendable, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    /// Resumes the caller with the outcome decided in the batch (called after the commit is durable).
    func finish() {
        continuation.resume(with: outcome ?? .failure(EventLogError.storage("the write was not run")))
    }

    /// Resumes the caller with `error` (the batch could not be committed, or the log is closed).
    func fail(_ error: any Error) {
        continuation.resume(throwing: error)
    }
}
