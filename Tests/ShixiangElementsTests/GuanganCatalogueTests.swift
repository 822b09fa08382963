import Foundation
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

/// The 1,135 published items of 广安区 as catalogue rows: written and re-read unchanged.
@Suite("guangan-items.csv as a catalogue")
struct GuanganCatalogueTests {
    static func rows() throws -> [CatalogueCSVRow] {
        let url = try #require(Bundle.module.url(forResource: "guangan-items", withExtension: "csv"))
        let table = try CSVReader().read(contentsOf: url)
        #expect(table.rows.count == 1135)
        var departments: [String: Int] = [:]
        var sequences: [String: Int] = [:]
        return try table.rows.map { row in
            let department = try #require(table.value(row, column: "department"))
            let name = try #require(table.value(row, column: "name"))
            let type = try #require(table.value(row, column: "task_type").flatMap { Int($0) }.flatMap(ItemType.init(number:)))
            let departmentNumber = departments[department] ?? (departments.count + 1)
            departments[department] = departmentNumber
            let sequence = (sequences[department] ?? 0) + 1
            sequences[department] = sequence
            let code = "51" + type.code + String(format: "%02d%03d", departmentNumber, sequence) + "000"
            let objects: [JSONValue] = type.isPublicService ? ["1"] : ["1", "2"]
            let elements: JSONValue = [
                "name": .string(name),
                "itemType": .string(type.code),
                "content": .string("依法办理“\(name)”"),
                "implementingBody": .string(department),
                "serviceObject": .array(objects),
                "theme": "其他",
                "legalBasis": "依据四川省政务服务事项基本目录",
                "handlingForm": ["1", "2"],
                "isPublic": true,
            ]
            return CatalogueCSVRow(basicCode: code, elements: elements, status: .inUse, powerSource: .statutory)
        }
    }

    @Test func everyItemIsValidAndRoundTrips() throws {
        let rows = try Self.rows()
        #expect(rows.count == 1135)
        #expect(Set(rows.map(\.basicCode)).count == 1135)
        for row in rows {
            #expect(DirectoryElements.validate(row.elements, mode: .complete) == [], "\(row.basicCode)")
        }
        let data = CatalogueCSV.write(rows)
        let parsed = CatalogueCSV.parse(data: data)
        #expect(parsed.problems == [])
        #expect(parsed.rows.count == 1135)
        #expect(parsed.rows == rows)
        #expect(parsed.rows.contains { $0.elements["name"]?.stringValue?.contains(",") == true })
    }
}
