import Testing
import EventLog
import LMDB
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

@Suite struct RebuildTests {
    /// A registry with a bit of everything: items, entries, a split, a merge, a filing.
    func busyWorld() async throws -> World {
        let w = try await World()
        try await w.addItem("000104002000", "食品经营许可")
        try await w.addItem("000104003000", "药品经营许可")
        try await w.addItem("000104004000", "医疗器械经营许可")
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()]))
        try await w.approved(w.proposal(.implementation, "claim", target: "000104002000", changes: ["fields": implementationFields()], unit: w.township))
        let entry = try #require(try w.registry.entries(unit: w.department).first)
        try await w.approved(w.proposal(.implementation, "split", target: entry.code, changes: ["into": [["fields": ["content": "甲"]], ["fields": ["content": "乙"]]]]))
        try await w.approved(w.proposal(.catalogue, "merge", target: "000104005000", changes: ["sources": ["000104003000", "000104004000"], "elements": catalogueElements("合并许可")]))
        let a = try await w.registry.submit(w.proposal(.catalogue, "change", target: "000104002000", changes: ["elements": ["content": "新"]]), actor: w.actor)
        _ = try await w.registry.returnAdjustment(id: a.id, reason: "再议", actor: w.actor)
        _ = try await w.registry.zeroReport(unit: w.otherDepartment, category: "publicService", note: "", actor: w.actor)
        return w
    }

    @Test func liveProjectionsEqualAFoldOfTheLog() async throws {
        let w = try await busyWorld()
        let report = try w.registry.checkProjections()
        #expect(report.differences.isEmpty, "\(report.differences)")
        #expect(report.records > 20)
    }

    @Test func aDamagedProjectionIsFoundAndRebuildRestoresIt() async throws {
        let w = try await busyWorld()
        let before = try #require(try w.registry.item("000104002000"))
        let ledgerBefore = try #require(try w.registry.ledger(unit: w.department))
        // Damage the projection behind the registry's back (the log is untouched).
        try w.store.environment.write { txn in
            try txn.put(w.registry.dbs.items, key: Array("000104002000".utf8), value: Array("{\"bogus\":true}".utf8))
            _ = try txn.delete(w.registry.dbs.entriesByUnit, key: ProjectionDatabases.indexKey(w.township, w.township + "5000104002000"))
        }
        let damaged = try w.registry.checkProjections()
        #expect(damaged.differences.contains("p-items/000104002000"))
        #expect(damaged.differences.contains { $0.hasPrefix("p-entries-by-unit/\(w.township)") })
        let progress = ProgressLog()
        let rebuilt = try await w.registry.rebuild(chunk: 7) { done, total in progress.add(done, total) }
        #expect(rebuilt.events == w.store.head.seq)
        #expect(progress.values.count >= 3 && progress.values.last?.0 == progress.values.last?.1)
        #expect(try w.registry.checkProjections().differences.isEmpty)
        #expect(try w.registry.item("000104002000") == before)
        let ledgerAfter = try #require(try w.registry.ledger(unit: w.department))
        #expect(ledgerAfter.entries == ledgerBefore.entries && ledgerAfter.adjustments == ledgerBefore.adjustments)
        // The registry goes on working after a rebuild.
        try await w.addItem("000104009000", "新事项")
        #expect(try w.registry.checkProjections().differences.isEmpty)
    }
}

@Suite struct RefillWritesTests {
    @Test func groupsAreInLMDBKeyOrderWithTheLastWriteOfAKeyKept() async throws {
        let w = try await World()
        let (a, b) = (w.registry.dbs.items, w.registry.dbs.adjustmentsByUnit)
        let k: (String) -> [UInt8] = { Array($0.utf8) }
        let writes: [(db: Database, key: [UInt8], value: [UInt8]?)] = [
            (b, k("u2\0x"), []), (a, k("b"), [1]), (b, k("u1\0z"), []), (a, k("ab"), [2]), (a, k("a"), [3]),
            (a, [0xE9, 0x95, 0xBF], [4]), (a, k("b"), [5]), (b, k("u1\0y"), []), (a, k("gone"), [6]), (a, k("gone"), nil),
        ]
        let refill = RefillWrites(writes)
        #expect(refill.groups.map(\.db) == [b, a])
        // Bytes, then length ("a" < "ab" < "b"); 0xE9 sorts after every ASCII byte; "gone" was deleted last.
        #expect(refill.groups[1].entries.map(\.key) == [k("a"), k("ab"), k("b"), [0xE9, 0x95, 0xBF]])
        #expect(refill.groups[1].entries.first { $0.key == k("b") }?.value == [5])
        #expect(refill.groups[0].entries.map(\.key) == [k("u1\0y"), k("u1\0z"), k("u2\0x")])
        #expect(refill.count == 7)
        // What LMDB itself says: the entries append, in this order, to emptied databases.
        // (In a write that is then abandoned, leaving the registry as it was.)
        #expect(throws: CancelWrite.self) {
            try w.store.environment.write { txn in
                for group in refill.groups {
                    try txn.clear(group.db)
                    for entry in group.entries { try txn.put(group.db, key: entry.key, value: entry.value, flags: .append) }
                }
                #expect(try txn.stat(a).entries == 4 && txn.stat(b).entries == 3)
                throw CancelWrite()
            }
        }
    }

    private struct CancelWrite: Error {}
}

/// Records progress callbacks from any thread.
final class ProgressLog: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var list: [(UInt64, UInt64)] = []
    func add(_ done: UInt64, _ total: UInt64) { lock.lock(); list.append((done, total)); lock.unlock() }
    var values: [(UInt64, UInt64)] { lock.lock(); defer { lock.unlock() }; return list }
}

import Foundation
