import LMDB

/// One page of the log.
public struct EventPage: Sendable {
    public var events: [EventEnvelope]
    /// Where the next page starts, or `nil` when this page reached the end of what was asked.
    public var nextSeq: UInt64?
    /// The committed head when the page was read.
    public var headSeq: UInt64
}

extension EventStore {
    /// Reads up to `limit` events with `seq ≥ fromSeq`, optionally only of `stream`, and only those
    /// recorded at or before `until`. Each page is one short snapshot.
    public func page(fromSeq: UInt64 = 1, limit: Int = 100, stream: String? = nil, until: Timestamp? = nil) throws -> EventPage {
        try read { txn in
            let head = try queries.head(txn).seq
            let bound = try until.map { try queries.lastSeq(txn, recordedAtOrBefore: $0) } ?? head
            var events: [EventEnvelope] = []
            var next: UInt64?
            if let stream {
                try queries.forEachStreamEntry(txn, stream: stream) { _, seq in
                    if seq > bound { return false }
                    if seq >= fromSeq {
                        if events.count == limit { next = seq; return false }
                        if let event = try queries.event(txn, seq: seq) { events.append(event) }
                    }
                    return true
                }
            } else {
                try txn.withCursor(databases.events) { cursor in
                    var entry = try cursor.seek(atLeast: BigEndianKey.bytes(max(fromSeq, 1)))
                    while let e = entry, let seq = BigEndianKey.read(e.key), seq <= bound {
                        if events.count == limit { next = seq; break }
                        events.append(try LogQueries.decode(record: e.value, seq: seq))
                        entry = try cursor.next()
                    }
                }
            }
            return EventPage(events: events, nextSeq: next, headSeq: head)
        }
    }

    /// Sizes and counts for `system.stats`.
    public func statistics() throws -> LogStatistics {
        let info = environment.info()
        let count = try read { txn in try txn.stat(databases.events).entries }
        return LogStatistics(eventCount: count, head: head, usedBytes: info.usedBytes, mapSize: info.mapSize,
                             readersInUse: info.readersInUse, maxReaders: info.maxReaders, groupCommit: committer.statistics)
    }
}

/// Figures about the log's storage.
public struct LogStatistics: Sendable {
    public var eventCount: Int
    public var head: LogHead
    public var usedBytes: Int
    public var mapSize: Int
    public var readersInUse: Int
    public var maxReaders: Int
    public var groupCommit: GroupCommitStatistics
}
