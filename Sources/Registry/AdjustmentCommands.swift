import EventLog
import LMDB
import ShixiangCodes
import ShixiangJSON

/// The procedure of seed 000 Annex 1: submit → (return → resubmit)* → approve → publish →
/// file → forward → archive. Every step checks the current state and names it when it refuses.
enum AdjustmentCommands {
    static func submit<T: TransactionReading & ~Copyable>(_ p: AdjustmentProposal, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let unit = try UnitCommands.active(p.unit, field: "unit", &s, txn)
        let checked = try AdjustmentRules.check(p, unit: unit, &s, txn)
        let id = "adj-\(s.nextSeq)"
        // A township's adjustments are filed by its guiding district department (seed 000 Annex 1 §4).
        let filer = unit.kind == .township ? (unit.guidingUnit ?? unit.code) : unit.code
        let q = checked.proposal
        let payload = AdjustmentSubmitted(id: id, unit: unit.code, list: q.list, kind: q.kind, target: q.target, changes: CanonicalJSON(q.changes),
                                          basis: q.basis.trimmed, reason: q.reason.trimmed, evidence: q.evidence,
                                          filingRequired: checked.filingRequired, filer: filer)
        try s.emit(txn, StreamName.adjustment(id), expected: .noStream, [(EventType.adjustmentSubmitted, try .payload(payload))],
                   effectiveAt: q.effectiveAt)
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    static func `return`<T: TransactionReading & ~Copyable>(id: String, reason: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let a = try adjustment(id, allowed: [.submitted, .resubmitted], action: "return", &s, txn)
        guard !reason.trimmed.isEmpty else { throw RegistryError.rule(field: "reason", message: "A return (退回) must state its reason.") }
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version),
                   [(EventType.adjustmentReturned, try .payload(AdjustmentReturned(reason: reason.trimmed)))])
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    /// Resubmits a returned adjustment, with revised content where given.
    static func resubmit<T: TransactionReading & ~Copyable>(id: String, changes: JSONValue?, basis: String?, reason: String?, evidence: [Evidence]?,
                                                            effectiveAt: Timestamp?, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let a = try adjustment(id, allowed: [.returned], action: "resubmit", &s, txn)
        let unit = try UnitCommands.active(a.unit, field: "unit", &s, txn)
        let proposal = AdjustmentProposal(unit: a.unit, list: a.list, kind: a.kind, target: a.target, changes: changes ?? a.changes,
                                          basis: basis ?? a.basis, reason: reason ?? a.reason, evidence: evidence ?? a.evidence,
                                          effectiveAt: effectiveAt ?? a.effectiveAt)
        let checked = try AdjustmentRules.check(proposal, unit: unit, &s, txn)
        let q = checked.proposal
        let payload = AdjustmentResubmitted(changes: CanonicalJSON(q.changes), basis: q.basis.trimmed, reason: q.reason.trimmed, evidence: q.evidence,
                                            filingRequired: checked.filingRequired)
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version),
                   [(EventType.adjustmentResubmitted, try .payload(payload))], effectiveAt: effectiveAt)
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    /// Approves an adjustment and applies its effects to the catalogue or implementation list in the
    /// same commit. The rules are checked again against the registry as it is now.
    static func approve<T: TransactionReading & ~Copyable>(id: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let a = try adjustment(id, allowed: [.submitted, .resubmitted], action: "approve", &s, txn)
        let unit = try UnitCommands.active(a.unit, field: "unit", &s, txn)
        let proposal = AdjustmentProposal(unit: a.unit, list: a.list, kind: a.kind, target: a.target, changes: a.changes,
                                          basis: a.basis, reason: a.reason, evidence: a.evidence, effectiveAt: a.effectiveAt)
        let checked = try AdjustmentRules.check(proposal, unit: unit, &s, txn)
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version), [(EventType.adjustmentApproved, [:])])
        try AdjustmentEffects.apply(checked.proposal, id: id, unit: unit, &s, txn)
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    static func publish<T: TransactionReading & ~Copyable>(id: String, channels: [String], _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let a = try adjustment(id, allowed: [.approved], action: "publish", &s, txn)
        let cleaned = channels.map(\.trimmed).filter { !$0.isEmpty }
        guard !cleaned.isEmpty else {
            throw RegistryError.required("channels", "Where it is published (e.g. 政务服务平台, 区政府网站, 新媒体)")
        }
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version),
                   [(EventType.adjustmentPublished, try .payload(AdjustmentPublished(channels: cleaned)))])
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    /// Archives an adjustment's materials (整理归档): after forwarding, or after publication when no filing is required.
    static func archive<T: TransactionReading & ~Copyable>(id: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        guard let a = try s.session.adjustments.get(id, txn) else { throw RegistryError.notFound(what: "adjustment", key: id) }
        let ready: AdjustmentStatus = a.filingRequired ? .forwarded : .published
        guard a.status == ready else {
            let needs = a.filingRequired ? "filed and forwarded" : "published"
            throw RegistryError.illegalTransition(what: "adjustment \(id)", state: "\(a.status.rawValue) (\(a.status.label)); it must be \(needs) first", action: "archive")
        }
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version), [(EventType.adjustmentArchived, [:])])
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    /// Records that the unit updated its offline guide (线下办事指南) and window display after an
    /// approved implementation-list change (seed 002 §16). Once per adjustment; not for "other",
    /// which changes nothing in the list.
    static func recordGuideUpdate<T: TransactionReading & ~Copyable>(id: String, note: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        let a = try adjustment(id, allowed: [.approved, .published, .filed, .forwarded, .archived], action: "record the offline guide update of", &s, txn)
        guard a.list == .implementation, a.kind != "other" else {
            throw RegistryError.rule(field: "id", message: "Adjustment \(id) does not change an implementation list; offline guides follow implementation-list changes (seed 002 §16).")
        }
        guard a.offlineGuide == nil else {
            throw RegistryError.illegalTransition(what: "adjustment \(id)", state: "offline guide already updated (线下指南已更新)", action: "record the offline guide update of")
        }
        guard !note.trimmed.isEmpty else { throw RegistryError.required("note", "What was updated (线下办事指南、窗口摆放)") }
        try s.emit(txn, StreamName.adjustment(id), expected: .exactly(a.version),
                   [(EventType.adjustmentGuideUpdated, try .payload(AdjustmentGuideUpdated(note: note.trimmed)))])
        return try s.session.adjustments.require(id, txn, what: "adjustment")
    }

    /// The adjustment `id` if it is in one of `allowed`, else an error naming its state.
    static func adjustment<T: TransactionReading & ~Copyable>(_ id: String, allowed: Set<AdjustmentStatus>, action: String,
                                                              _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentRecord {
        guard let a = try s.session.adjustments.get(id, txn) else { throw RegistryError.notFound(what: "adjustment", key: id) }
        guard allowed.contains(a.status) else {
            throw RegistryError.illegalTransition(what: "adjustment \(id)", state: "\(a.status.rawValue) (\(a.status.label))", action: action)
        }
        return a
    }
}
