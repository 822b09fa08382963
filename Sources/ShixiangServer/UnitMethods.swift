import EventLog
import Registry
import ShixiangJSON
import ShixiangRPC

/// `unit.*`: registering units and reading them.
enum UnitMethods {
    struct RegisterParams: RPCParams {
        static let fields: Set<String> = ["code", "name", "kind", "level", "guidingUnit"]
        var code: String, name: String, kind: String, level: String, guidingUnit: String?
    }

    struct CodeParams: RPCParams {
        static let fields: Set<String> = ["code"]
        var code: String
    }

    struct GetParams: RPCParams {
        static let fields: Set<String> = ["code", "asOf"]
        var code: String, asOf: Timestamp?
    }

    struct RenameParams: RPCParams {
        static let fields: Set<String> = ["code", "name"]
        var code: String, name: String
    }

    struct DissolveParams: RPCParams {
        static let fields: Set<String> = ["code", "reason"]
        var code: String, reason: String
    }

    struct ZeroReportParams: RPCParams {
        static let fields: Set<String> = ["unit", "category", "note"]
        var unit: String, category: String?, note: String?
    }

    struct ListParams: RPCParams {
        static let fields: Set<String> = ["kind"]
        var kind: String?
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("unit.register", RegisterParams.self, summary: "Register a unit (credit code, name, kind, level, guiding unit).") { p, c in
            try RecordJSON.unit(try await registry.registerUnit(code: p.code, name: p.name, kind: p.kind, level: p.level, guidingUnit: p.guidingUnit, actor: c.actor))
        }
        table.register("unit.rename", RenameParams.self, summary: "Rename a unit.") { p, c in
            try RecordJSON.unit(try await registry.renameUnit(code: p.code, name: p.name, actor: c.actor))
        }
        table.register("unit.dissolve", DissolveParams.self, summary: "Record that a unit was dissolved.") { p, c in
            try RecordJSON.unit(try await registry.dissolveUnit(code: p.code, reason: p.reason, actor: c.actor))
        }
        table.register("unit.zeroReport", ZeroReportParams.self,
                       summary: "Record a zero report: the unit has no items of a category (default publicService).") { p, c in
            try c.authorize(unit: p.unit, action: "make zero reports")
            return try RecordJSON.unit(try await registry.zeroReport(unit: p.unit, category: p.category ?? "publicService", note: p.note ?? "", actor: c.actor))
        }
        table.register("unit.get", GetParams.self, summary: "One unit by its credit code (as it stood at asOf, if given).") { p, _ in
            guard let unit = try p.asOf.map({ try registry.unit(p.code, asOf: $0) }) ?? registry.unit(p.code) else { throw RegistryError.notFound(what: "unit", key: p.code) }
            return try RecordJSON.unit(unit)
        }
        table.register("unit.list", ListParams.self, summary: "All units, optionally of one kind.") { p, _ in
            .array(try registry.units().filter { p.kind == nil || $0.kind.code == p.kind }.map(RecordJSON.unit))
        }
    }
}
