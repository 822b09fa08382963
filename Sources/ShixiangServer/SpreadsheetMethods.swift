import EventLog
import Foundation
import Registry
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import ShixiangRPC

extension ImportRejected: RPCErrorConvertible {
    public var rpcError: RPCError {
        RPCError(code: RPCErrorCode.ruleViolation, message: description + (problems.count > 1 ? " (all problems are listed in data.problems)" : ""),
                 data: ["field": "content", "problems": .array(problems.prefix(500).map { p in
                     ["line": .int(Int64(p.line)), "column": p.column.map(JSONValue.string) ?? .null, "rule": .string(p.rule), "message": .string(p.message)]
                 })])
    }
}

/// Spreadsheets in and out: the catalogue and implementation lists, ledgers and filing forms, as
/// UTF-8 CSV with a BOM and the column headers of the seeds' annexes.
enum SpreadsheetMethods {
    struct ImportParams: RPCParams {
        static let fields: Set<String> = ["fileName", "content"]
        var fileName: String, content: String
    }

    struct UnitParams: RPCParams {
        static let fields: Set<String> = ["unit", "asOf"]
        var unit: String?, asOf: Timestamp?
    }

    struct LedgerParams: RPCParams {
        static let fields: Set<String> = ["unit", "asOf"]
        var unit: String, asOf: Timestamp?
    }

    struct AsOfParams: RPCParams {
        static let fields: Set<String> = ["asOf"]
        var asOf: Timestamp?
    }

    struct IDParams: RPCParams {
        static let fields: Set<String> = ["id"]
        var id: String
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("catalogue.import", ImportParams.self,
                       summary: "Record a catalogue spreadsheet (seed 001 Annex 3 columns); all rows or none, problems by line.") { p, c in
            report(try await registry.importCatalogue(csv: Data(p.content.utf8), fileName: p.fileName, actor: c.actor))
        }
        table.register("implementation.import", ImportParams.self,
                       summary: "Record an implementation-list spreadsheet (seed 001 Annex 4 columns); all rows or none.") { p, c in
            report(try await registry.importImplementation(csv: Data(p.content.utf8), fileName: p.fileName, actor: c.actor))
        }
        table.register("catalogue.export", AsOfParams.self, summary: "The catalogue as CSV (UTF-8 with BOM, Annex 3 headers), now or as it stood at asOf.") { p, _ in
            ["content": .string(String(decoding: try registry.exportCatalogue(asOf: p.asOf), as: UTF8.self))]
        }
        table.register("implementation.export", UnitParams.self, summary: "Implementation entries in use as CSV (Annex 4 headers), now or as they stood at asOf.") { p, _ in
            ["content": .string(String(decoding: try registry.exportImplementation(unit: p.unit, asOf: p.asOf), as: UTF8.self))]
        }
        table.register("ledger.export", LedgerParams.self, summary: "A unit's ledger (台账) as CSV, now or as it stood at asOf.") { p, _ in
            let unit = p.unit
            guard let csv = try registry.exportLedger(unit: unit, asOf: p.asOf) else { throw RegistryError.notFound(what: "unit", key: unit) }
            return ["content": .string(String(decoding: csv, as: UTF8.self))]
        }
        table.register("filing.export", IDParams.self,
                       summary: "A filing as the filing form (备案表) or, for several adjustments, the detail table (动态调整明细表), as CSV.") { p, _ in
            guard let filing = try registry.filing(p.id) else { throw RegistryError.notFound(what: "filing", key: p.id) }
            let adjustments = try filing.adjustments.compactMap { try registry.adjustment($0) }
            return ["content": .string(String(decoding: try DetailTable.csv(adjustments, registry: registry, remarks: filing.form["remarks"]?.stringValue ?? ""), as: UTF8.self))]
        }
    }

    static func report(_ r: ImportReport) -> JSONValue {
        ["rows": .int(Int64(r.rows)), "sha256": .string(r.sha256), "firstSeq": .int(Int64(r.firstSeq)), "lastSeq": .int(Int64(r.lastSeq)),
         "warnings": .array(r.warnings.prefix(500).map { w in
             ["line": .int(Int64(w.line)), "column": w.column.map(JSONValue.string) ?? .null, "message": .string(w.message)]
         })]
    }
}

/// The filing form / adjustment detail table (动态调整明细表) of seed 000 Annex 2, one row per adjustment.
enum DetailTable {
    static func csv(_ adjustments: [AdjustmentRecord], registry: Registry, remarks: String = "") throws -> Data {
        var rows: [[String]] = []
        for a in adjustments {
            let unit = try registry.unit(a.unit)
            let itemName = try registry.item(a.target)?.name ?? (try registry.entry(a.target)?.name) ?? a.target
            let catalogueKind = a.list == .catalogue ? (CatalogueAdjustmentKind(code: a.kind)?.label ?? "其他（\(a.kind)）") : ""
            let implementationKind = a.list == .implementation ? (ImplementationAdjustmentKind(code: a.kind)?.label ?? "其他（\(a.kind)）") : ""
            rows.append(FilingFormCSV.row(unit: unit?.name ?? a.unit, itemName: itemName,
                                          level: unit.map { $0.level.filingFormLabel ?? $0.level.label } ?? "",
                                          catalogueAdjustment: catalogueKind, implementationAdjustment: implementationKind,
                                          details: a.changes.compactString, basis: a.basis, remarks: remarks))
        }
        return FilingFormCSV.write(rows: rows)
    }
}
