import EventLog
import Foundation
import LMDB
import ShixiangJSON

/// The registry as it stood at a moment of transaction time: what it said then, exactly.
public struct RegistrySnapshot: Sendable {
    /// The moment asked about and the last event recorded at or before it (0: before the first).
    public var asOf: Timestamp
    public var seq: UInt64
    public var units: [UnitRecord]
    public var items: [CatalogueItemRecord]
    public var entries: [ImplementationEntryRecord]
    public var adjustments: [AdjustmentRecord]
    public var filings: [FilingRecord]
    public var notices: [NoticeRecord]

    /// A unit's ledger as it stood.
    public func ledger(unit code: String) -> Ledger? {
        guard let unit = units.first(where: { $0.code == code }) else { return nil }
        let entries = entries.filter { $0.unit == code }
        let itemByCode = Dictionary(items.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [String: CatalogueItemRecord] = [:]
        for e in entries { items[e.basicCode] = itemByCode[e.basicCode] }
        return Ledger(unit: unit, entries: entries, items: items,
                      adjustments: adjustments.filter { $0.unit == code }.sorted { $0.history.first?.seq ?? 0 < $1.history.first?.seq ?? 0 })
    }
}

extension Registry {
    /// The last event recorded at or before `moment`.
    public func seq(asOf moment: Timestamp) throws -> UInt64 {
        try store.read { txn in try store.queries.lastSeq(txn, recordedAtOrBefore: moment) }
    }

    /// Replays one aggregate's stream up to `seq` into a fresh session, reading only that stream:
    /// the stream index gives its events in order, so the cost grows with the entity's history,
    /// not with the log.
    ///
    /// With `inForceOn`, only events in force by then count (valid time: `effectiveAt`, or when it
    /// was recorded if it has none), so the answer is what was legally in force on that date as
    /// known at `seq`.
    func replayStream(_ stream: String, upTo seq: UInt64, inForceOn validTime: Timestamp? = nil) throws -> ProjectionSession {
        try store.read { txn in try AsOfReader.foldStream(stream, upTo: seq, inForceOn: validTime, log: store.queries, dbs: dbs, txn) }
    }

    /// Whether an event is in force on `validTime` (always, when no valid time is asked about).
    static func inForce(_ e: ProjectedEvent, on validTime: Timestamp?) -> Bool {
        guard let validTime else { return true }
        return (e.effectiveAt ?? e.recordedAt) <= validTime
    }

    /// The catalogue item as in force on `validTime` (by `effectiveAt`), as known at `moment` (default: now).
    public func item(_ code: String, inForceOn validTime: Timestamp, asOf moment: Timestamp?) throws -> CatalogueItemRecord? {
        let upTo = try moment.map { try seq(asOf: $0) } ?? store.head.seq
        var s = try replayStream(StreamName.item(code), upTo: upTo, inForceOn: validTime)
        return try store.read { txn in try s.items.get(code, txn) }
    }

    /// The implementation entry as in force on `validTime`, as known at `moment` (default: now).
    public func entry(_ code: String, inForceOn validTime: Timestamp, asOf moment: Timestamp?) throws -> ImplementationEntryRecord? {
        let upTo = try moment.map { try seq(asOf: $0) } ?? store.head.seq
        var s = try replayStream(StreamName.entry(code), upTo: upTo, inForceOn: validTime)
        return try store.read { txn in try s.entries.get(code, txn) }
    }
}

/// One version of an item or entry and the event that made it.
public struct RecordVersion: Sendable {
    public var event: EventEnvelope
    /// The record right after the event (`nil` when the event does not produce one).
    public var item: CatalogueItemRecord?
    public var entry: ImplementationEntryRecord?
}

extension Registry {
    /// Every version of catalogue item or implementation entry `code` (a 基本编码, 实施编码 or
    /// 业务办理项编码), each with the event that made it.
    public func history(of code: String) throws -> [RecordVersion] {
        let isItem = code.count == 12
        let stream = isItem ? StreamName.item(code) : StreamName.entry(code)
        var session = ProjectionSession(dbs: dbs, backed: false, recordCreations: false)
        var versions: [RecordVersion] = []
        try store.read { txn in
            for event in try store.events(stream: stream) {
                try Projector.apply(event, to: &session, txn)
                versions.append(RecordVersion(event: event, item: isItem ? try session.items.get(code, txn) : nil,
                                              entry: isItem ? nil : try session.entries.get(code, txn)))
            }
        }
        return versions
    }

    /// The adjustments approved between `from` (exclusive) and `to` (inclusive), of one unit or all:
    /// the adjustment detail table (动态调整明细表) of what changed between two moments.
    public func changes(from: Timestamp, to: Timestamp, unit: String?) throws -> [AdjustmentRecord] {
        try adjustments(unit: unit, status: nil).filter { a in
            guard let approved = a.date(of: .approved) else { return false }
            return approved > from && approved <= to
        }
    }
}
