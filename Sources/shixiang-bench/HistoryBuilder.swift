import EventLog
import Foundation
import Registry
import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import ShixiangTestSupport
import Synchronization

/// Builds a realistic registry history in-process, through the registry's own commands: units, the
/// real catalogue imported, then many units working concurrently through the adjustment procedure
/// (claims, entry changes with their offline guides, catalogue changes filed and forwarded,
/// returns and resubmissions, additions, cancellations, rectification notices) until the log
/// holds the events asked for. Time is simulated: the log's clock spreads the events evenly
/// from 2020-01-01 to mid-2026, so reads "as of a date" land anywhere in six years of history.
enum HistoryBuilder {
    struct Built: Sendable {
        var events: UInt64
        var seconds: Double
        var itemNames: Int
        var namesFrom: String
        var failures: Int
    }

    /// A catalogue item to import: its real name and item type.
    struct Named: Sendable {
        var name: String
        var type: String
    }

    static let start = Timestamp(rfc3339: "2020-01-01T09:00:00+08:00")!
    static let end = Timestamp(rfc3339: "2026-06-30T18:00:00+08:00")!

    /// The store's head, read by the simulated clock (set once the store is open).
    final class HeadSource: @unchecked Sendable {
        // @unchecked Sendable: `store` is written once, before the first write, then only read.
        var store: EventStore?
    }

