import Foundation
import LMDB
import Logging
import ShixiangJSON

/// How an ``EventStore`` is opened.
public struct EventStoreOptions: Sendable {
    public var environment = EnvironmentOptions()
    /// Most writes gathered into one group commit.
    public var maxBatch = 512
    /// How many committed events may wait for their `events-by-stream` and `events-by-id` entries.
    ///
    /// A durable commit costs about one page write per page it changes, and an event's index
    /// entries land on pages of their own (a stream's last leaf, a random leaf of the id index).
    /// So an append commits its event alone, and once this many events are waiting, that commit
    /// also writes all their entries (neighbours then share pages) and moves the `indexed-through`
    /// mark in `log-meta`. Reads are exact either way: the waiting entries are held in memory (and
    /// rebuilt from the log at the next start after a crash). 1 writes every event's entries in
    /// its own commit.
    public var indexLag = 256
    public init() {}
}

/// The append-only, hash-chained event log in one LMDB environment.
///
/// Writes go through ``write(_:)`` (or ``append(stream:expected:events:actor:)``): they are queued,
/// gathered with the writes of other callers into one transaction, and the call returns only once
/// that transaction is durably committed (fsynced). A write that throws leaves no trace, and does not
/// disturb the other writes of its batch. Reads run on the caller's thread in short snapshots.
public final class EventStore: Sendable {
    public let environment: Environment
    public let queries: LogQueries
    public var databases: LogDatabases { queries.dbs }
    let committer: Committer
    private let watcher: HeadWatcher

    /// Opens (creating if needed) the log in `directory`, which must exist.
    public init(directory: String, options: EventStoreOptions = EventStoreOptions(),
                clock: LogClock = .system, logger: Logger = Logger(label: "shixiang.log")) throws {
        let env = try Environment(path: directory, options: options.environment)
        env.clearStaleReaders()
        let dbs = try LogDatabases(environment: env)
        try env.write { txn in
            let format = try txn.value(dbs.meta, key: Array("format".utf8))
            if let format {
                let tag = String(decoding: format, as: UTF8.self)
                guard LogDatabases.readableFormats.contains(tag) else {
                    throw EventLogError.storage("\(directory) holds log format \(tag); this build reads \(LogDatabases.readableFormats.joined(separator: " and "))")
                }
                // Format 1 indexed every event in its own commit: all of it is indexed, and the
                // mark written below says so. Older builds must not read a log whose indexes lag.
                if tag != LogDatabases.formatTag && !options.environment.readOnly {
                    try txn.put(dbs.meta, key: Array("format".utf8), value: Array(LogDatabases.formatTag.utf8))
                }
            } else {
                try txn.put(dbs.meta, key: Array("format".utf8), value: Array(LogDatabases.formatTag.utf8))
            }
        }
        let (head, indexed) = try Self.indexTail(env, dbs: dbs, readOnly: options.environment.readOnly, logger: logger)
        let queries = LogQueries(dbs: dbs, tail: IndexTail(floor: indexed))
        let watcher = HeadWatcher(head: head)
        self.environment = env
        self.queries = queries
        self.watcher = watcher
        self.committer = Committer(environment: env, queries: queries, head: head, indexedThrough: indexed,
                                   indexLag: options.indexLag, clock: clock, logger: logger,
                                   maxBatch: options.maxBatch) { head, _ in watcher.publish(head) }
        committer.start()
    }

    /// The head, and the indexed-through mark after writing the index entries of the events a
    /// crash (or an older build, which had no mark) left without them.
    private static func indexTail(_ env: Environment, dbs: LogDatabases, readOnly: Bool, logger: Logger) throws -> (LogHead, UInt64) {
        let plain = LogQueries(dbs: dbs)
        let (head, mark, stored) = try env.read { txn in
            let head = try plain.head(txn)
            let stored = try txn.value(dbs.meta, key: LogKeys.indexedThroughKey).flatMap { BigEndianKey.read($0) }
            return (head, try plain.indexRange(txn).indexedThrough, stored)
        }
        guard !readOnly, stored == nil || mark < head.seq else { return (head, mark) }
        try env.write { txn in
            if mark < head.seq {
                let entries = try plain.readEntries(txn, after: mark, through: head.seq)
                try Committer.putIndex(txn, entries, dbs: dbs)
            }
            try txn.put(dbs.meta, key: LogKeys.indexedThroughKey, value: BigEndianKey.bytes(head.seq), flags: [])
        }
        if mark < head.seq {
            logger.info("indexed the events the last run left unindexed", metadata: ["from": "\(mark + 1)", "through": "\(head.seq)"])
        }
        return (head, head.seq)
    }

