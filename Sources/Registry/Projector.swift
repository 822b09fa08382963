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
        let e = Upcaster.upcast(stored)
        s.forgetLastPuts()
        defer { s.appliedSeq = e.seq }
        let at = e.recordedAt
        switch e.type {
        case EventType.unitRegistered:
            let p = try e.data.decode(UnitRegistered.self)
            s.units.put(p.code, UnitRecord(code: p.code, name: p.name, kind: p.kind, level: p.level, guidingUnit: p.guidingUnit,
                                           checkDigitValid: p.checkDigitValid, dissolved: false, registeredAt: at, zeroReports: [], version: e.version))
        case EventType.unitRenamed:
            try update(&s.units, key(e), txn) { $0.name = try e.data.decode(UnitRenamed.self).name; $0.version = e.version }
        case EventType.unitDissolved:
            try update(&s.units, key(e), txn) { $0.dissolved = true; $0.version = e.version }
        case EventType.unitZeroReported:
            let p = try e.data.decode(UnitZeroReported.self)
            try update(&s.units, key(e), txn) { $0.zeroReports.append(ZeroReport(category: p.category, note: p.note, at: at)); $0.version = e.version }

        case EventType.adjustmentSubmitted:
            let p = try e.data.decode(AdjustmentSubmitted.self)
            s.adjustments.put(p.id, AdjustmentRecord(
                id: p.id, unit: p.unit, list: p.list, kind: p.kind, target: p.target, changes: p.changes, basis: p.basis,
                reason: p.reason, evidence: p.evidence, effectiveAt: e.effectiveAt, status: .submitted,
                filingRequired: p.filingRequired, filer: p.filer, filing: nil, returnReason: nil, publishedChannels: nil,
                history: [StatusChange(status: .submitted, at: at, seq: e.seq, reason: nil)], offlineGuide: nil, version: e.version))
        case EventType.adjustmentReturned:
            let p = try e.data.decode(AdjustmentReturned.self)
            try transition(&s, e, to: .returned, reason: p.reason, txn) { $0.returnReason = p.reason }
        case EventType.adjustmentResubmitted:
            let p = try e.data.decode(AdjustmentResubmitted.self)
            try transition(&s, e, to: .resubmitted, reason: nil, txn) {
                $0.changes = p.changes
                $0.basis = p.basis
                $0.reason = p.reason
                $0.evidence = p.evidence
                $0.filingRequired = p.filingRequired
                $0.returnReason = nil
                if let effective = e.effectiveAt { $0.effectiveAt = effective }
            }
        case EventType.adjustmentApproved:
            try transition(&s, e, to: .approved, reason: nil, txn) { _ in }
        case EventType.adjustmentPublished:
            let p = try e.data.decode(AdjustmentPublished.self)
            try transition(&s, e, to: .published, reason: nil, txn) { $0.publishedChannels = p.channels }
        case EventType.adjustmentFiled:
            let p = try e.data.decode(AdjustmentFiled.self)
            try transition(&s, e, to: .filed, reason: nil, txn) { $0.filing = p.filing }
        case EventType.adjustmentForwarded:
            try transition(&s, e, to: .forwarded, reason: nil, txn) { _ in }
        case EventType.adjustmentArchived:
            try transition(&s, e, to: .archived, reason: nil, txn) { _ in }
        case EventType.adjustmentGuideUpdated:
            let p = try e.data.decode(AdjustmentGuideUpdated.self)
            try update(&s.adjustments, key(e), txn) { $0.offlineGuide = GuideUpdate(at: at, seq: e.seq, note: p.note); $0.version = e.version }

        case EventType.filingSubmitted:
            let p = try e.data.decode(FilingSubmitted.self)
            s.filings.put(p.id, FilingRecord(id: p.id, unit: p.unit, adjustments: p.adjustments, form: p.form,
                                             submittedAt: at, forwardedAt: nil, forwardedTo: nil, version: e.version))
        case EventType.filingForwarded:
            let p = try e.data.decode(FilingForwarded.self)
            try update(&s.filings, key(e), txn) { $0.forwardedAt = at; $0.forwardedTo = p.to; $0.version = e.version }

        case EventType.itemRecorded:
            let p = try e.data.decode(ItemRecorded.self)
            s.items.put(p.code, CatalogueItemRecord(
                code: p.code, elements: p.elements, status: p.status, powerSource: p.powerSource, exerciseLevel: nil,
                effectiveAt: e.effectiveAt ?? at, updatedAt: at, lastAdjustment: nil, mergedInto: nil, legalityReview: nil, version: e.version))
        case EventType.itemAdded, EventType.itemTakenOver:
            let p = try e.data.decode(ItemAdded.self)
            let existing = try s.items.get(p.code, txn)
            let elements = existing.map { ElementObject.merging(p.elements, into: $0.elements) } ?? p.elements
            s.items.put(p.code, CatalogueItemRecord(
                code: p.code, elements: elements, status: .inUse, powerSource: p.powerSource,
                exerciseLevel: p.exerciseLevel ?? existing?.exerciseLevel, effectiveAt: e.effectiveAt ?? at, updatedAt: at,
                lastAdjustment: p.adjustment, mergedInto: nil, legalityReview: nil, version: e.version))
        case EventType.itemChanged:
            let p = try e.data.decode(ItemChanged.self)
            try update(&s.items, p.code, txn) {
                $0.elements = ElementObject.merging(p.changes, into: $0.elements)
                if let status = p.status { $0.status = status }
                $0.stamp(e, adjustment: p.adjustment)
            }
        case EventType.itemDelegated:
            let p = try e.data.decode(ItemDelegated.self)
            try update(&s.items, p.code, txn) {
                $0.exerciseLevel = p.exerciseLevel
                $0.powerSource = p.powerSource
                $0.stamp(e, adjustment: p.adjustment)
            }
        case EventType.itemCancelled:
            let p = try e.data.decode(ItemCancelled.self)
            try update(&s.items, p.code, txn) {
                $0.status = .cancelled
                $0.legalityReview = p.legalityReview
                $0.mergedInto = p.mergedInto
                $0.stamp(e, adjustment: p.adjustment)
            }
        case EventType.itemReinstated:
            let p = try e.data.decode(ItemReinstated.self)
            try update(&s.items, p.code, txn) {
                $0.status = .inUse
                $0.mergedInto = nil
                $0.stamp(e, adjustment: p.adjustment)
            }

        case EventType.entryRecorded:
            let p = try e.data.decode(EntryRecorded.self)
            s.entries.put(p.code, ImplementationEntryRecord(
                code: p.code, unit: p.unit, basicCode: p.basicCode, level: p.level, status: .inUse, fields: p.fields,
                updatedAt: at, lastAdjustment: nil, splitInto: nil, supersededBy: nil, version: e.version))
        case EventType.entryAdded:
            let p = try e.data.decode(EntryAdded.self)
            s.entries.put(p.code, ImplementationEntryRecord(
                code: p.code, unit: p.unit, basicCode: p.basicCode, level: p.level, status: .inUse, fields: p.fields,
                updatedAt: at, lastAdjustment: p.adjustment, splitInto: nil, supersededBy: nil, version: e.version))
        case EventType.entryChanged:
            let p = try e.data.decode(EntryChanged.self)
            try update(&s.entries, p.code, txn) {
                $0.fields = ElementObject.merging(p.changes, into: $0.fields)
                $0.stamp(e, adjustment: p.adjustment)
            }
        case EventType.entryCancelled:
            let p = try e.data.decode(EntryCancelled.self)
            try update(&s.entries, p.code, txn) { $0.status = .cancelled; $0.stamp(e, adjustment: p.adjustment) }
        case EventType.entrySplit, EventType.entryLevelChanged:
            let p = try e.data.decode(EntrySuperseded.self)
            try update(&s.entries, p.code, txn) {
                $0.status = .superseded
                if e.type == EventType.entrySplit { $0.splitInto = p.into } else { $0.supersededBy = p.into.first }
                $0.stamp(e, adjustment: p.adjustment)
            }
        case EventType.noticeIssued:
            let p = try e.data.decode(NoticeIssued.self)
            s.notices.put(p.id, NoticeRecord(id: p.id, unit: p.unit, subject: p.subject, reason: p.reason, workingDays: p.workingDays,
                                             issuedAt: at, rectifiedAt: nil, rectification: nil, version: e.version))
        case EventType.noticeRectified:
            let p = try e.data.decode(NoticeRectified.self)
            try update(&s.notices, key(e), txn) { $0.rectifiedAt = at; $0.rectification = p.note; $0.version = e.version }
        case EventType.calendarPublished:
            let p = try e.data.decode(CalendarPublished.self)
            s.calendar.put(String(p.notice.year), p.notice)
        default:
            break
        }
        try s.noteVersion(of: e, txn)
    }

    /// The aggregate key of the event's stream (`unit/X` → `X`).
    private static func key(_ e: EventEnvelope) -> String { StreamName.parse(e.stream)?.key ?? e.stream }

    private static func update<R, T: TransactionReading & ~Copyable>(_ table: inout RecordTable<R>, _ key: String, _ txn: borrowing T,
                                                                     _ change: (inout R) throws -> Void) throws {
        guard var record = try table.get(key, txn) else { return }
        try change(&record)
        table.put(key, record)
    }

    private static func transition<T: TransactionReading & ~Copyable>(_ s: inout ProjectionSession, _ e: EventEnvelope, to status: AdjustmentStatus,
                                                                      reason: String?, _ txn: borrowing T,
                                                                      _ change: (inout AdjustmentRecord) throws -> Void) throws {
        try update(&s.adjustments, key(e), txn) {
            $0.status = status
            $0.history.append(StatusChange(status: status, at: e.recordedAt, seq: e.seq, reason: reason))
            $0.version = e.version
            try change(&$0)
        }
    }
}

extension CatalogueItemRecord {
    mutating func stamp(_ e: EventEnvelope, adjustment: String) {
        updatedAt = e.recordedAt
        effectiveAt = e.effectiveAt ?? e.recordedAt
        lastAdjustment = adjustment
        version = e.version
    }
}

extension ImplementationEntryRecord {
    mutating func stamp(_ e: EventEnvelope, adjustment: String) {
        updatedAt = e.recordedAt
        lastAdjustment = adjustment
        version = e.version
    }
}
