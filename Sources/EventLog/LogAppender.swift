import Foundation
import LMDB
import ShixiangDigest
import ShixiangJSON

/// Appends events inside the current write transaction of a group commit.
///
/// Handed to a write closure by ``EventStore/write(_:)``. It knows the head as of the batch so far,
/// so several writes in one batch chain correctly; if a write throws, its appends are rolled back
/// together with its nested transaction.
public struct LogAppender: Sendable {
    public let queries: LogQueries
    /// The head including everything appended so far in this batch.
    public private(set) var head: LogHead
    /// The time stamped on events appended in this batch.
    public let now: Timestamp
    /// Every event appended in this batch so far.
    public private(set) var appended: [EventEnvelope] = []

    init(queries: LogQueries, head: LogHead, now: Timestamp) {
        self.queries = queries
        self.head = head
        // Time never goes backwards along the log, even if the system clock does.
        self.now = max(now, head.recordedAt)
    }

    /// Appends `events` to `stream` atomically, checking `expected` first.
    ///
    /// If every event carries an id already stored with identical content, nothing is appended and
    /// the stored events are returned with `duplicate == true`. Throws ``EventLogError``.
    public mutating func append(_ txn: borrowing WriteTransaction, stream: String, expected: ExpectedVersion,
                                events: [NewEvent], actor: JSONValue) throws -> AppendOutcome {
        try Self.validate(stream: stream, events: events)
        if let retry = try storedRetry(txn, stream: stream, events: events) { return retry }

        let current = try queries.streamVersion(txn, stream: stream)
        switch expected {
        case .any: break
        case .noStream where current == nil: break
        case .exactly(let v) where current == v: break
        default: throw EventLogError.wrongExpectedVersion(stream: stream, expected: expected, actual: current)
        }

        var version = current.map { $0 + 1 } ?? 0
        var stored: [EventEnvelope] = []
        stored.reserveCapacity(events.count)
        for event in events {
            var envelope = EventEnvelope(
                seq: head.seq + 1, id: event.id ?? UUID(), stream: stream, version: version, type: event.type,
                recordedAt: now, effectiveAt: event.effectiveAt, actor: actor, data: event.data,
                prevHash: head.hash, hash: [])
            let canonical = envelope.canonicalBytes()
            envelope.hash = Digest.sha256(canonical)
            try write(txn, envelope, canonical: canonical)
            head = LogHead(seq: envelope.seq, hash: envelope.hash, recordedAt: now)
            stored.append(envelope)
            version += 1
        }
        appended.append(contentsOf: stored)
        return AppendOutcome(events: stored, duplicate: false)
    }

    private func write(_ txn: borrowing WriteTransaction, _ e: EventEnvelope, canonical: [UInt8]) throws {
        let dbs = queries.dbs
        let seqKey = BigEndianKey.bytes(e.seq)
        try txn.put(dbs.events, key: seqKey, value: LogKeys.record(hash: e.hash, canonical: canonical), flags: .append)
        try txn.put(dbs.byStream, key: LogKeys.stream(e.stream, version: e.version), value: seqKey, flags: .noOverwrite)
        do {
            try txn.put(dbs.byID, key: LogKeys.id(e.id), value: seqKey, flags: .noOverwrite)
        } catch LMDBError.keyExists {
            let seq = try queries.seq(txn, id: e.id) ?? 0
            throw EventLogError.duplicateID(id: e.id, seq: seq)
        }
        try txn.put(dbs.byTime, key: LogKeys.time(e.recordedAt, seq: e.seq), value: [UInt8](), flags: .append)
    }

    /// The stored events if this request is an exact retry; throws if it reuses ids for other content.
    private func storedRetry(_ txn: borrowing WriteTransaction, stream: String, events: [NewEvent]) throws -> AppendOutcome? {
        var stored: [EventEnvelope] = []
        var firstKnown: (UUID, UInt64)?
        for event in events {
            guard let id = event.id, let seq = try queries.seq(txn, id: id) else { continue }
            firstKnown = firstKnown ?? (id, seq)
            guard let envelope = try queries.event(txn, seq: seq),
                  envelope.stream == stream, envelope.type == event.type, envelope.data == event.data,
                  envelope.effectiveAt == event.effectiveAt
            else { throw EventLogError.duplicateID(id: id, seq: seq) }
            stored.append(envelope)
        }
        guard let (id, seq) = firstKnown else { return nil }
        // Some events of the request are stored and some are not: not a retry of one append.
        guard stored.count == events.count else { throw EventLogError.duplicateID(id: id, seq: seq) }
        return AppendOutcome(events: stored, duplicate: true)
    }

    static func validate(stream: String, events: [NewEvent]) throws(EventLogError) {
        guard !stream.isEmpty, stream.utf8.count <= 256,
              !stream.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || $0 == " " })
        else { throw .invalidAppend("A stream name must be 1 to 256 bytes without spaces or control characters.") }
        guard !events.isEmpty else { throw .invalidAppend("An append needs at least one event.") }
        guard events.count <= 10_000 else { throw .invalidAppend("An append may hold at most 10000 events.") }
        var seen = Set<UUID>()
        for event in events {
            guard !event.type.isEmpty, event.type.utf8.count <= 128,
                  !event.type.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f })
            else { throw .invalidAppend("An event type must be 1 to 128 bytes without spaces or control characters.") }
            guard case .object = event.data else { throw .invalidAppend("An event's data must be a JSON object.") }
            if let id = event.id, !seen.insert(id).inserted { throw .repeatedIDInRequest(id: id) }
        }
    }
}
