import EventLog
import Registry
import ShixiangCalendar
import ShixiangJSON
import ShixiangRPC

/// `calendar.*`, `supervision.overdue` and `adjustment.deadlines`: working days and who is late.
enum SupervisionMethods {
    struct PublishParams: RPCParams {
        static let fields: Set<String> = ["year", "holidays", "makeupWorkdays", "source", "title"]
        var year: Int, holidays: [DatedName], makeupWorkdays: [DatedName]?, source: String?, title: String?
    }

    struct OverdueParams: RPCParams {
        static let fields: Set<String> = ["asOf", "unit"]
        var asOf: Timestamp?, unit: String?
    }

    struct DeadlineParams: RPCParams {
        static let fields: Set<String> = ["id", "asOf"]
        var id: String, asOf: Timestamp?
    }

    struct NoticeParams: RPCParams {
        static let fields: Set<String> = ["unit", "subject", "reason", "workingDays"]
        var unit: String, subject: String, reason: String, workingDays: Int
    }

    struct RectifyParams: RPCParams {
        static let fields: Set<String> = ["id", "note"]
        var id: String, note: String
    }

    static func register(into table: inout MethodTable, registry: Registry, clock: LogClock) {
        table.register("calendar.publish", PublishParams.self,
                       summary: "Record a year's holiday notice (holidays and make-up workdays) in the working-day calendar.") { p, c in
            let notice: YearNotice
            do {
                notice = try YearNotice(year: p.year, holidays: p.holidays, makeupWorkdays: p.makeupWorkdays ?? [], source: p.source, title: p.title)
            } catch {
                throw RegistryError.rule(field: "holidays", message: "\(error)")
            }
            return calendarJSON(try await registry.publishCalendar(notice, actor: c.actor))
        }
        table.register("calendar.get", NoParams.self, summary: "The working-day calendar: its version and the years it covers.") { _, _ in
            calendarJSON(try registry.calendar())
        }
        table.register("supervision.overdue", OverdueParams.self,
                       summary: "Every obligation due and not met as of a moment (default now), with working days late and its rule.") { p, _ in
            let moment = p.asOf ?? clock.now()
            let result = try registry.overdue(asOf: moment, unit: p.unit)
            func item(_ o: OverdueObligation) -> JSONValue {
                var json = obligationJSON(o.obligation, at: moment)
                json["adjustment"] = o.adjustment.map { .string($0.id) } ?? .null
                json["notice"] = o.notice.map { .string($0.id) } ?? .null
                json["unit"] = .string(o.adjustment?.unit ?? o.notice?.unit ?? "")
                json["filer"] = .string(o.adjustment?.filer ?? o.notice?.unit ?? "")
                json["workingDaysLate"] = o.workingDaysLate.map { .int(Int64($0)) } ?? .null
                return json
            }
            return ["asOf": .string(moment.rfc3339), "calendarVersion": .string(result.calendarVersion),
                    "overdue": .array(result.overdue.map(item)), "unknown": .array(result.unknown.map(item))]
        }
        table.register("supervision.notice", NoticeParams.self,
                       summary: "Issue a rectification notice (督促整改) to a unit, to be met within a number of working days.") { p, c in
            try noticeJSON(try await registry.issueNotice(unit: p.unit, subject: p.subject, reason: p.reason, workingDays: p.workingDays, actor: c.actor),
                           registry: registry, at: clock.now())
        }
        table.register("supervision.rectify", RectifyParams.self, summary: "Record that a rectification notice was met, with what was done.") { p, c in
            if c.grant?.unit != nil, let notice = try registry.notice(p.id) {
                try c.authorize(unit: notice.unit, action: "report rectifications")
            }
            return try noticeJSON(try await registry.rectify(id: p.id, note: p.note, actor: c.actor), registry: registry, at: clock.now())
        }
        table.register("adjustment.deadlines", DeadlineParams.self,
                       summary: "An adjustment's time limits in working days: deadline, when met, and whether in time (now, or as the registry said at asOf).") { p, _ in
            let found = try p.asOf.map { try registry.adjustment(p.id, asOf: $0) } ?? registry.adjustment(p.id)
            guard let a = found else { throw RegistryError.notFound(what: "adjustment", key: p.id) }
            let moment = p.asOf ?? clock.now()
            let calendar = try p.asOf.map { try registry.calendar(asOf: $0) } ?? registry.calendar()
            return .array(Obligations.of(a, calendar: calendar).map { obligationJSON($0, at: moment) })
        }
    }

    static func noticeJSON(_ n: NoticeRecord, registry: Registry, at moment: Timestamp) throws -> JSONValue {
        var json = try JSONValueEncoder().encode(n)
        json["deadline"] = obligationJSON(Obligations.of(n, calendar: try registry.calendar()), at: moment)
        return json
    }

    static func calendarJSON(_ c: WorkingDayCalendar) -> JSONValue {
        ["version": .string(c.version), "years": .array(c.knownYearSet.sorted().map { .int(Int64($0)) })]
    }

    static func obligationJSON(_ o: Obligation, at moment: Timestamp) -> JSONValue {
        [
            "rule": .string(o.rule), "source": .string(o.source), "description": .string(o.description),
            "start": .string(o.start.description), "workingDays": .int(Int64(o.workingDays)),
            "deadline": o.deadline.map { .string($0.date.description) } ?? .null,
            "calendarVersion": o.deadline.map { .string($0.calendarVersion) } ?? .null,
            "unknownYear": o.unknownYear.map { .int(Int64($0)) } ?? .null,
            "metAt": o.metAt.map { .string($0.rfc3339) } ?? .null,
            "status": .string(o.status(at: moment).rawValue),
        ]
    }
}

/// `metrics.get`: the supervision indicators, now or as of a date.
enum MetricsMethods {
    struct Params: RPCParams {
        static let fields: Set<String> = ["unit", "asOf"]
        var unit: String?, asOf: Timestamp?
    }

    static func register(into table: inout MethodTable, registry: Registry, clock: LogClock) {
        table.register("metrics.get", Params.self,
                       summary: "Indicators of a unit or the district, now or as of a date: completeness, coverage, online and full-online rates, instant share, time-limit compression, filings on time.") { p, _ in
            let now = clock.now()
            let m = try registry.metrics(unit: p.unit, asOf: p.asOf, now: now)
            func rate(_ r: Metrics.Rate) -> JSONValue {
                ["count": .int(Int64(r.count)), "of": .int(Int64(r.of)), "value": r.value.map(JSONValue.double) ?? .null]
            }
            func share(_ v: Double?) -> JSONValue { v.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null }
            return [
                "asOf": .string((p.asOf ?? now).rfc3339), "unit": p.unit.map(JSONValue.string) ?? .null,
                "entries": .int(Int64(m.entries)), "completeness": share(m.completeness), "coverage": rate(m.coverage),
                "onlineRate": rate(m.online), "fullOnlineRate": rate(m.fullOnline), "instantShare": rate(m.instant),
                "timeLimitCompression": ["value": share(m.compression), "of": .int(Int64(m.compressionCounted))],
                "filingsOnTime": rate(m.filingsOnTime),
            ]
        }
    }
}
