import EventLog
import Registry
import ShixiangJSON
import ShixiangRPC

/// `catalogue.*`, `implementation.*` and `ledger.get`: the lists as they stand, and their history.
enum CatalogueMethods {
    struct HistoryParams: RPCParams {
        static let fields: Set<String> = ["code", "asOf"]
        var code: String, asOf: Timestamp?
    }

    struct GetParams: RPCParams {
        static let fields: Set<String> = ["code", "asOf", "inForceOn"]
        var code: String, asOf: Timestamp?, inForceOn: Timestamp?
    }

    struct ListParams: RPCParams {
        static let fields: Set<String> = ["filter", "cursor", "limit", "asOf"]
        var filter: Filter?, cursor: String?, limit: Int?, asOf: Timestamp?
    }

    struct Filter: Decodable, Sendable {
        var status: String?, itemType: String?, text: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case status, itemType, text }
        init(from decoder: any Decoder) throws {
            try rejectUnknownMembers(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.decodeIfPresent(String.self, forKey: .status)
            itemType = try c.decodeIfPresent(String.self, forKey: .itemType)
            text = try c.decodeIfPresent(String.self, forKey: .text)
        }
    }

    struct EntryListParams: RPCParams {
        static let fields: Set<String> = ["unit", "code", "asOf"]
        var unit: String?, code: String?, asOf: Timestamp?
    }

    struct LedgerParams: RPCParams {
        static let fields: Set<String> = ["unit", "asOf"]
        var unit: String, asOf: Timestamp?
    }

    /// The events of `stream`, up to `asOf` if given.
    static func history(_ registry: Registry, _ stream: String, asOf: Timestamp?) throws -> JSONValue {
        let upTo = try asOf.map { try registry.seq(asOf: $0) } ?? .max
        return .array(try registry.store.events(stream: stream).filter { $0.seq <= upTo }.map(\.json))
    }

    static func register(into table: inout MethodTable, registry: Registry, clock: LogClock = .system) {
        table.register("catalogue.get", GetParams.self, summary: "One catalogue item by its 基本编码: now, as it stood at asOf, or as in force on inForceOn (by effectiveAt).") { p, _ in
            let found: CatalogueItemRecord?
            if let valid = p.inForceOn {
                found = try registry.item(p.code, inForceOn: valid, asOf: p.asOf)
            } else {
                found = try p.asOf.map { try registry.item(p.code, asOf: $0) } ?? registry.item(p.code)
            }
            guard let item = found else { throw RegistryError.notFound(what: "catalogue item", key: p.code) }
            return try RecordJSON.item(item)
        }
        table.register("catalogue.list", ListParams.self,
                       summary: "Catalogue items in code order, filtered by status, item type or text, a page at a time.") { p, _ in
            let limit = p.limit ?? 100
            guard (1...1000).contains(limit) else { throw RPCError.invalidParams("limit", "must be between 1 and 1000") }
            let keep: (CatalogueItemRecord) -> Bool = { item in
                (p.filter?.status == nil || item.status.code == p.filter?.status)
                    && (p.filter?.itemType == nil || item.elements["itemType"]?.stringValue == p.filter?.itemType)
                    && (p.filter?.text.map { text in item.name.contains(text) || item.code.contains(text) } ?? true)
            }
            let page: (records: [CatalogueItemRecord], next: String?)
            if let asOf = p.asOf {
                let found = try registry.items(asOf: asOf, cursor: p.cursor, limit: limit, where: keep)
                page = (found.records, found.next)
            } else {
                page = try registry.items(cursor: p.cursor, limit: limit, where: keep)
            }
            return ["items": .array(try page.records.map(RecordJSON.item)), "nextCursor": page.next.map(JSONValue.string) ?? .null]
        }
        table.register("catalogue.history", HistoryParams.self, summary: "Every event that made a catalogue item what it is (up to asOf, if given).") { p, _ in
            try history(registry, StreamName.item(p.code), asOf: p.asOf)
        }
        table.register("implementation.get", GetParams.self, summary: "One implementation entry by its 实施编码: now, as it stood at asOf, or as in force on inForceOn.") { p, _ in
            let found: ImplementationEntryRecord?
            if let valid = p.inForceOn {
                found = try registry.entry(p.code, inForceOn: valid, asOf: p.asOf)
            } else {
                found = try p.asOf.map { try registry.entry(p.code, asOf: $0) } ?? registry.entry(p.code)
            }
            guard let entry = found else { throw RegistryError.notFound(what: "implementation entry", key: p.code) }
            return try RecordJSON.entry(entry)
        }
        table.register("implementation.list", EntryListParams.self,
                       summary: "Implementation entries of a unit, or of a catalogue item (基本编码), now or as they stood at asOf.") { p, _ in
            if let unit = p.unit {
                let entries = try p.asOf.map { try registry.entries(unit: unit, asOf: $0) } ?? registry.entries(unit: unit)
                return .array(try entries.filter { p.code == nil || $0.basicCode == p.code }.map(RecordJSON.entry))
            }
            guard let code = p.code else { throw RPCError.invalidParams("unit", "give a unit, a 基本编码 (code), or both") }
            return .array(try (p.asOf.map { try registry.entries(basicCode: code, asOf: $0) } ?? registry.entries(basicCode: code)).map(RecordJSON.entry))
        }
        table.register("implementation.history", HistoryParams.self, summary: "Every event that made an implementation entry what it is (up to asOf, if given).") { p, _ in
            try history(registry, StreamName.entry(p.code), asOf: p.asOf)
        }
        table.register("ledger.get", LedgerParams.self,
                       summary: "A unit's ledger (台账): its entries, their items, every adjustment with status and dates, zero reports.") { p, _ in
            let found = try p.asOf.map { try registry.ledger(unit: p.unit, asOf: $0) } ?? registry.ledger(unit: p.unit)
            guard let ledger = found else { throw RegistryError.notFound(what: "unit", key: p.unit) }
            let calendar = try p.asOf.map { try registry.calendar(asOf: $0) } ?? registry.calendar()
            let now = p.asOf ?? clock.now()
            var deadlines: [String: JSONValue] = [:]
            for a in ledger.adjustments {
                deadlines[a.id] = .array(Obligations.of(a, calendar: calendar).map { SupervisionMethods.obligationJSON($0, at: now) })
            }
            return [
                "deadlines": .object(deadlines),
                "unit": try RecordJSON.unit(ledger.unit),
                "entries": .array(try ledger.entries.map(RecordJSON.entry)),
                "items": .array(try ledger.items.values.sorted { $0.code < $1.code }.map(RecordJSON.item)),
                "adjustments": .array(try ledger.adjustments.map(RecordJSON.adjustment)),
                "zeroReports": try JSONValueEncoder().encode(ledger.unit.zeroReports),
            ]
        }
    }
}
