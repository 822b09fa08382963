import Foundation
import LMDB
import Logging
import Synchronization

/// The one thread that writes: it gathers every write queued meanwhile into one LMDB transaction
/// (group commit), commits it durably, and only then resumes the callers.
///
/// Commits run on this dedicated OS thread, never on the Swift concurrency pool or an event loop:
/// an LMDB write transaction must begin and end on the same thread, and a durable commit blocks on
/// fsync. The one exception is the *inline* commit (see ``submit(_:mayCommitInline:)``): a caller
/// on an OS thread of its own that may block, arriving when nothing is queued or committing and
/// the last commit carried a single write, commits its write on its own thread, begin to end. That
/// spares a lone writer the hand-over to this thread and back, the largest cost after the sync
/// itself; as soon as writes overlap, batches form here again.
final class Committer: @unchecked Sendable {
    // @unchecked Sendable: `queue`, `closed`, `busy` and `lastBatchSize` are guarded by `condition`;
    // `head` is touched only by the thread holding `busy` (the committer thread, or an inline
    // committer), handed over under `condition`.

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
    /// A commit is running, on this thread or inline on a caller's: no other may begin.
    private var busy = false
    /// Writes in the last commit; inline commits are offered only while writers do not overlap.
    private var lastBatchSize = 0
    private var head: LogHead
    /// The indexed-through mark on disk: events up to it have their index entries written.
    private var indexedThrough: UInt64
    /// Write the index entries once this many events are waiting for them.
    private let indexLag: Int
    private let counters = Mutex(GroupCommitStatistics())

    /// Writes waiting for the committer thread.
    var queuedWrites: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// What the committer has done since the log was opened.
    var statistics: GroupCommitStatistics { counters.withLock { $0 } }

    init(environment: Environment, queries: LogQueries, head: LogHead, indexedThrough: UInt64, indexLag: Int,
         clock: LogClock, logger: Logger, maxBatch: Int, onCommit: @escaping @Sendable (LogHead, [EventEnvelope]) -> Void) {
        self.environment = environment
        self.queries = queries
        self.head = head
        self.indexedThrough = indexedThrough
        self.indexLag = max(indexLag, 1)
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
    ///
    /// With `mayCommitInline`, the caller declares it runs on an OS thread of its own that may block
    /// for a durable commit (a connection's thread; never an event loop or the Swift concurrency
    /// pool). If nothing is queued or committing and the last commit carried one write, the write is
    /// committed right here, and its completion called, before this returns.
    func submit(_ write: PendingWrite, mayCommitInline: Bool = false) {
        condition.lock()
        if closed {
            condition.unlock()
            write.fail(EventLogError.closed)
            return
        }
        if mayCommitInline && !busy && queue.isEmpty && lastBatchSize <= 1 {
            busy = true
            condition.unlock()
            commit([write])
            condition.lock()
            busy = false
            lastBatchSize = 1
            // The committer thread (or `close`) may be waiting for this commit to end.
            condition.broadcast()
            condition.unlock()
            return
        }
        queue.append(write)
        condition.signal()
        condition.unlock()
    }

    /// Stops taking writes, commits what is queued, writes the index entries still waiting, and
    /// returns when the thread has finished (and no inline commit is running).
    func close() {
        condition.lock()
        let first = !closed
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        // Nothing commits any more: this thread may write the last index batch.
        if first && indexedThrough < head.seq {
            do {
                try environment.write { txn in try writeIndex(txn, through: head.seq, batch: []) }
                let through = head.seq
                queries.tail.prune(through: through)
                indexedThrough = through
            } catch {
                logger.warning("could not write the last index entries on close; they are written at the next start", metadata: [
                    "error": "\(error)", "indexedThrough": "\(indexedThrough)", "head": "\(head.seq)"])
            }
        }
    }

    /// Writes the index entries of the events after ``indexedThrough`` up to `through` (those
    /// already committed come from the tail, `batch` holds the rest) and moves the mark.
    private func writeIndex(_ txn: borrowing WriteTransaction, through: UInt64, batch: [EventEnvelope]) throws {
        let committedThrough = batch.first.map { $0.seq - 1 } ?? through
        var entries: [IndexTail.Entry]
        if let held = queries.tail.entries(after: indexedThrough, through: committedThrough) {
            entries = held
        } else {
            entries = try queries.readEntries(txn, after: indexedThrough, through: committedThrough)
        }
        entries.reserveCapacity(entries.count + batch.count)
        for e in batch { entries.append(IndexTail.Entry(seq: e.seq, stream: e.stream, version: e.version, id: e.id)) }
        try Self.putIndex(txn, entries, dbs: queries.dbs)
        try txn.put(queries.dbs.meta, key: LogKeys.indexedThroughKey, value: BigEndianKey.bytes(through), flags: [])
    }

    /// Puts index entries, in key order (neighbouring keys share pages).
    static func putIndex(_ txn: borrowing WriteTransaction, _ entries: [IndexTail.Entry], dbs: LogDatabases) throws {
        var streamKeys = entries.map { (LogKeys.stream($0.stream, version: $0.version), $0.seq) }
        streamKeys.sort { $0.0.lexicographicallyPrecedes($1.0) }
        for (key, seq) in streamKeys {
            try txn.put(dbs.byStream, key: key, value: BigEndianKey.bytes(seq), flags: .noOverwrite)
        }
        var idKeys = entries.map { (LogKeys.id($0.id), $0.seq) }
        idKeys.sort { $0.0.lexicographicallyPrecedes($1.0) }
        for (key, seq) in idKeys {
            try txn.put(dbs.byID, key: key, value: BigEndianKey.bytes(seq), flags: .noOverwrite)
        }
    }

    private func run() {
        while true {
            condition.lock()
            while (queue.isEmpty && !closed) || busy { condition.wait() }
            if queue.isEmpty && closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let take = min(queue.count, maxBatch)
            let batch = Array(queue.prefix(take))
            queue.removeFirst(take)
            busy = true
            condition.unlock()
            commit(batch)
            condition.lock()
            busy = false
            lastBatchSize = batch.count
            condition.unlock()
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
        var indexed = false
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
                // Every `indexLag` events, this commit also writes the index entries waiting.
                indexed = false
                if newHead.seq - indexedThrough >= UInt64(indexLag) {
                    try writeIndex(txn, through: newHead.seq, batch: batchAppended)
                    indexed = true
                }
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
        queries.tail.add(appended)
        if indexed {
            // Keep the entries of the previous index batch a while: a reader whose snapshot began
            // before this commit still finds them here (an older one reads them from the log).
            queries.tail.prune(through: indexedThrough)
            indexedThrough = newHead.seq
        }
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
