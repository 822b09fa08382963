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

@Suite struct PartitionedFoldTests {
    /// The refill of a fold in parts, whatever their number, is the refill of the fold in log
    /// order: the same records, indexes and creations (counted across the parts) byte for byte.
    @Test func aFoldInPartsWritesWhatAFoldInLogOrderWrites() async throws {
        let w = try await RebuildTests().busyWorld()
        let head = w.store.head.seq
        let whole = try Refill(w.registry.fold(upTo: head, recordCreations: true), meta: [])
        func entries(_ refill: Refill) throws -> [String: [UInt8]] {
            var all: [String: [UInt8]] = [:]
            for group in try refill.packed() {
                for run in group.runs { run.forEach { key, value in all["\(group.db.name ?? "?")/\(Array(key))"] = Array(value) } }
            }
            return all
        }
        let expected = try entries(whole)
        #expect(try expected.keys.contains { $0.hasPrefix("p-created/") } && expected.count == whole.count())
        for parts in [1, 2, 3, 5] {
            let sessions = try #require(try w.registry.foldPartitioned(upTo: head, parts: parts, batch: 3) { _ in })
            #expect(sessions.count == parts)
            if parts > 1 { #expect(sessions.filter { !$0.adjustments.loaded.isEmpty }.count > 1, "the records are spread over the parts") }
            // Started in the background, as a rebuild starts it, and read as the commit reads it.
            let refill = Refill.start(sessions, appliedSeq: head, meta: [])
            #expect(try entries(refill) == expected, "\(parts) parts")
            refill.waitForAllJobs()
            #expect(refill.finishedAt != nil && refill.failure() == nil)
        }
    }

    /// An event appended raw whose payload names another record than its stream's cannot be
    /// folded in parts: the rebuild folds such a log in log order, as a check does.
    @Test func anEventThatChangesAnotherStreamsRecordIsFoldedInLogOrder() async throws {
        let w = try await World()
        // Two items whose records fall in different parts of a fold in two.
        var codes: [String] = []
        var n = 1
        while codes.count < 2 {
            let code = String(format: "000104%03d000", n)
            if codes.isEmpty || Registry.part(ofKey: code, 2) != Registry.part(ofKey: codes[0], 2) { codes.append(code) }
            n += 1
        }
        try await w.addItem(codes[0], "甲")
        try await w.addItem(codes[1], "乙")
        let version = try #require(try w.store.read { try w.store.queries.streamVersion($0, stream: StreamName.item(codes[0])) })
        _ = try await w.store.append(stream: StreamName.item(codes[0]), expected: .exactly(version), events: [
            NewEvent(type: EventType.itemChanged, data: ["code": .string(codes[1]), "changes": ["name": "乙改"], "adjustment": "raw"]),
        ])
        #expect(try w.registry.foldPartitioned(upTo: w.store.head.seq, parts: 2, batch: 4) { _ in } == nil)
        let report = try await w.registry.rebuild(parts: 2)
        #expect(report.events == w.store.head.seq)
        #expect(try w.registry.checkProjections().differences.isEmpty)
        #expect(try w.registry.item(codes[1])?.elements["name"] == "乙改")
        #expect(try w.registry.item(codes[0])?.elements["name"] == "甲")
    }

    /// The parts of a fold share the work: time-ordered ids (which differ in their last bytes)
    /// and short codes spread evenly, and a stream's part is its key's.
    @Test func recordsSpreadEvenlyOverTheParts() {
        // Version-7 ids as the log makes them: milliseconds first (four ids in each), then random bits.
        var random: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            random ^= random << 13; random ^= random >> 7; random ^= random << 17
            return random
        }
        let ids = (0..<12_000).map { i -> String in
            let ms = 1_700_000_000_000 + UInt64(i / 4), r = next()
            return String(format: "%08llx-%04llx-7%03llx-%04llx-%012llx", ms >> 16, ms & 0xFFFF, r & 0xFFF, 0x8000 | ((r >> 12) & 0x3FFF), (r >> 26) & 0xFFFF_FFFF_FFFF)
        }
        let codes = (0..<12_000).map { String(format: "000104%03d%03d", $0 / 1000, $0 % 1000) }
        let numbered = (0..<12_000).map { "adj-\(1_000 + $0)" }  // short keys that differ in their last digits
        for keys in [ids, codes, numbered] {
            for parts in [2, 3, 4] {
                var counts = Array(repeating: 0, count: parts)
                for key in keys { counts[Registry.part(ofKey: key, parts)] += 1 }
                let even = keys.count / parts
                #expect(counts.allSatisfy { abs($0 - even) < even / 10 }, "\(parts) parts: \(counts)")
            }
            for key in keys.prefix(100) {
                var stream = "adjustment/" + key
                let part = stream.withUTF8 { Registry.part(ofStream: $0, 4) }
                #expect(part == Registry.part(ofKey: key, 4))
            }
        }
    }
}

