import Foundation
import Testing
import EventLog
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

/// The 1,135 published items of 广安区 (34 departments): imported, claimed by each department,
/// adjusted, exported, and re-imported into a fresh registry to the same state.
@Suite struct RealDataTests {
    struct District {
        var catalogue: [CatalogueCSVRow]
        /// Department name → (credit code, its items' 基本编码).
        var departments: [String: (code: String, items: [String])]
    }

    static func district() throws -> District {
        let url = try #require(Bundle.module.url(forResource: "guangan-items", withExtension: "csv"))
        let table = try CSVReader().read(contentsOf: url)
        var numbers: [String: Int] = [:]
        var sequences: [String: Int] = [:]
        var departments: [String: (code: String, items: [String])] = [:]
        let rows = try table.rows.map { row -> CatalogueCSVRow in
            let department = try #require(table.value(row, column: "department"))
            let name = try #require(table.value(row, column: "name"))
            let type = try #require(table.value(row, column: "task_type").flatMap { Int($0) }.flatMap(ItemType.init(number:)))
            let number = numbers[department] ?? (numbers.count + 1)
            numbers[department] = number
            let sequence = (sequences[department] ?? 0) + 1
            sequences[department] = sequence
            let code = "51" + type.code + String(format: "%02d%03d", number, sequence) + "000"
            departments[department, default: (creditCode(100 + number), [])].items.append(code)
            return CatalogueCSVRow(basicCode: code, elements: [
                "name": .string(name), "itemType": .string(type.code), "content": .string("依法办理“\(name)”"),
                "implementingBody": .string(department), "serviceObject": type.isPublicService ? ["1"] : ["1", "2"],
                "theme": "其他", "legalBasis": "依据四川省政务服务事项基本目录", "handlingForm": ["1", "2"], "isPublic": true,
            ], status: .inUse, powerSource: .statutory)
        }
        return District(catalogue: rows, departments: departments)
    }

    func registerDepartments(_ d: District, in registry: Registry) async throws {
        for (name, dept) in d.departments.sorted(by: { $0.value.code < $1.value.code }) {
            _ = try await registry.registerUnit(code: dept.code, name: name, kind: "districtDepartment", level: "4", guidingUnit: nil, actor: .null)
        }
    }