    /// Stops taking writes, finishes the queued ones and wakes every follower. Idempotent.
    public func close() {
        committer.close()
        watcher.close()
    }

    deinit { close() }

    // MARK: Writing

    /// Runs `body` in the next group commit and returns its result once the commit is durable.
    ///
    /// `body` runs on the committer thread with a read-only view of the batch's transaction (it sees
    /// what earlier closures of the batch wrote) and stages its appends and projection writes in the
    /// ``LogAppender``. If it throws, nothing it staged is written and the error is rethrown to this
    /// caller alone. It may run more than once (when the map must grow), so it must have no effects
    /// outside what it stages.
    public func write<R: Sendable>(_ body: @escaping @Sendable (borrowing TransactionView, inout LogAppender) throws -> R) async throws -> R {
        let value = try await withCheckedThrowingContinuation { continuation in
            committer.submit(PendingWrite(body: { txn, appender in try body(txn, &appender) },
                                          completion: { continuation.resume(with: $0) }))
        }
        guard let result = value as? R else { throw EventLogError.storage("internal type mismatch") }
        return result
    }

    /// Like ``write(_:)``, but without suspending: `completion` is called once the commit is
    /// durable (or the write failed), on the committer thread. Keep `completion` short: hand the
    /// result on (to an event loop, say) and return.
    ///
    /// `mayCommitInline`: the caller runs on an OS thread of its own that may block on a durable
    /// commit (a connection's thread; never an event loop or the Swift concurrency pool). When no
    /// other write is queued or committing and writers have not been overlapping, the write is then
    /// committed on the caller's thread, and `completion` called there, before this returns.
    public func submit<R: Sendable>(mayCommitInline: Bool = false,
                                    _ body: @escaping @Sendable (borrowing TransactionView, inout LogAppender) throws -> R,
                                    completion: @escaping @Sendable (Result<R, any Error>) -> Void) {
        committer.submit(PendingWrite(body: { txn, appender in try body(txn, &appender) }, completion: { result in
            completion(result.flatMap { value in
                guard let typed = value as? R else { return .failure(EventLogError.storage("internal type mismatch")) }
                return .success(typed)
            })
        }), mayCommitInline: mayCommitInline)
    }

    /// Writes waiting for the committer thread (not counting one being committed).
    var queuedWrites: Int { committer.queuedWrites }

    /// Appends `events` to `stream` if it is at the `expected` version; durable when this returns.
    public func append(stream: String, expected: ExpectedVersion, events: [NewEvent], actor: JSONValue = .null) async throws -> AppendOutcome {
        try await write { txn, appender in
            try appender.append(txn, stream: stream, expected: expected, events: events, actor: actor)
        }
    }

    // MARK: Reading

    /// The last committed event's position and hash.
    public var head: LogHead { watcher.head }

    /// Waits until an event beyond `seq` is committed; returns the new head seq, or `nil` when the
    /// log closes or the task is cancelled.
    public func waitForEvents(beyond seq: UInt64) async -> UInt64? {
        await watcher.wait(beyond: seq)
    }

    /// Runs `body` in a read snapshot of the log and whatever else the environment holds.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        try environment.read(body)
    }

    /// The event at `seq`, if stored.
    public func event(seq: UInt64) throws -> EventEnvelope? {
        try read { txn in try queries.event(txn, seq: seq) }
    }

    /// The events of `stream` in version order.
    public func events(stream: String, fromVersion: UInt64 = 0, limit: Int = .max) throws -> [EventEnvelope] {
        try read { txn in
            var out: [EventEnvelope] = []
            guard limit > 0 else { return out }
            try queries.forEachStreamEntry(txn, stream: stream, fromVersion: fromVersion) { _, seq in
                if let event = try queries.event(txn, seq: seq) { out.append(event) }
                return out.count < limit
            }
            return out
        }
    }
}
