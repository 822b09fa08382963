import EventLog
import Foundation
import ShixiangCalendar

/// A time limit an adjustment is under, counted in working days, and whether it was kept.
public struct Obligation: Sendable, Equatable {
    /// Stable id of the rule: `review`, `claimElements`, `filing`, `forwarding`, `cancellationFollowUp`,
    /// `offlineGuide`, `rectification`.
    public var rule: String
    /// Where the rule comes from.
    public var source: String
    /// What must happen, for people.
    public var description: String
    /// The day the count starts from (not counted).
    public var start: CivilDate
    public var workingDays: Int
    /// The deadline, or `nil` when the calendar does not cover it yet (see ``unknownYear``).
    public var deadline: Deadline?
    public var unknownYear: Int?
    /// When it was met, if it was.
    public var metAt: Timestamp?

    /// Whether it stands met, late, pending, overdue or unknown at `moment`.
    public func status(at moment: Timestamp) -> Status {
        if let metAt, metAt <= moment {
            guard let deadline else { return .met }
            return deadline.isMet(at: metAt.date) ? .met : .metLate
        }
        guard let deadline else { return .unknown }
        return deadline.isMet(at: moment.date) ? .pending : .overdue
    }

    public enum Status: String, Sendable {
        case met, metLate, pending, overdue, unknown
    }
}

/// The time limits of the procedure, from the seeds.
public enum Obligations {
    /// Every obligation `a` has incurred so far, with its deadline on `calendar`.
    public static func of(_ a: AdjustmentRecord, calendar: WorkingDayCalendar) -> [Obligation] {
        var out: [Obligation] = []
        func add(_ rule: String, _ source: String, _ text: String, from start: Timestamp, days: Int, metAt: Timestamp?) {
            let day = start.chinaDate
            var o = Obligation(rule: rule, source: source, description: text, start: day, workingDays: days, deadline: nil, unknownYear: nil, metAt: metAt)
            switch calendar.deadline(workingDays: days, after: day) {
            case .due(let d): o.deadline = d
            case .unknown(let year): o.unknownYear = year
            }
            out.append(o)
        }
        // The reviewer answers each submission within 5 working days (seed 003 §2).
        let submissions = a.history.filter { $0.status == .submitted || $0.status == .resubmitted }
        for s in submissions {
            let answer = a.history.first { ($0.status == .approved || $0.status == .returned) && $0.seq > s.seq }
            add("review", "seed 003 §2", "The service centre approves or returns the adjustment within 5 working days.", from: s.at, days: 5, metAt: answer?.at)
        }
        // A claimed item's elements are completed on the day it is claimed (seed 002 §14). The
        // registry takes the elements only complete, so they stand completed when the claim is
        // (re)submitted; a return says they were not, and reopens the obligation until the
        // resubmission. Same day: 0 working days, the end of the claim's day.
        if a.list == .implementation, a.kind == "claim", let claimed = a.history.first {
            let last = a.history.last { [.submitted, .resubmitted, .returned].contains($0.status) }
            add("claimElements", "seed 002 §14", "The unit completes the elements of an item it claims on the day it claims it.",
                from: claimed.at, days: 0, metAt: last?.status == .returned ? nil : last?.at)
        }
        if a.filingRequired, let published = a.date(of: .published) {
            add("filing", "seed 000 Annex 1 §4", "The filing unit files the adjustment with the reform office within 2 working days of its completion.",
                from: published, days: 2, metAt: a.date(of: .filed))
        }
        if let filed = a.date(of: .filed) {
            add("forwarding", "seed 000 Annex 1 §4", "The reform office forwards the filing to the justice bureau and the service centre within 1 working day.",
                from: filed, days: 1, metAt: a.date(of: .forwarded))
        }
        if a.kind == "cancel", let approved = a.date(of: .approved) {
            add("cancellationFollowUp", "seed 002 §12", "A cancelled item is taken out of the service hall (published) within 5 working days.",
                from: approved, days: 5, metAt: a.date(of: .published))
        }
        // Once an implementation-list change takes effect, the unit updates its offline guide and
        // window display within 10 working days (seed 002 §16), and records it.
        if a.list == .implementation, a.kind != "other", let approved = a.date(of: .approved) {
            add("offlineGuide", "seed 002 §16", "The unit updates its offline guide (线下办事指南) and window display within 10 working days of an implementation-list change.",
                from: approved, days: 10, metAt: a.offlineGuide?.at)
        }
        return out
    }
}

/// An obligation not met in time, as supervision sees it: of an adjustment or of a rectification notice.
public struct OverdueObligation: Sendable {
    /// The adjustment it belongs to (for a notice: `nil`).
    public var adjustment: AdjustmentRecord?
    public var notice: NoticeRecord? = nil
    public var obligation: Obligation
    /// Working days past the deadline at the moment asked about.
    public var workingDaysLate: Int?
}

extension Registry {
    /// Every obligation due and not met as of `moment` (default: now), of one unit or all, and
    /// those whose deadline the calendar cannot compute yet: what the registry said at `moment`,
    /// from its records and its calendar as they stood then.
    public func overdue(asOf moment: Timestamp, unit: String?) throws -> (overdue: [OverdueObligation], unknown: [OverdueObligation], calendarVersion: String) {
        let calendar = try calendar(asOf: moment)
        var overdue: [OverdueObligation] = []
        var unknown: [OverdueObligation] = []
        for a in try adjustments(unit: unit, status: nil, asOf: moment) where (a.history.first?.at ?? moment) <= moment {
            for o in Obligations.of(a, calendar: calendar) where o.start <= moment.chinaDate {
                switch o.status(at: moment) {
                case .overdue:
                    let late = o.deadline.flatMap { calendar.workingDaysLate($0, at: moment.date) }
                    overdue.append(OverdueObligation(adjustment: a, obligation: o, workingDaysLate: late))
                case .unknown:
                    unknown.append(OverdueObligation(adjustment: a, obligation: o, workingDaysLate: nil))
                default:
                    break
                }
            }
        }
        for n in try notices(unit: unit, asOf: moment) where n.issuedAt <= moment {
            let o = Obligations.of(n, calendar: calendar)
            switch o.status(at: moment) {
            case .overdue:
                overdue.append(OverdueObligation(adjustment: nil, notice: n, obligation: o,
                                                 workingDaysLate: o.deadline.flatMap { calendar.workingDaysLate($0, at: moment.date) }))
            case .unknown:
                unknown.append(OverdueObligation(adjustment: nil, notice: n, obligation: o, workingDaysLate: nil))
            default:
                break
            }
        }
        return (overdue, unknown, calendar.version)
    }
}
