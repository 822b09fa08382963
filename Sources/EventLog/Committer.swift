import Foundation
import LMDB
import Logging
import Synchronization

/// The one thread that writes: it gathers every write queued meanwhile into one LMDB transaction
/// (group commit), commits it durably, and only then resumes the callers.
///
/// All commits run on this dedicated OS thread, never on the Swift concurrency pool or an event
/// loop: an LMDB write transaction must begin and end on the same thread, and a durable commit
/// blocks on fsync.
final class Committer: @unchecked Sendable {
    // @unchecked Sendable: `queue` and `closed` are guarded by `condition`; `head` is touched only
    // by the committer thread after `start()`.

    private let environment: Environment
    private let queries: LogQueries
    private let clock: LogClock
    private let logger: Logger
    private let maxBatch: Int
    private let onCommit: @Sendable (LogHead, [EventEnvelope]) -> Void

    private let condition = NSCondition()
    private var queue: [PendingWrite] = []
    private var closed = false
    private var finished = false
    private var head: LogHead
    private let counters = Mutex(GroupCommitStatistics())

    /// What the committer has done since the log was opened.
    var statistics: GroupCommitStatistics { counters.withLock { $0 } }

    init(environment: Environment, queries: LogQueries, head: LogHead, clock: LogClock, logger: Logger,
         maxBatch: Int, onCommit: @escaping @Sendable (LogHead, [EventEnvelope]) -> Void) {
        self.environment = environment
        self.queries = queries
        self.head = head
        self.clock = clock
        self.logger = logger
        self.maxBatch = maxBatch
        self.onCommit = onCommit
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "shixiang-committer"
        thread.start()
    }

    /// Queues a write for the next batch; fails it at once if the log is closed.
    func submit(_ write: PendingWrite) {
        condition.lock()
        if closed {
            condition.unlock()
            write.fail(EventLogError.closed)
            return
        }
        queue.append(write)
        condition.signal()
        condition.unlock()
    }

    /// Stops taking writes, commits what is queued, and returns when the thread has finished.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let take = min(queue.count, maxBatch)
            let batch = Array(queue.prefix(take))
            queue.removeFirst(take)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [PendingWrite]) {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = DispatchTime.now().uptimeNanoseconds - started
            counters.withLock { c in
                c.commits += 1
                c.writes += batch.count
                c.largestBatch = max(c.largestBatch, batch.count)
                c.commitSeconds += Double(elapsed) / 1e9
            }
        }
        var newHead = head
        var appended: [EventEnvelope] = []
        do {
            try environment.write { txn in
                var appender = LogAppender(queries: queries, head: head, now: clock.now())
                var batchAppended: [EventEnvelope] = []
                for write in batch {
                    // Each closure stages into a copy; only a closure that returns has its stage applied.
                    // The copy starts with no appended events, so copying it never copies the batch's.
                    var trial = appender
                    trial.forgetAppended()
                    let result: Result<any Sendable, any Error>
                    do {
                        result = .success(try txn.withReadView { view in try write.body(view, &trial) })
                    } catch {
                        result = .failure(error)
                    }
                    if case .success = result {
                        // Storage failures here (map full, disk) fail the batch; a full map is grown and the batch rerun.
                        try trial.flush(txn)
                        batchAppended.append(contentsOf: trial.appended)
                        appender = trial
                    }
                    write.outcome = result
                }
                newHead = appender.head
                appended = batchAppended
            }
        } catch {
            let explanation = StorageDiagnosis.explain(error, environment: environment)
            logger.error("group commit failed: nothing of the batch was written", metadata: [
                "error": "\(error)", "storage.reason": "\(explanation)", "batch.size": "\(batch.count)"])
            let reason = EventLogError.storage(explanation)
            for write in batch { write.fail(reason) }
            return
        }
        head = newHead
        counters.withLock { $0.events += appended.count }
        // Publish the new head before resuming the writers, so a writer that reads right after its
        // append returns sees at least its own events.
        if !appended.isEmpty { onCommit(newHead, appended) }
        for write in batch { write.finish() }
    }
}

/// Counters of the group commit since the log was opened, for `system.stats`: how many writes
/// share a durable commit, and how long commits take.
public struct GroupCommitStatistics: Sendable, Hashable {
    /// Transactions committed (or failed).
    public var commits = 0
    /// Write closures (appends, registry commands) in them.
    public var writes = 0
    /// Events stored by them.
    public var events = 0
    /// The most writes one commit carried.
    public var largestBatch = 0
    /// Time spent committing: the writes' work, the page writes and the syncs.
    public var commitSeconds = 0.0
}
