import EventLog
import LMDB
import ShixiangCalendar
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// Folds events into the projections. `apply` reads no clock and does no I/O beyond the
/// session's read-through of records; everything it needs is in the event and its envelope.
public enum Projector {
    /// Applies one event. Events of types the registry does not know (raw `events.append` use) are skipped.
    public static func apply<T: TransactionReading & ~Copyable>(_ stored: EventEnvelope, to s: inout ProjectionSession, _ txn: borrowing T) throws {
        var e = try ProjectedEvent(stored)
        try apply(&e, to: &s, txn)
    }

    /// Applies one decoded event: a pure fold (no clock, no I/O beyond the session's read-through).
    public static func apply<T: TransactionReading & ~Copyable>(_ e: ProjectedEvent, to s: inout ProjectionSession, _ txn: borrowing T) throws {
        var e = e
        try apply(&e, to: &s, txn)
    }

    /// A new adjustment's history, with room for the steps of the procedure that usually follow
    /// (approval, publication, filing, forwarding, archiving), rather than growing it step by step.
    static func newHistory(_ first: StatusChange) -> [StatusChange] {
        var history: [StatusChange] = []
        history.reserveCapacity(6)
        history.append(first)
        return history
    }

    /// Applies one decoded event where it lies (`inout` only so that an event in a batch is read
    /// in place, not copied out: it is not changed).
    static func apply<T: TransactionReading & ~Copyable>(_ e: inout ProjectedEvent, to s: inout ProjectionSession, _ txn: borrowing T) throws {
        s.forgetLastPuts()
        defer { s.appliedSeq = e.seq }
        let at = e.recordedAt
        switch e.payload {
        case .unitRegistered(let p):
            s.units.put(p.code, UnitRecord(code: p.code, name: p.name, kind: p.kind, level: p.level, guidingUnit: p.guidingUnit,
                                           checkDigitValid: p.checkDigitValid, dissolved: false, registeredAt: at, zeroReports: [], version: e.version))
        case .unitRenamed(let p):
            try update(&s.units, key(e), txn) { $0.name = p.name; $0.version = e.version }
        case .unitZeroReported(let p):
            try update(&s.units, key(e), txn) { $0.zeroReports.append(ZeroReport(category: p.category, note: p.note, at: at)); $0.version = e.version }

        case .adjustmentSubmitted(let p):
            s.adjustments.put(p.id, AdjustmentRecord(
                id: p.id, unit: p.unit, list: p.list, kind: p.kind, target: p.target, changesJSON: p.changes, basis: p.basis,
                reason: p.reason, evidence: p.evidence, effectiveAt: e.effectiveAt, status: .submitted,
                filingRequired: p.filingRequired, filer: p.filer, filing: nil, returnReason: nil, publishedChannels: nil,
                history: Self.newHistory(StatusChange(status: .submitted, at: at, seq: e.seq, reason: nil)), offlineGuide: nil, version: e.version))
        case .adjustmentReturned(let p):
            try transition(&s, e, to: .returned, reason: p.reason, txn) { $0.returnReason = p.reason }
        case .adjustmentResubmitted(let p):
            try transition(&s, e, to: .resubmitted, reason: nil, txn) {
                $0.changesJSON = p.changes
                $0.basis = p.basis
                $0.reason = p.reason
                $0.evidence = p.evidence
                $0.filingRequired = p.filingRequired
                $0.returnReason = nil
                if let effective = e.effectiveAt { $0.effectiveAt = effective }
            }
        case .adjustmentPublished(let p):
            try transition(&s, e, to: .published, reason: nil, txn) { $0.publishedChannels = p.channels }
        case .adjustmentFiled(let p):
            try transition(&s, e, to: .filed, reason: nil, txn) { $0.filing = p.filing }
        case .adjustmentGuideUpdated(let p):
            try update(&s.adjustments, key(e), txn) { $0.offlineGuide = GuideUpdate(at: at, seq: e.seq, note: p.note); $0.version = e.version }

        case .filingSubmitted(let p):
            s.filings.put(p.id, FilingRecord(id: p.id, unit: p.unit, adjustments: p.adjustments, formJSON: p.form,
                                             submittedAt: at, forwardedAt: nil, forwardedTo: nil, version: e.version))
        case .filingForwarded(let p):
            try update(&s.filings, key(e), txn) { $0.forwardedAt = at; $0.forwardedTo = p.to; $0.version = e.version }

        case .itemRecorded(let p):
            s.items.put(p.code, CatalogueItemRecord(
                code: p.code, elementsPatched: PatchedObject(p.elements), status: p.status, powerSource: p.powerSource, exerciseLevel: nil,
                effectiveAt: e.effectiveAt ?? at, updatedAt: at, lastAdjustment: nil, mergedInto: nil, legalityReview: nil, version: e.version))
        case .itemAdded(let p):
            let existing = try s.items.get(p.code, txn)
            let elements = existing.map { ElementObject.merging(p.elements, into: $0.elementsJSON) } ?? p.elements
            s.items.put(p.code, CatalogueItemRecord(
                code: p.code, elementsPatched: PatchedObject(elements), status: .inUse, powerSource: p.powerSource,
                exerciseLevel: p.exerciseLevel ?? existing?.exerciseLevel, effectiveAt: e.effectiveAt ?? at, updatedAt: at,
                lastAdjustment: p.adjustment, mergedInto: nil, legalityReview: nil, version: e.version))
        case .itemChanged(let p):
            try update(&s.items, p.code, txn) {
                $0.elementsPatched.apply(p.changes)
                if let status = p.status { $0.status = status }
                $0.stamp(e, adjustment: p.adjustment)
            }
        case .itemDelegated(let p):
            try update(&s.items, p.code, txn) {
                $0.exerciseLevel = p.exerciseLevel
                $0.powerSource = p.powerSource
                $0.stamp(e, adjustment: p.adjustment)
            }
        case .itemCancelled(let p):
            try update(&s.items, p.code, txn) {
                $0.status = .cancelled
                $0.legalityReview = p.legalityReview
                $0.mergedInto = p.mergedInto
                $0.stamp(e, adjustment: p.adjustment)
            }
        case .itemReinstated(let p):
            try update(&s.items, p.code, txn) {
                $0.status = .inUse
                $0.mergedInto = nil
                $0.stamp(e, adjustment: p.adjustment)
            }

        case .entryRecorded(let p):
            s.entries.put(p.code, ImplementationEntryRecord(
                code: p.code, unit: p.unit, basicCode: p.basicCode, level: p.level, status: .inUse, fieldsPatched: PatchedObject(p.fields),
                updatedAt: at, lastAdjustment: nil, splitInto: nil, supersededBy: nil, version: e.version))
        case .entryAdded(let p):
            s.entries.put(p.code, ImplementationEntryRecord(
                code: p.code, unit: p.unit, basicCode: p.basicCode, level: p.level, status: .inUse, fieldsPatched: PatchedObject(p.fields),
                updatedAt: at, lastAdjustment: p.adjustment, splitInto: nil, supersededBy: nil, version: e.version))
        case .entryChanged(let p):
            try update(&s.entries, p.code, txn) {
                $0.fieldsPatched.apply(p.changes)
                $0.stamp(e, adjustment: p.adjustment)
            }
        case .entryCancelled(let p):
            try update(&s.entries, p.code, txn) { $0.status = .cancelled; $0.stamp(e, adjustment: p.adjustment) }
        case .entrySuperseded(let p):
            try update(&s.entries, p.code, txn) {
                $0.status = .superseded
                if e.type == EventType.entrySplit { $0.splitInto = p.into } else { $0.supersededBy = p.into.first }
                $0.stamp(e, adjustment: p.adjustment)
            }
        case .noticeIssued(let p):
            s.notices.put(p.id, NoticeRecord(id: p.id, unit: p.unit, subject: p.subject, reason: p.reason, workingDays: p.workingDays,
                                             issuedAt: at, rectifiedAt: nil, rectification: nil, version: e.version))
        case .noticeRectified(let p):
            try update(&s.notices, key(e), txn) { $0.rectifiedAt = at; $0.rectification = p.note; $0.version = e.version }
        case .calendarPublished(let p):
            s.calendar.put(String(p.notice.year), p.notice)
        case .unitDissolved:
            try update(&s.units, key(e), txn) { $0.dissolved = true; $0.version = e.version }
        case .adjustmentApproved:
            try transition(&s, e, to: .approved, reason: nil, txn) { _ in }
        case .adjustmentForwarded:
            try transition(&s, e, to: .forwarded, reason: nil, txn) { _ in }
        case .adjustmentArchived:
            try transition(&s, e, to: .archived, reason: nil, txn) { _ in }
        case .none:
            break
        }
        try s.noteCreation(of: e, txn)
    }