    static func build(directory: String, events target: Int, workers: Int, csvPath: String) async throws -> Built {
        let began = Date()
        let source = HeadSource()
        let span = Double(end.microseconds - start.microseconds)
        let clock = LogClock {
            let seq = Double(source.store?.head.seq ?? 0)
            return Timestamp(microseconds: start.microseconds + Int64(span * min(seq / Double(target), 1)))
        }
        let store = try EventStore(directory: directory, clock: clock)
        source.store = store
        defer { store.close() }
        let registry = try Registry(store: store)
        let (names, from) = itemNames(csvPath)

        let units = (0..<workers).map { RegistryFixtures.creditCode(100 + $0) }
        for (i, unit) in units.enumerated() {
            _ = try await registry.registerUnit(code: unit, name: "区局\(i + 1)", kind: "districtDepartment", level: "4", guidingUnit: nil, actor: .null)
        }
        var rows: [CatalogueCSVRow] = []
        for (i, named) in names.enumerated() {
            let elements = RegistryFixtures.catalogueElements(named.name, type: named.type)
            guard DirectoryElements.validate(elements, mode: .complete).isEmpty else { continue }
            rows.append(CatalogueCSVRow(basicCode: "51" + named.type + String(format: "%05d", i) + "000", elements: elements, status: .inUse, powerSource: .statutory))
        }
        _ = try await registry.importCatalogue(csv: CatalogueCSV.write(rows), fileName: "guangan-items.csv", actor: .null)
        let catalogue = rows.map(\.basicCode)
        progress("  \(units.count) units, \(catalogue.count) catalogue items imported; \(workers) units at work")

        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                let mine = catalogue.enumerated().filter { $0.offset % workers == w }.map(\.element)
                group.addTask {
                    var worker = Worker(index: w, unit: units[w], registry: registry, items: mine, catalogue: catalogue, names: names,
                                        rng: SplitMix64(seed: UInt64(w + 1) &* 0x9e37_79b9))
                    while store.head.seq < UInt64(target) {
                        do {
                            try await worker.step()
                        } catch is RegistryError {
                            // Refused by the rules, as a clerk would be: mostly a change to an entry whose
                            // catalogue item another unit has cancelled meanwhile. Nothing is written.
                            counters.failures.add(1, ordering: .relaxed)
                        }
                        let head = store.head.seq
                        let last = counters.reported.load(ordering: .relaxed)
                        if head / 100_000 > last / 100_000, counters.reported.compareExchange(expected: last, desired: head, ordering: .relaxed).exchanged {
                            progress("  \(head) events, \(Int(Date().timeIntervalSince(began))) s")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Built(events: store.head.seq, seconds: Date().timeIntervalSince(began), itemNames: catalogue.count, namesFrom: from,
                     failures: counters.failures.load(ordering: .relaxed))
    }

    /// The item names of the CSV (department,main_item,name,local_code,task_type,dept_code), or generated ones.
    static func itemNames(_ path: String) -> ([Named], String) {
        let types: [Int: String] = [1: "01", 5: "05", 7: "07", 8: "08", 9: "09", 10: "10", 20: "20"]
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let named = text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> Named? in
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard f.count == 6, let t = Int(f[4]) else { return nil }
                return Named(name: f[2], type: types[t] ?? "10")
            }
            if !named.isEmpty { return (named, path) }
        }
        return ((0..<1000).map { Named(name: "政务服务事项\($0)", type: "01") }, "generated")
    }

    /// Shared by the workers: commands refused, and the last progress line's head.
    final class Counters: Sendable {
        let failures = Atomic<Int>(0)
        let reported = Atomic<UInt64>(0)
    }


    /// One unit at work: what it claimed, the items it looks after, its open notices.
    struct Worker {
        let index: Int
        let unit: String
        let registry: Registry
        /// Catalogue items this unit's department looks after (changes, cancellations).
        var items: [String]
        /// The whole catalogue as imported (what it may claim).
        let catalogue: [String]
        let names: [Named]
        var rng: SplitMix64
        var entries: [String] = []
        var claimed: Set<String> = []
        var added = 0
        var notices: [String] = []

        static let hours = ["工作日9:00-17:00", "工作日8:30-17:30", "工作日9:00-12:00、14:00-17:00", "全天（节假日除外）"]
        static let places = ["区政务服务中心一楼", "区政务服务中心二楼", "镇便民服务中心", "区政务服务中心三楼综合窗口"]

        func proposal(_ list: String, _ kind: String, _ target: String, _ changes: JSONValue) -> AdjustmentProposal {
            AdjustmentProposal(unit: unit, list: list == "catalogue" ? .catalogue : .implementation, kind: kind, target: target, changes: changes,
                               basis: "《四川省政务服务事项动态管理办法》", reason: "根据业务变化调整", evidence: [])
        }

        func through(_ a: AdjustmentRecord, archive: Bool) async throws {
            _ = try await registry.publish(id: a.id, channels: ["政务服务平台", "区政府网站"], actor: .null)
            if a.filingRequired {
                let f = try await registry.file(unit: unit, adjustments: [a.id], form: ["remarks": "无"], actor: .null)
                _ = try await registry.forwardFiling(id: f.id, to: [], actor: .null)
            }
            if archive { _ = try await registry.archive(id: a.id, actor: .null) }
        }

        mutating func step() async throws {
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<8 where entries.count < 400:
                // Claim an item distributed from above, with its elements complete, the same day.
                guard let code = catalogue.randomElement(using: &rng), !claimed.contains(code) else { return }
                claimed.insert(code)
                var a = try await registry.submit(proposal("implementation", "claim", code, ["fields": RegistryFixtures.implementationFields()]), actor: .null)
                a = try await registry.approve(id: a.id, actor: .null)
                entries.append(ImplementationCode.derive(unit: try UnifiedSocialCreditCode(unit), level: .county, basic: try BasicCode(code)).description)
                try await through(a, archive: false)
                _ = try await registry.recordGuideUpdate(id: a.id, note: "新增指南已摆放", actor: .null)
            case 0..<50 where !entries.isEmpty:
                // An element change of one of its entries; the offline guide follows (mostly).
                let entry = entries.randomElement(using: &rng)!
                let fields: JSONValue = ["hours": .string(Self.hours.randomElement(using: &rng)!), "place": .string(Self.places.randomElement(using: &rng)!),
                                         "promisedTimeLimit": ["value": .int(Int64.random(in: 1...15, using: &rng)), "unit": "workingDays"]]
                var a = try await registry.submit(proposal("implementation", "change", entry, ["fields": fields]), actor: .null)
                if roll % 7 == 0 {
                    a = try await registry.returnAdjustment(id: a.id, reason: "请补充调整依据文号", actor: .null)
                    a = try await registry.resubmit(id: a.id, changes: nil, basis: "川府办发〔2024〕12号", reason: nil, evidence: nil, effectiveAt: nil, actor: .null)
                }
                a = try await registry.approve(id: a.id, actor: .null)
                try await through(a, archive: roll % 2 == 0)
                if roll % 4 != 0 { _ = try await registry.recordGuideUpdate(id: a.id, note: "大厅指南已更新", actor: .null) }
            case 50..<88 where !items.isEmpty:
                // A change of a catalogue item it looks after: filed with the reform office and forwarded.
                let code = items.randomElement(using: &rng)!
                let a = try await registry.approve(id: try await registry.submit(proposal("catalogue", "change", code,
                    ["elements": ["content": .string("依申请办理（\(Int.random(in: 1...99, using: &rng))号文件调整）")]]), actor: .null).id, actor: .null)
                try await through(a, archive: roll % 3 == 0)
            case 88..<91:
                // A new item (a new legal basis), added to the catalogue and filed.
                added += 1
                let code = "52" + "01" + String(format: "%02d%03d", index % 100, added % 1000) + "000"
                let named = names.randomElement(using: &rng)!
                let a = try await registry.approve(id: try await registry.submit(proposal("catalogue", "add", code,
                    ["elements": RegistryFixtures.catalogueElements(named.name + "（新增）", type: "01")]), actor: .null).id, actor: .null)
                items.append(code)
                try await through(a, archive: false)
            case 91..<93 where items.count > 5:
                // A cancellation, after the justice bureau's legality review.
                let i = Int.random(in: 0..<items.count, using: &rng)
                let code = items.remove(at: i)
                let a = try await registry.approve(id: try await registry.submit(proposal("catalogue", "cancel", code,
                    ["legalityReview": .string("司法审〔2025〕\(index)-\(added)号")]), actor: .null).id, actor: .null)
                try await through(a, archive: true)
            case 93..<97:
                let n = try await registry.issueNotice(unit: unit, subject: "逾期未备案", reason: "调整后未在2个工作日内备案", workingDays: 5, actor: .null)
                notices.append(n.id)
            default:
                if let id = notices.popLast() { _ = try await registry.rectify(id: id, note: "已补报备案表", actor: .null) }
            }
        }
    }
}
