import LMDB

/// A write waiting for the next group commit, and whoever waits for it to be durable.
final class PendingWrite: @unchecked Sendable {
    // @unchecked Sendable: `outcome` is written and read only on the committer thread; the
    // completion is called exactly once, by that thread (or by `fail` before it was ever queued).

    typealias Body = (borrowing TransactionView, inout LogAppender) throws -> any Sendable
    typealias Completion = @Sendable (Result<any Sendable, any Error>) -> Void

    let body: Body
    private let completion: Completion
    var outcome: Result<any Sendable, any Error>?

    init(body: @escaping Body, completion: @escaping Completion) {
        self.body = body
        self.completion = completion
    }

    /// Reports the outcome decided in the batch (called after the commit is durable).
    func finish() {
        completion(outcome ?? .failure(EventLogError.storage("the write was not run")))
    }

    /// Reports `error` (the batch could not be committed, or the log is closed).
    func fail(_ error: any Error) {
        completion(.failure(error))
    }
}