    /// What a partitioned fold groups `e` by: the key of the record `e` changes (its stream's
    /// key, or the code or id its payload names), ``calendarPartition`` for the calendar's notices
    /// (one table for every year), nil if it changes nothing. Events that change one record share
    /// it, so each part of such a fold sees every event of its records, in log order.
    static func partitionKey(_ e: ProjectedEvent) -> String? {
        switch e.payload {
        case .unitRegistered(let p): p.code
        case .adjustmentSubmitted(let p): p.id
        case .filingSubmitted(let p): p.id
        case .itemRecorded(let p): p.code
        case .itemAdded(let p): p.code
        case .itemChanged(let p): p.code
        case .itemDelegated(let p): p.code
        case .itemCancelled(let p): p.code
        case .itemReinstated(let p): p.code
        case .entryRecorded(let p): p.code
        case .entryAdded(let p): p.code
        case .entryChanged(let p): p.code
        case .entryCancelled(let p): p.code
        case .entrySuperseded(let p): p.code
        case .noticeIssued(let p): p.id
        case .calendarPublished: calendarPartition
        case .unitRenamed, .unitZeroReported, .unitDissolved, .adjustmentReturned, .adjustmentResubmitted, .adjustmentPublished,
             .adjustmentFiled, .adjustmentGuideUpdated, .filingForwarded, .noticeRectified, .adjustmentApproved, .adjustmentForwarded,
             .adjustmentArchived:
            e.key
        case .none: nil
        }
    }

