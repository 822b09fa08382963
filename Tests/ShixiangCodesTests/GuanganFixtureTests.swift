import Foundation
import Testing
import ShixiangCodes

/// The published item list of 广安区 (四川), 1,135 items, as a realistic CSV fixture.
@Suite("guangan-items.csv fixture")
struct GuanganFixtureTests {
    static func load() throws -> CSVTable {
        let url = try #require(Bundle.module.url(forResource: "guangan-items", withExtension: "csv"))
        return try CSVReader().read(contentsOf: url)
    }

    @Test func shape() throws {
        let table = try Self.load()
        #expect(table.header == ["department", "main_item", "name", "local_code", "task_type", "dept_code"])
        #expect(table.rows.count == 1135)
        #expect(table.rows.allSatisfy { $0.fields.count == 6 })
        #expect(Set(table.rows.map { $0.fields[0] }).count == 34)
        #expect(table.rows.first?.line == 2)
        #expect(table.rows.last?.line == 1136)
        #expect(table.rows.last?.fields[2] == "民族团结进步表彰活动")
    }

    @Test func quotedNamesWithCommas() throws {
        let table = try Self.load()
        let quoted = table.rows.filter { $0.fields[2].contains(",") }
        #expect(quoted.map(\.line) == [280, 281, 862, 964])
        #expect(quoted.first?.fields[2] == "生产建设项目水土保持方案审批（新办）（据省政府令第349号,部分省级权限下放成都等８市)")
    }

    @Test func taskTypesAreItemTypes() throws {
        let table = try Self.load()
        var counts: [ItemType: Int] = [:]
        for row in table.rows {
            let type = try #require(Int(row.fields[4]).flatMap(ItemType.init(number:)), "line \(row.line)")
            counts[type, default: 0] += 1
        }
        #expect(counts == [.licensing: 536, .publicService: 348, .otherPower: 182, .confirmation: 50,
                           .benefit: 9, .adjudication: 8, .reward: 2])
    }

    @Test func embeddedCreditCodes() throws {
        // The 4th-style segment of local_code carries the unit's 18-character credit code.
        let table = try Self.load()
        var parsed = 0
        var valid = 0
        var failing: Set<String> = []
        var distinct: Set<String> = []
        for row in table.rows {
            guard let segment = row.fields[3].split(separator: "-").first(where: { $0.count == 18 }),
                  let code = try? UnifiedSocialCreditCode(String(segment)) else { continue }
            parsed += 1
            distinct.insert(code.value)
            if code.checkDigitValid { valid += 1 } else { failing.insert(code.value) }
        }
        #expect(parsed == 989)
        #expect(valid == 982)
        #expect(distinct.count == 41)
        #expect(failing == ["TE5116020105116050"])
    }

    @Test func noVagueWordingInNames() throws {
        let table = try Self.load()
        let findings = table.rows.flatMap { VagueWording.findings(in: $0.fields[2], field: "name") }
        #expect(findings.isEmpty)
    }

    @Test func writerRoundTripsTheFixture() throws {
        let table = try Self.load()
        let data = CSVWriter().data(header: table.header, rows: table.rows.map(\.fields))
        let back = try CSVReader().read(data)
        #expect(back.header == table.header)
        #expect(back.rows.map(\.fields) == table.rows.map(\.fields))
    }
}
