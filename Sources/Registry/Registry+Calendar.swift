import EventLog
import Foundation
import LMDB
import ShixiangCalendar
import ShixiangJSON

extension Registry {
    /// Records a year's holiday notice (the reform office's `calendar.publish`). A later notice for
    /// the same year replaces it from then on; earlier deadlines keep the calendar version they used.
    public func publishCalendar(_ notice: YearNotice, actor: JSONValue) async throws -> WorkingDayCalendar {
        _ = try await run(actor: actor) { s, txn in
            try s.emit(txn, StreamName.calendar, expected: .any, [(EventType.calendarPublished, try .payload(CalendarPublished(notice: notice)))])
        }
        return try calendar()
    }

    /// The working-day calendar as recorded: the shipped 2004–2026 data plus every published notice.
    public func calendar() throws -> WorkingDayCalendar {
        var calendar = try WorkingDayCalendar.builtIn()
        let notices = try scan(YearNotice.self, dbs.calendar, after: nil, limit: .max) { _ in true }.records
        for notice in notices { calendar = try calendar.publishing(notice) }
        return calendar
    }
}

extension Timestamp {
    /// The same instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    /// The day this instant falls on in China Standard Time.
    public var chinaDate: CivilDate { CivilDate.chinaDate(of: date) }
}
