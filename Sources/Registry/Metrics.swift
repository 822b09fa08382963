import EventLog
import ShixiangCalendar
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// The supervision indicators (seed 002 §15, §19; seed 000 §4) of one unit or the whole district.
///
/// Every rate is a share in 0…1 with the counts it comes from; `nil` when nothing is counted.
/// Readings:
/// - completeness (完备度): the share of an entry's 34 fillable fields that are filled, averaged over entries in use;
/// - coverage (覆盖度): of the catalogue items in use that the unit implements (its name is the
///   item's 实施机构) or that were delegated to its level, the share it has an entry in use for;
/// - online rate (网办率): entries offered online (handling form 2 PC or 3 mobile);
/// - full-online rate (全程网办率): online, with results delivered and fees (if any) payable online;
/// - instant share (即办件占比): entries whose case type is 1 即办件;
/// - time-limit compression (承诺时限压缩率): the mean of 1 − promised / statutory where comparable;
/// - filings on time: filing obligations met by their deadline, of those whose deadline has passed or that were met.
public struct Metrics: Sendable {
    public struct Rate: Sendable {
        public var count: Int
        public var of: Int
        public var value: Double? { of > 0 ? Double(count) / Double(of) : nil }
    }

    public var entries: Int
    public var completeness: Double?
    public var coverage: Rate
    public var online: Rate
    public var fullOnline: Rate
    public var instant: Rate
    public var compression: Double?
    public var compressionCounted: Int
    public var filingsOnTime: Rate

    /// Computes the indicators from a state (current or as of a date) at `moment`.
    public static func compute(units: [UnitRecord], items: [CatalogueItemRecord], entries allEntries: [ImplementationEntryRecord],
                               adjustments: [AdjustmentRecord], unit: String?, calendar: WorkingDayCalendar, at moment: Timestamp) -> Metrics {
        let entries = allEntries.filter { $0.status == .inUse && (unit == nil || $0.unit == unit) }
        let fillable = ImplementationFields.keys.filter { $0 != "basicCode" && $0 != "implementationCode" }
        func filled(_ v: JSONValue?) -> Bool {
            switch v {
            case nil, .null?: return false
            case .string(let s)?: return !s.trimmingCharacters(in: .whitespaces).isEmpty
            case .array(let a)?: return !a.isEmpty
            case .object(let o)?: return !o.isEmpty
            default: return true
            }
        }
        let completeness = entries.isEmpty ? nil
            : entries.map { e in Double(fillable.filter { filled(e.fields[$0]) }.count) / Double(max(fillable.count, 1)) }.reduce(0, +) / Double(entries.count)

        let scope = units.filter { unit == nil || $0.code == unit }
        var applicable = 0, covered = 0
        for u in scope {
            let claimed = Set(allEntries.filter { $0.unit == u.code && $0.status == .inUse }.map(\.basicCode))
            for item in items where item.status == .inUse {
                let mine = item.elements["implementingBody"]?.stringValue == u.name || item.exerciseLevel == u.level
                guard mine else { continue }
                applicable += 1
                if claimed.contains(item.code) { covered += 1 }
            }
        }
        func forms(_ e: ImplementationEntryRecord) -> Set<String> { Set(e.fields["handlingForm"]?.arrayValue?.compactMap(\.stringValue) ?? []) }
        let online = entries.filter { !forms($0).isDisjoint(with: [HandlingForm.online.code, HandlingForm.mobile.code]) }
        let fullOnline = online.filter { e in
            e.fields["supportsDelivery"] == true && (e.fields["chargesFee"] != true || e.fields["supportsOnlinePayment"] == true)
        }
        let instant = entries.filter { $0.fields["caseType"]?.stringValue == CaseType.immediate.code }
        var rates: [Double] = []
        for e in entries {
            guard let promised = e.fields["promisedTimeLimit"].flatMap({ try? TimeLimit.read(json: $0) }),
                  let statutory = e.fields["statutoryTimeLimit"].flatMap({ try? TimeLimit.read(json: $0) }),
                  let rate = TimeLimit.compressionRate(promised: promised, statutory: statutory) else { continue }
            rates.append(rate)
        }
        var due = 0, onTime = 0
        for a in adjustments where unit == nil || a.filer == unit || a.unit == unit {
            for o in Obligations.of(a, calendar: calendar) where o.rule == "filing" {
                switch o.status(at: moment) {
                case .met: due += 1; onTime += 1
                case .metLate, .overdue: due += 1
                default: break
                }
            }
        }
        return Metrics(entries: entries.count, completeness: completeness, coverage: Rate(count: covered, of: applicable),
                       online: Rate(count: online.count, of: entries.count), fullOnline: Rate(count: fullOnline.count, of: entries.count),
                       instant: Rate(count: instant.count, of: entries.count),
                       compression: rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count), compressionCounted: rates.count,
                       filingsOnTime: Rate(count: onTime, of: due))
    }
}

extension Registry {
    /// The indicators now, or as the registry stood at `moment`.
    public func metrics(unit: String?, asOf moment: Timestamp?, now: Timestamp) throws -> Metrics {
        if let moment {
            let s = try snapshot(asOf: moment)
            return Metrics.compute(units: s.units, items: s.items, entries: s.entries, adjustments: s.adjustments, unit: unit,
                                   calendar: try calendar(asOf: moment), at: moment)
        }
        let calendar = try calendar()
        return Metrics.compute(units: try units(), items: try items(cursor: nil, limit: .max).records,
                               entries: try scan(ImplementationEntryRecord.self, dbs.entries, after: nil, limit: .max) { _ in true }.records,
                               adjustments: try adjustments(unit: nil, status: nil), unit: unit, calendar: calendar, at: now)
    }
}
