import EventLog
import Foundation
import LMDB
import ShixiangCalendar
import ShixiangJSON

extension Registry {
    /// Issues a rectification notice to `unit`, to be met within `workingDays` working days.
    public func issueNotice(unit: String, subject: String, reason: String, workingDays: Int, actor: JSONValue) async throws -> NoticeRecord {
        try await run(actor: actor) { s, txn in
            _ = try UnitCommands.active(unit, field: "unit", &s, txn)
            guard !subject.trimmed.isEmpty else { throw RegistryError.required("subject", "What is to be rectified") }
            guard !reason.trimmed.isEmpty else { throw RegistryError.required("reason", "The reason for the notice") }
            guard (1...60).contains(workingDays) else {
                throw RegistryError.rule(field: "workingDays", message: "A rectification deadline is 1 to 60 working days.")
            }
            let id = "ntc-\(s.nextSeq)"
            try s.emit(txn, StreamName.notice(id), expected: .noStream, [(EventType.noticeIssued, try .payload(
                NoticeIssued(id: id, unit: unit, subject: subject.trimmed, reason: reason.trimmed, workingDays: workingDays)))])
            return try s.session.notices.require(id, txn, what: "rectification notice")
        }
    }

    /// Records that a notice was rectified, with what was done.
    public func rectify(id: String, note: String, actor: JSONValue) async throws -> NoticeRecord {
        try await run(actor: actor) { s, txn in
            let notice = try s.session.notices.require(id, txn, what: "rectification notice")
            guard notice.rectifiedAt == nil else {
                throw RegistryError.illegalTransition(what: "notice \(id)", state: "rectified (已整改)", action: "rectify")
            }
            guard !note.trimmed.isEmpty else { throw RegistryError.required("note", "What was done to rectify it") }
            try s.emit(txn, StreamName.notice(id), expected: .exactly(notice.version),
                       [(EventType.noticeRectified, try .payload(NoticeRectified(note: note.trimmed)))])
            return try s.session.notices.require(id, txn, what: "rectification notice")
        }
    }

    public func notice(_ id: String) throws -> NoticeRecord? {
        try store.read { txn in try load(NoticeRecord.self, dbs.notices, id, txn) }
    }

    public func notices(unit: String?) throws -> [NoticeRecord] {
        try scan(NoticeRecord.self, dbs.notices, after: nil, limit: .max) { unit == nil || $0.unit == unit }.records
    }
}

extension Obligations {
    /// The obligation a rectification notice creates.
    public static func of(_ n: NoticeRecord, calendar: WorkingDayCalendar) -> Obligation {
        var o = Obligation(rule: "rectification", source: "seed 000 §4", description: "Rectify within the notice's deadline: \(n.subject).",
                           start: n.issuedAt.chinaDate, workingDays: n.workingDays, deadline: nil, unknownYear: nil, metAt: n.rectifiedAt)
        switch calendar.deadline(workingDays: n.workingDays, after: o.start) {
        case .due(let d): o.deadline = d
        case .unknown(let year): o.unknownYear = year
        }
        return o
    }
}