@Suite struct KeyIndexTests {
    /// Every key added is found at its place, through every growth of the table; keys never added
    /// are not, however like the others they are (one byte off, a prefix, longer by a byte).
    @Test func keysAreFoundAtTheirPlacesAndOthersAreNot() {
        var keys: [String] = ["", "a", "事项", "adj-1", "adj-10", "adj-100"]
        keys += (0..<5_000).map { "adj-\(2_000_000 + $0)" }
        keys += (0..<2_000).map { String(format: "115100003610000%03dU4510100%06d", $0 % 64, $0) }  // 30-byte codes
        keys += (0..<500).map { "广安区事项\($0)" }
        var index = KeyIndex()
        for (place, key) in keys.enumerated() {
            index.insert(key, at: place)
            // The keys added so far stay found as the table grows.
            if place.isMultiple(of: 997) { #expect(keys[...place].indices.allSatisfy { index.find(keys[$0]) == $0 }, "after \(place)") }
        }
        #expect(index.count == keys.count)
        #expect(keys.indices.allSatisfy { index.find(keys[$0]) == $0 })
        for absent in ["b", "adj-", "adj-1000", "adj-1999999", "adj-2005000", "adj-20000000", "事", "事项 ",
                       "115100003610000000U4510100000000x", "115100003610000000U451010000000", "广安区事项500"] {
            #expect(index.find(absent) == nil, "\(absent)")
        }
        #expect(KeyIndex().find("a") == nil)
        // Two spellings of one text, equal as Swift strings, are two keys, as in LMDB.
        var spellings = KeyIndex()
        spellings.insert("caf\u{E9}", at: 0)
        #expect(spellings.find("cafe\u{301}") == nil && spellings.find("caf\u{E9}") == 0)
        spellings.insert("cafe\u{301}", at: 1)
        #expect(spellings.find("cafe\u{301}") == 1 && spellings.find("caf\u{E9}") == 0)
    }
}

@Suite struct RefillTests {
    @Test func packedEntriesSortInLMDBKeyOrderWithTheLastOfAKeyKept() async throws {
        let w = try await World()
        let (a, b) = (w.registry.dbs.items, w.registry.dbs.adjustmentsByUnit)
        let k: (String) -> [UInt8] = { Array($0.utf8) }
        var items = PackedEntries()
        for (key, value) in [(k("b"), [1]), (k("ab"), [2]), (k("a"), [3]), ([0xE9, 0x95, 0xBF], [4]), (k("b"), [5])] as [([UInt8], [UInt8])] {
            items.append(key: key, value: value)
        }
        var index = PackedEntries()
        for key in ["u2\0x", "u1\0z", "u1\0y"] {
            index.append(key: { $0 += k(key) }, value: { _ in })
        }
        #expect(!items.isStrictlyIncreasing && !index.isStrictlyIncreasing)
        let (sortedItems, sortedIndex) = (items.sortedByKey(), index.sortedByKey())
        // Bytes, then length ("a" < "ab" < "b"); 0xE9 sorts after every ASCII byte; of the two "b", the last.
        #expect((0..<sortedItems.count).map { sortedItems[$0].key } == [k("a"), k("ab"), k("b"), [0xE9, 0x95, 0xBF]])
        #expect((0..<sortedItems.count).map { sortedItems[$0].value } == [[3], [2], [5], [4]])
        #expect((0..<sortedIndex.count).map { sortedIndex[$0].key } == [k("u1\0y"), k("u1\0z"), k("u2\0x")])
        #expect(sortedIndex[0].value.isEmpty && sortedItems.isStrictlyIncreasing && sortedIndex.isStrictlyIncreasing)
        // A write that fails leaves no half-entry behind.
        #expect(throws: CancelWrite.self) {
            try index.append(key: { $0 += k("half") }, value: { _ in throw CancelWrite() })
        }
        #expect(index.count == 3 && index.bytes.count == 12)
        // What LMDB itself says: the runs append, in this order, to emptied databases, through the log's stage.
        try await w.store.write { _, log in
            log.stageClear(a)
            log.stageClear(b)
            log.stageAppend(a, run: sortedItems)
            log.stageAppend(b, run: sortedIndex)
        }
        func stored(_ db: Database) throws -> [([UInt8], [UInt8])] {
            try w.store.read { txn in
                try txn.withCursor(db) { cursor in
                    var all: [([UInt8], [UInt8])] = []
                    var entry = try cursor.first()
                    while let e = entry { all.append((Array(e.key), Array(e.value))); entry = try cursor.next() }
                    return all
                }
            }
        }
        #expect(try stored(a).map(\.0) == [k("a"), k("ab"), k("b"), [0xE9, 0x95, 0xBF]] && stored(a).map(\.1) == [[3], [2], [5], [4]])
        #expect(try stored(b).map(\.0) == [k("u1\0y"), k("u1\0z"), k("u2\0x")])
        // A run out of order fails its commit, which leaves everything as it was.
        let unsorted = items
        await #expect(throws: (any Error).self) {
            try await w.store.write { _, log in
                log.stageClear(a)
                log.stageAppend(a, run: unsorted)
            }
        }
        #expect(try stored(a).count == 4)
        // A run still being packed when the closure returns is written once it is ready; one that
        // could not be packed fails the commit, leaving everything as it was.
        let later = PendingRun()
        let writing = Task { try await w.store.write { _, log in log.stageClear(b); log.stageAppend(b, pending: later) } }
        try await Task.sleep(for: .milliseconds(50))
        Thread { later.fulfil(.success(sortedIndex)) }.start()
        try await writing.value
        #expect(try stored(b).map(\.0) == [k("u1\0y"), k("u1\0z"), k("u2\0x")])
        let broken = PendingRun()
        broken.fulfil(.failure(CancelWrite()))
        await #expect(throws: (any Error).self) {
            try await w.store.write { _, log in
                log.stageClear(a)
                log.stageAppend(a, pending: broken)
            }
        }
        #expect(try stored(a).count == 4)
    }

    @Test func aRefillWritesWhatTheFoldStagesRunAfterRunInKeyOrder() async throws {
        let w = try await RebuildTests().busyWorld()
        let session = try w.registry.fold(upTo: w.store.head.seq, recordCreations: true)
        #expect(session.creations?.isEmpty == false)
        let meta: [(key: [UInt8], value: [UInt8])] = [(Array("zz".utf8), [7]), (Array("aa".utf8), [8])]
        var expected: [String: [UInt8]] = [:]
        for write in try session.stagedWrites() { expected["\(write.db.name ?? "?")/\(write.key)"] = try #require(write.value) }
        for entry in meta { expected["p-meta/\(entry.key)"] = entry.value }
        for chunk in [1, 2, 8_192] {
            let refill = try Refill(session, meta: meta, chunk: chunk)
            var got: [String: [UInt8]] = [:]
            for group in try refill.packed() {
                var keys: [[UInt8]] = []
                for run in group.runs { run.forEach { key, value in keys.append(Array(key)); got["\(group.db.name ?? "?")/\(Array(key))"] = Array(value) } }
                // Each database's keys strictly increase across its runs: every write appends.
                #expect(zip(keys, keys.dropFirst()).allSatisfy { pair in pair.0.withUnsafeBytes { a in pair.1.withUnsafeBytes { b in PackedEntries.compare(a, b) < 0 } } },
                        "\(group.db.name ?? "?") with chunk \(chunk)")
            }
            #expect(Set(refill.groups.map(\.db)).count == refill.groups.count)
            #expect(try refill.count() == expected.count)
            #expect(got == expected, "chunk \(chunk)")
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
