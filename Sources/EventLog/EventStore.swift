import Foundation
import LMDB
import Logging
import ShixiangJSON

/// How an ``EventStore`` is opened.
public struct EventStoreOptions: Sendable {
    public var environment = EnvironmentOptions()
    /// Most writes gathered into one group commit.
    public var maxBatch = 512
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
                guard tag == LogDatabases.formatTag else {
                    throw EventLogError.storage("\(directory) holds log format \(tag); this build reads \(LogDatabases.formatTag)")
                }
            } else {
                try txn.put(dbs.meta, key: Array("format".utf8), value: Array(LogDatabases.formatTag.utf8))
            }
        }
        let queries = LogQueries(dbs: dbs)
        let head = try env.read { txn in try queries.head(txn) }
        let watcher = HeadWatcher(head: head)
        self.environment = env
        self.queries = queries
        self.watcher = watcher
        self.committer = Committer(environment: env, queries: queries, head: head, clock: clock, logger: logger,
                                   maxBatch: options.maxBatch) { head, _ in watcher.publish(head) }
        committer.start()
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
            let prefix = Array(stream.utf8) + [0]
            try txn.withCursor(databases.byStream) { cursor in
                var entry = try cursor.seek(atLeast: LogKeys.stream(stream, version: fromVersion))
                while let e = entry, out.count < limit, e.key.count == prefix.count + 8, e.key.starts(with: prefix) {
                    if let seq = BigEndianKey.read(e.value), let event = try queries.event(txn, seq: seq) { out.append(event) }
                    entry = try cursor.next()
                }
            }
            return out
        }
    }
}