    /// The partition key of the calendar's notices, and of every event of a `calendar/…` stream.
    static let calendarPartition = "calendar/"

    /// The aggregate key of the event's stream (`unit/X` → `X`).
    private static func key(_ e: ProjectedEvent) -> String { e.key }

    /// Changes a record in place (a copy taken out and put back would copy its lists, such as an
    /// adjustment's history, at every event). The change cannot fail, so no half-changed record is left.
    private static func update<R, T: TransactionReading & ~Copyable>(_ table: inout RecordTable<R>, _ key: String, _ txn: borrowing T,
                                                                     _ change: (inout R) -> Void) throws {
        try table.modify(key, txn, change)
    }

    private static func transition<T: TransactionReading & ~Copyable>(_ s: inout ProjectionSession, _ e: ProjectedEvent, to status: AdjustmentStatus,
                                                                      reason: String?, _ txn: borrowing T,
                                                                      _ change: (inout AdjustmentRecord) -> Void) throws {
        try update(&s.adjustments, key(e), txn) {
            $0.status = status
            $0.history.append(StatusChange(status: status, at: e.recordedAt, seq: e.seq, reason: reason))
            $0.version = e.version
            change(&$0)
        }
    }
}

extension CatalogueItemRecord {
    mutating func stamp(_ e: ProjectedEvent, adjustment: String) {
        updatedAt = e.recordedAt
        effectiveAt = e.effectiveAt ?? e.recordedAt
        lastAdjustment = adjustment
        version = e.version
    }
}

extension ImplementationEntryRecord {
    mutating func stamp(_ e: ProjectedEvent, adjustment: String) {
        updatedAt = e.recordedAt
        lastAdjustment = adjustment
        version = e.version
    }
}
