import Foundation
import Testing
import EventLog
import LMDB
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry


/// Reads as of a moment fold each record's own stream and count with the creation index; a fold of
/// the whole log up to the same moment is the reference they must equal, at every moment, and
/// again after a rebuild.
@Suite struct AsOfPropertyTests {
    /// A random history over about a month of simulated time: items added, changed and cancelled,
    /// claims, entry changes, returns and resubmissions, publications, filings, forwardings,
    /// notices, renames, offline-guide updates. Returns the moments to check.
    static func randomHistory(_ w: World, clock: HandClock, seed: UInt64, steps: Int) async throws -> [Timestamp] {
        var rng = SplitMix64(seed: seed)
        let r = w.registry
        var moments: [Timestamp] = []
        var codes: [String] = []
        func tick() {
            let now = clock.read()
            clock.set(Timestamp(microseconds: now.microseconds + Int64.random(in: 1...6 * 3_600_000_000, using: &rng)).rfc3339)
            moments.append(clock.read())
        }
        for step in 0..<steps {
            tick()
            let units = [w.department, w.township]
            let unit = units[Int.random(in: 0..<2, using: &rng)]
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:
                let code = "0001040" + String(format: "%02d", codes.count + 10) + "000"
                try await w.addItem(code, "事项\(step)")
                codes.append(code)
            case 2 where !codes.isEmpty:
                let code = codes[Int.random(in: 0..<codes.count, using: &rng)]
                if try r.item(code)?.status == .inUse {
                    try await w.approved(w.proposal(.catalogue, "change", target: code, changes: ["elements": ["content": .string("第\(step)次调整")]]))
                }
            case 3 where !codes.isEmpty:
                let code = codes[Int.random(in: 0..<codes.count, using: &rng)]
                let claimed = try r.entries(unit: unit).contains { $0.basicCode == code }
                if !claimed, try r.item(code)?.status == .inUse {
                    let a = try await r.submit(w.proposal(.implementation, "claim", target: code, changes: ["fields": implementationFields()], unit: unit), actor: w.actor)
                    if Bool.random(using: &rng) {
                        _ = try await r.returnAdjustment(id: a.id, reason: "要素不全", actor: w.actor)
                        tick()
                        _ = try await r.resubmit(id: a.id, changes: nil, basis: nil, reason: "已补充", evidence: nil, effectiveAt: nil, actor: w.actor)
                    }
                    _ = try await r.approve(id: a.id, actor: w.actor)
                }
            case 4:
                let entries = try r.entries(unit: unit).filter { $0.status == .inUse }
                if let entry = entries.randomElement(using: &rng), try r.item(entry.basicCode)?.status == .inUse {
                    let a = try await w.approved(w.proposal(.implementation, "change", target: entry.code,
                                                            changes: ["fields": ["hours": .string("工作日8:30-\(17 + step % 3):00")]], unit: unit))
                    if Bool.random(using: &rng) { _ = try await r.recordGuideUpdate(id: a.id, note: "指南已更新", actor: w.actor) }
                }
            case 5:
                if let a = try r.adjustments(unit: nil, status: .approved).randomElement(using: &rng) {
                    _ = try await r.publish(id: a.id, channels: ["政务服务平台"], actor: w.actor)
                }
            case 6:
                let published = try r.adjustments(unit: nil, status: .published).filter { $0.filingRequired }
                if let a = published.randomElement(using: &rng) {
                    let f = try await r.file(unit: a.filer, adjustments: [a.id], form: [:], actor: w.actor)
                    if Bool.random(using: &rng) { tick(); _ = try await r.forwardFiling(id: f.id, to: [], actor: w.actor) }
                }
            case 7 where codes.count > 3:
                let code = codes[Int.random(in: 0..<codes.count, using: &rng)]
                if try r.item(code)?.status == .inUse {
                    try await w.approved(w.proposal(.catalogue, "cancel", target: code, changes: ["legalityReview": .string("审〔2026〕\(step)号")]))
                }
            case 8:
                let n = try await r.issueNotice(unit: unit, subject: "事项\(step)", reason: "逾期未备案", workingDays: 3, actor: w.actor)
                if Bool.random(using: &rng) { tick(); _ = try await r.rectify(id: n.id, note: "已整改", actor: w.actor) }
            default:
                _ = try await r.renameUnit(code: w.otherDepartment, name: "区教育局\(step)", actor: w.actor)
            }
        }
        // Also moments between events, before the first and after the last.
        var rng2 = rng
        let extra = moments.map { Timestamp(microseconds: $0.microseconds - Int64.random(in: 1...3_600_000_000, using: &rng2)) }
        return moments + extra + [Timestamp(rfc3339: "2020-01-01")!, Timestamp(rfc3339: "2099-01-01")!]
    }

    /// Everything read from the indexes at `moment` equals the fold of the log up to it.
    static func expectIndexEqualsFold(_ w: World, at moment: Timestamp) throws {
        let r = w.registry
        let fold = try r.foldedSnapshot(asOf: moment)
        let index = try r.snapshot(asOf: moment)
        let when = moment.rfc3339
        #expect(index.seq == fold.seq, "\(when)")
        #expect(index.units == fold.units, "units at \(when)")
        #expect(index.items == fold.items, "items at \(when)")
        #expect(index.entries == fold.entries, "entries at \(when)")
        #expect(index.adjustments == fold.adjustments, "adjustments at \(when)")
        #expect(index.filings == fold.filings, "filings at \(when)")
        #expect(index.notices == fold.notices, "notices at \(when)")
        // Point lookups, one seek each.
        for item in fold.items { #expect(try r.item(item.code, asOf: moment) == item) }
        for entry in fold.entries { #expect(try r.entry(entry.code, asOf: moment) == entry) }
        for a in fold.adjustments { #expect(try r.adjustment(a.id, asOf: moment) == a) }
        for f in fold.filings { #expect(try r.filing(f.id, asOf: moment) == f) }
        for u in fold.units { #expect(try r.unit(u.code, asOf: moment) == u) }
        // Counts, and the catalogue paged three at a time.
        let replay = try r.replay(asOf: moment, cursor: nil, limit: 3)
        #expect(replay.counts == RegistryCounts(units: fold.units.count, items: fold.items.count, entries: fold.entries.count,
                                                adjustments: fold.adjustments.count, filings: fold.filings.count, notices: fold.notices.count), "\(when)")
        var paged = replay.items
        var cursor = replay.next
        while let c = cursor {
            let page = try r.replay(asOf: moment, cursor: c, limit: 3)
            #expect(page.seq == replay.seq)
            paged += page.items
            cursor = page.next
        }
        #expect(paged == fold.items, "paged catalogue at \(when)")
        // Per-unit reads: ledgers, entries, adjustments by unit and by status.
        for u in [w.department, w.township, w.otherDepartment] {
            let ledger = try r.ledger(unit: u, asOf: moment)
            let folded = fold.ledger(unit: u)
            #expect(ledger?.unit == folded?.unit && ledger?.entries == folded?.entries && ledger?.items == folded?.items
                    && ledger?.adjustments == folded?.adjustments, "ledger of \(u) at \(when)")
            #expect(try r.entries(unit: u, asOf: moment) == fold.entries.filter { $0.unit == u })
            #expect(try r.filings(unit: u, asOf: moment) == fold.filings.filter { $0.unit == u })
        }
        for status in AdjustmentStatus.allCases {
            #expect(try r.adjustments(unit: nil, status: status, asOf: moment) == fold.adjustments.filter { $0.status == status })
        }
        if let code = fold.items.first?.code {
            #expect(try r.entries(basicCode: code, asOf: moment) == fold.entries.filter { $0.basicCode == code })
        }
    }

    @Test(arguments: [UInt64(1), 2])
    func readsAsOfAnyMomentEqualAFoldOfTheLogAndSurviveARebuild(seed: UInt64) async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let moments = try await Self.randomHistory(w, clock: clock, seed: seed, steps: 40)
        #expect(w.store.head.seq > 60)
        var pick = SplitMix64(seed: seed)
        // Each check is synchronous work: yield between them, so tests that need the (two) shared
        // threads in the meantime — a daemon's writers racing a SIGKILL — are not starved.
        for moment in moments.shuffled(using: &pick).prefix(24) { try Self.expectIndexEqualsFold(w, at: moment); await Task.yield() }
        #expect(try w.registry.checkProjections().differences.isEmpty)

        // Damage the projections behind the registry's back: a creation lost, one altered, one
        // invented, a record altered. The check finds each; a rebuild puts them right and removes
        // the invented one.
        let dbs = w.registry.dbs
        let (lost, altered) = try w.store.read { txn in
            try txn.withCursor(dbs.created) { cursor in
                let first = try #require(try cursor.first())
                let second = try #require(try cursor.next())
                return (Array(first.key), Array(second.key))
            }
        }
        let invented = CreationKeys.created("item", seq: 3)
        let item = try #require(try w.registry.items(cursor: nil, limit: 1).records.first?.code)
        try w.store.environment.write { txn in
            _ = try txn.delete(dbs.created, key: lost)
            try txn.put(dbs.created, key: altered, value: CreationKeys.createdValue(ordinal: 7, key: "bogus"))
            try txn.put(dbs.created, key: invented, value: CreationKeys.createdValue(ordinal: 1, key: "000104099000"))
            try txn.put(dbs.items, key: Array(item.utf8), value: Array("{\"bogus\":true}".utf8))
        }
        let damaged = try w.registry.checkProjections().differences
        #expect(damaged.contains("p-created/item@3"))
        #expect(damaged.contains("p-items/\(item)"))
        #expect(damaged.filter { $0.hasPrefix("p-created/") }.count == 3, "\(damaged)")
        #expect(damaged.count == 4, "\(damaged)")
        _ = try await w.registry.rebuild(chunk: 17)
        #expect(try w.registry.checkProjections().differences.isEmpty)
        for moment in moments.shuffled(using: &pick).prefix(8) { try Self.expectIndexEqualsFold(w, at: moment); await Task.yield() }
        // And it goes on: records created after the rebuild are indexed too.
        clock.set("2026-06-01T09:00:00+08:00")
        try await w.addItem("000104098000", "重建后新增")
        try Self.expectIndexEqualsFold(w, at: Timestamp(rfc3339: "2099-01-01")!)
    }

    @Test func everyVersionOfAnItemIsAFoldOfItsStream() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        try await w.addItem("000104002000", "食品经营许可")
        var moments: [(Timestamp, String)] = [(clock.read(), "依申请办理")]
        for day in 3...20 {
            clock.set(String(format: "2026-03-%02dT10:00:00+08:00", day))
            try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": .string("第\(day)日")]]))
            moments.append((clock.read(), "第\(day)日"))
        }
        // Each version is the fold of the item's stream up to a moment: 19 events.
        let stored = try r.store.events(stream: "item/000104002000")
        #expect(stored.map(\.version) == Array(0...18))
        for (moment, content) in moments {
            #expect(try r.item("000104002000", asOf: moment)?.elements["content"] == .string(content))
            #expect(try r.item("000104002000", asOf: Timestamp(microseconds: moment.microseconds + 3_600_000_000))?.elements["content"] == .string(content))
        }
        #expect(try r.item("000104002000", asOf: Timestamp(microseconds: moments[0].0.microseconds - 1)) == nil)
        #expect(try r.replay(asOf: moments[5].0, cursor: nil, limit: 10).counts.items == 1)
    }

    @Test func aLogWrittenBeforeTheCreationIndexIsIndexedByARebuild() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        try await w.addItem("000104002000", "食品经营许可")
        clock.set("2026-03-05T09:00:00+08:00")
        try await w.approved(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "调整后"]]))
        #expect(!w.registry.needsCreationIndex)
        // What an older build left behind: no index and no mark.
        try w.store.environment.write { txn in
            try txn.clear(w.registry.dbs.created)
            _ = try txn.delete(w.registry.dbs.meta, key: ProjectionDatabases.creationIndexKey)
        }
        let reopened = try Registry(store: w.store)
        #expect(reopened.needsCreationIndex)
        let day = Timestamp(rfc3339: "2026-03-03")!
        #expect(try reopened.replay(asOf: day, cursor: nil, limit: 10).counts.items == 0)  // wrong until rebuilt
        #expect(try reopened.item("000104002000", asOf: day)?.elements["content"] == "依申请办理")  // a fold of the stream: right
        _ = try await reopened.rebuild()
        #expect(try reopened.replay(asOf: day, cursor: nil, limit: 10).counts.items == 1)
        #expect(try !Registry(store: w.store).needsCreationIndex)
        #expect(try reopened.checkProjections().differences.isEmpty)
    }

    @Test func theVersionIndexOfAnEarlierBuildIsRemovedAndItsMarkCarriedOver() async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        try await w.addItem("000104002000", "食品经营许可")
        // What the build with the version index left: `p-versions` and its mark, no new mark.
        let old = try w.store.environment.database(named: "p-versions")
        try w.store.environment.write { txn in
            try txn.put(old, key: Array("item/000104002000".utf8) + [0] + BigEndianKey.bytes(1), value: Array("{}".utf8))
            _ = try txn.delete(w.registry.dbs.meta, key: ProjectionDatabases.creationIndexKey)
            try txn.put(w.registry.dbs.meta, key: ProjectionDatabases.versionIndexKey, value: [1])
        }
        let reopened = try Registry(store: w.store)
        #expect(!reopened.needsCreationIndex)
        #expect(throws: LMDBError.self) { try w.store.environment.database(named: "p-versions", flags: []) }
        let marks = try w.store.read { txn in
            (try txn.value(w.registry.dbs.meta, key: ProjectionDatabases.versionIndexKey), try txn.value(w.registry.dbs.meta, key: ProjectionDatabases.creationIndexKey))
        }
        #expect(marks.0 == nil && marks.1 != nil)
        #expect(try reopened.replay(asOf: Timestamp(rfc3339: "2099-01-01")!, cursor: nil, limit: 10).counts.items == 1)
        #expect(try reopened.checkProjections().differences.isEmpty)
    }

    @Test func everyKindOfAdjustmentReadsTheSameFromTheIndexAsFromTheFold() async throws {
        // Splits make business items whose keys extend their parent's (实施编码 + 2 digits): the
        // walk over a kind must keep them apart. Merges, take-overs, delegations, level changes and
        // reinstatements write every item and entry event type.
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        let r = w.registry
        var moments: [Timestamp] = []
        func next(_ day: Int) { clock.set(String(format: "2026-03-%02dT10:00:00+08:00", day)); moments.append(clock.read()) }
        try await w.addItem("000104002000", "食品经营许可")
        try await w.addItem("000104003000", "药品经营许可")
        try await w.addItem("000104004000", "医疗器械经营许可")
        next(3)
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        try await w.approved(w.proposal(.implementation, "claim", target: "000104003000", changes: ["fields": implementationFields()]))
        let entries = try r.entries(unit: w.department)
        next(4)
        try await w.approved(w.proposal(.implementation, "split", target: entries[0].code, changes: ["into": [["fields": ["content": "甲"]], ["fields": ["content": "乙"]]]]))
        next(5)
        try await w.approved(w.proposal(.implementation, "changeLevel", target: entries[1].code, changes: ["level": "5"]))
        try await w.approved(w.proposal(.implementation, "change", target: entries[0].code + "01", changes: ["fields": ["hours": "全天"]]))
        next(6)
        try await w.approved(w.proposal(.catalogue, "merge", target: "000104005000", changes: ["sources": ["000104003000", "000104004000"], "elements": catalogueElements("合并许可")]))
        try await w.approved(w.proposal(.catalogue, "takeOver", target: "000104006000", changes: ["elements": catalogueElements("承接事项")]))
        try await w.approved(w.proposal(.catalogue, "delegate", target: "000104006000", changes: ["exerciseLevel": "5"]))
        next(7)
        try await w.approved(w.proposal(.catalogue, "reinstate", target: "000104004000", changes: [:]))
        next(8)
        let split = try r.entries(unit: w.department, asOf: moments[1]).map(\.code)
        #expect(split == [entries[0].code, entries[0].code + "01", entries[0].code + "02", entries[1].code].sorted())
        for moment in moments + moments.map({ Timestamp(microseconds: $0.microseconds - 1) }) {
            try Self.expectIndexEqualsFold(w, at: moment)
            await Task.yield()
        }
        #expect(try r.checkProjections().differences.isEmpty)
    }
}