    @Test func importClaimAdjustExportReimport() async throws {
        let d = try Self.district()
        #expect(d.catalogue.count == 1135 && d.departments.count == 34)
        let w = try await World()
        let registry = w.registry
        try await registerDepartments(d, in: registry)

        let csv = CatalogueCSV.write(d.catalogue)
        let report = try await registry.importCatalogue(csv: csv, fileName: "guangan-items.csv", actor: .null)
        #expect(report.rows == 1135)
        #expect(try registry.items(cursor: nil, limit: 2000).records.count == 1135)
        // Importing the same file again is refused whole, row by row.
        let again = await #expect(throws: ImportRejected.self) { try await registry.importCatalogue(csv: csv, fileName: "again.csv", actor: .null) }
        #expect(again?.problems.count == 1135)

        // Every department claims its first items through the procedure, all departments at once
        // (group commit), and loads the rest from its implementation spreadsheet.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for dept in d.departments.values {
                group.addTask {
                    for code in dept.items.prefix(3) {
                        var p = w.proposal(.implementation, "claim", target: code, changes: ["fields": implementationFields()], unit: dept.code)
                        p.reason = "认领上级下发事项"
                        let a = try await registry.submit(p, actor: .null)
                        _ = try await registry.approve(id: a.id, actor: .null)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elementsByCode = Dictionary(uniqueKeysWithValues: d.catalogue.map { ($0.basicCode, $0.elements) })
        let sheet = d.departments.values.flatMap { dept in
            dept.items.dropFirst(3).map { code in
                var fields = implementationFields()
                for key in ["name", "itemType", "legalBasis"] { fields[key] = elementsByCode[code]?[key] }
                fields["exerciseLevel"] = "4"
                return ImplementationCSVRow(unitCode: dept.code, basicCode: code, fields: fields)
            }
        }
        let loaded = try await registry.importImplementation(csv: ImplementationCSV.write(sheet), fileName: "claims.csv", actor: .null)
        #expect(loaded.rows == 1135 - 3 * 34 + d.departments.values.filter { $0.items.count < 3 }.reduce(0) { $0 + 3 - $1.items.count })
        for dept in d.departments.values {
            #expect(try registry.entries(unit: dept.code).count == dept.items.count)
        }

        // A round of adjustments: a change, a cancellation, a merge and a split.
        let first = try #require(d.departments.values.sorted { $0.code < $1.code }.first)
        try await w.approved(w.proposal(.catalogue, "change", target: first.items[0], changes: ["elements": ["content": "调整后的行使内容"]], unit: first.code))
        try await w.approved(w.proposal(.catalogue, "cancel", target: first.items[1], changes: ["legalityReview": "广安区司法审〔2026〕7号"], unit: first.code))
        try await w.approved(w.proposal(.catalogue, "merge", target: "512099999000",
                                        changes: ["sources": [.string(first.items[2]), .string(first.items[3])], "elements": catalogueElements("合并后的事项", type: "20")], unit: first.code))
        // The department follows the catalogue: its entries of the cancelled and merged items are cancelled.
        for code in first.items[1...3] {
            let gone = try #require(try registry.entries(unit: first.code).first { $0.basicCode == code })
            try await w.approved(w.proposal(.implementation, "cancel", target: gone.code, changes: [:], unit: first.code))
        }
        let entry = try #require(try registry.entries(unit: first.code).first { $0.basicCode == first.items[0] })
        try await w.approved(w.proposal(.implementation, "split", target: entry.code, changes: ["into": [["fields": ["content": "首次"]], ["fields": ["content": "变更"]]]], unit: first.code))
        #expect(try registry.checkProjections().differences.isEmpty)

        // Export both lists and re-import them into a fresh registry: the same state.
        let catalogueCSV = try registry.exportCatalogue()
        let implementationCSV = try registry.exportImplementation(unit: nil)
        let fresh = try await World()
        try await registerDepartments(d, in: fresh.registry)
        _ = try await fresh.registry.importCatalogue(csv: catalogueCSV, fileName: "catalogue.csv", actor: .null)
        let entries = try await fresh.registry.importImplementation(csv: implementationCSV, fileName: "implementation.csv", actor: .null)
        func catalogue(_ r: Registry) throws -> [String: JSONValue] {
            Dictionary(uniqueKeysWithValues: try r.items(cursor: nil, limit: 5000).records.map { ($0.code, ["e": $0.elements, "s": .string($0.status.code), "p": .string($0.powerSource.code)]) })
        }
        #expect(try catalogue(fresh.registry) == catalogue(registry))
        let original = try registry.scan(ImplementationEntryRecord.self, registry.dbs.entries, after: nil, limit: .max) { $0.status == .inUse && $0.code.count == 31 }.records
        let copied = try fresh.registry.scan(ImplementationEntryRecord.self, fresh.registry.dbs.entries, after: nil, limit: .max) { _ in true }.records
        #expect(entries.rows == original.count)
        #expect(Dictionary(uniqueKeysWithValues: copied.map { ($0.code, $0.fields) }) == Dictionary(uniqueKeysWithValues: original.map { ($0.code, $0.fields) }))
        #expect(try fresh.registry.exportCatalogue() == catalogueCSV)
    }

    @Test func badRowsAreReportedByLineAndNothingIsHalfImported() async throws {
        let w = try await World()
        var rows = try Self.district().catalogue.prefix(20).map { $0 }
        rows[4].elements["legalBasis"] = ""  // line 6 (header is line 1)
        rows[9].basicCode = "51"  // line 11
        let rejected = await #expect(throws: ImportRejected.self) {
            try await w.registry.importCatalogue(csv: CatalogueCSV.write(rows), fileName: "bad.csv", actor: .null)
        }
        let lines = Set(rejected?.problems.map(\.line) ?? [])
        #expect(lines == [6, 11], "\(rejected?.problems ?? [])")
        #expect(try w.registry.items(cursor: nil, limit: 100).records.isEmpty)
        #expect(w.store.head.seq == 3)  // only the three units of the World
    }
}
