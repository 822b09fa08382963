import Foundation
import Testing
@testable import LMDB
import ShixiangTestSupport

struct Failure: Error {}

@Suite struct EnvironmentTests {
    @Test func writeCommitsAndReadSees() throws {
        let dir = try TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.database(named: "things")
        try env.write { txn in
            try txn.put(db, key: Array("a".utf8), value: Array("alpha".utf8))
            try txn.put(db, key: Array("b".utf8), value: Array("beta".utf8))
        }
        let a = try env.read { txn in try txn.value(db, key: Array("a".utf8)) }
        #expect(a.map { String(decoding: $0, as: UTF8.self) } == "alpha")
        #expect(try env.read { txn in try txn.stat(db).entries } == 2)
        #expect(try env.read { txn in try txn.value(db, key: Array("zz".utf8)) } == nil)
    }

    @Test func throwingWriteLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.database(named: "things")
        #expect(throws: Failure.self) {
            try env.write { txn in
                try txn.put(db, key: Array("a".utf8), value: Array("x".utf8))
                throw Failure()
            }
        }
        #expect(try env.read { txn in try txn.contains(db, key: Array("a".utf8)) } == false)
        // The writer lock was released: another write goes through.
        try env.write { txn in try txn.put(db, key: Array("a".utf8), value: Array("y".utf8)) }
        #expect(try env.read { txn in try txn.contains(db, key: Array("a".utf8)) })
    }

    @Test func nestedTransactionRollsBackAlone() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.writeMap = false
        let env = try Environment(path: dir.path, options: options)
        let db = try env.database(named: "things")
        try env.write { txn in
            try txn.put(db, key: Array("kept".utf8), value: [1])
            _ = try? txn.nested { child in
                try child.put(db, key: Array("dropped".utf8), value: [2])
                throw Failure()
            }
            try txn.nested { child in try child.put(db, key: Array("joined".utf8), value: [3]) }
        }
        try env.read { txn throws in
            #expect(try txn.contains(db, key: Array("kept".utf8)))
            #expect(try !txn.contains(db, key: Array("dropped".utf8)))
            #expect(try txn.contains(db, key: Array("joined".utf8)))
        }
    }

    /// Writing through the map, LMDB has no child transactions: refused before the body runs,
    /// and the transaction goes on.
    @Test func nestedTransactionIsRefusedWhenWritingThroughTheMap() throws {
        let dir = try TemporaryDirectory()
        let env = try Environment(path: dir.path)
        #expect(env.writesThroughMap)
        let db = try env.database(named: "things")
        try env.write { txn in
            #expect(throws: LMDBError.incompatible) {
                try txn.nested { child in try child.put(db, key: Array("never".utf8), value: [1]) }
            }
            try txn.put(db, key: Array("kept".utf8), value: [1])
        }
        try env.read { txn throws in
            #expect(try txn.contains(db, key: Array("kept".utf8)))
            #expect(try !txn.contains(db, key: Array("never".utf8)))
        }
    }

    @Test func appendRejectsOutOfOrderKeys() throws {
        let dir = try TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.database(named: "log")
        try env.write { txn in
            try txn.put(db, key: BigEndianKey.bytes(1), value: [1], flags: .append)
            try txn.put(db, key: BigEndianKey.bytes(2), value: [2], flags: .append)
        }
        #expect(throws: LMDBError.keyExists) {
            try env.write { txn in try txn.put(db, key: BigEndianKey.bytes(2), value: [9], flags: .append) }
        }
        #expect(throws: LMDBError.keyExists) {
            try env.write { txn in try txn.put(db, key: BigEndianKey.bytes(1), value: [9], flags: .noOverwrite) }
        }
    }

    @Test func cursorSeeks() throws {
        let dir = try TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.database(named: "log")
        try env.write { txn in
            for seq: UInt64 in [10, 20, 30] {
                try txn.put(db, key: BigEndianKey.bytes(seq), value: BigEndianKey.bytes(seq * 2))
            }
        }
        try env.read { txn throws in
            try txn.withCursor(db) { cursor throws in
                #expect(try cursor.seek(atLeast: BigEndianKey.bytes(15)).flatMap { BigEndianKey.read($0.key) } == 20)
                #expect(try cursor.seek(atMost: BigEndianKey.bytes(25)).flatMap { BigEndianKey.read($0.key) } == 20)
                #expect(try cursor.seek(atMost: BigEndianKey.bytes(30)).flatMap { BigEndianKey.read($0.key) } == 30)
                #expect(try cursor.seek(atMost: BigEndianKey.bytes(99)).flatMap { BigEndianKey.read($0.key) } == 30)
                #expect(try cursor.seek(atMost: BigEndianKey.bytes(5)) == nil)
                #expect(try cursor.seek(atLeast: BigEndianKey.bytes(31)) == nil)
                #expect(try cursor.first().flatMap { BigEndianKey.read($0.value) } == 20)
                #expect(try cursor.next().flatMap { BigEndianKey.read($0.key) } == 20)
                #expect(try cursor.last().flatMap { BigEndianKey.read($0.key) } == 30)
                #expect(try cursor.next() == nil)
            }
        }
    }

    @Test func mapGrowsWhenFull() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        let env = try Environment(path: dir.path, options: options)
        let db = try env.database(named: "log")
        try Self.fill(env, db, count: 2000, perTransaction: 100)
        #expect(env.info().mapSize > 1 << 20)
        #expect(try env.read { txn in try txn.stat(db).entries } == 2000)
    }

    /// Puts `count` values of 4,000 bytes under keys 0, 1, …, `perTransaction` to a commit.
    static func fill(_ env: Environment, _ db: Database, count: Int, perTransaction: Int) throws {
        let value = [UInt8](repeating: 7, count: 4000)
        for first in stride(from: 0, to: count, by: perTransaction) {
            try env.write { txn in
                for i in first..<min(count, first + perTransaction) { try txn.put(db, key: BigEndianKey.bytes(UInt64(i)), value: value) }
            }
        }
    }

    /// The data file's size and the blocks the disk gave it (`st_blocks`, 512-byte units).
    func allocation(_ file: String) -> (size: Int, allocated: Int) {
        var st = stat()
        guard stat(file, &st) == 0 else { return (-1, -1) }
        return (Int(st.st_size), Int(st.st_blocks) * 512)
    }

    /// Writing through the map, the data file is as large as the map and wholly allocated on disk,
    /// when opened and after every growth, so no write through the map can meet a full disk.
    @Test func theDataFileIsAllocatedUpToTheMapWhenWritingThroughIt() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        let file = dir.path + "/data.mdb"
        var grown = 0
        do {
            let env = try Environment(path: dir.path, options: options)
            #expect(env.writesThroughMap)
            #expect(allocation(file).size == env.info().mapSize && allocation(file).allocated >= env.info().mapSize, "\(allocation(file))")
            try Self.fill(env, try env.database(named: "log"), count: 3000, perTransaction: 100)
            grown = env.info().mapSize
            #expect(grown > 1 << 20)
            #expect(allocation(file).size == grown && allocation(file).allocated >= grown, "\(allocation(file)) for a map of \(grown)")
        }
        // Opened again with a smaller initial size, the map keeps the file's size.
        let env = try Environment(path: dir.path, options: options)
        #expect(env.info().mapSize == grown)
        let log = try env.database(named: "log", flags: [])
        #expect(try env.read { txn in try txn.stat(log).entries } == 3000)

        // Not writing through the map, the file is only as large as the pages written.
        let plainDir = try TemporaryDirectory("plain")
        options.writeMap = false
        options.initialMapSize = 4 << 20
        let plain = try Environment(path: plainDir.path, options: options)
        #expect(!plain.writesThroughMap)
        let db = try plain.database(named: "log")
        try plain.write { txn in try txn.put(db, key: [1], value: [1]) }
        #expect(allocation(plainDir.path + "/data.mdb").size < plain.info().mapSize)
    }

    /// A file with holes (left by a writer that did not write through the map) has them filled
    /// when opened to write through the map.
    @Test func holesInAnExistingDataFileAreFilledWhenOpened() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        options.writeMap = false
        do {
            let env = try Environment(path: dir.path, options: options)
            let db = try env.database(named: "log")
            try env.write { txn in try txn.put(db, key: [1], value: [1]) }
        }
        let file = dir.path + "/data.mdb"
        #expect(truncate(file, 3 << 20) == 0)  // 3 MiB, mostly a hole
        #expect(allocation(file).allocated < 1 << 20)
        options.writeMap = true
        let env = try Environment(path: dir.path, options: options)
        #expect(env.info().mapSize == 3 << 20)
        #expect(allocation(file).allocated >= 3 << 20, "\(allocation(file))")
        let log = try env.database(named: "log", flags: [])
        #expect(try env.read { txn in try txn.value(log, key: [1]) } == [1])
    }

    /// A write known to need much room (a rebuild) has the map grown for it first, and runs once.
    @Test func reservedRoomLetsABigWriteRunOnce() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        let env = try Environment(path: dir.path, options: options)
        let db = try env.database(named: "log")
        try env.reserve(room: 12 << 20)
        let info = env.info()
        #expect(info.mapSize - info.usedBytes >= 12 << 20)
        #expect(allocation(dir.path + "/data.mdb").allocated >= info.mapSize)
        let before = info.mapSize
        try env.reserve(room: 1 << 20)  // room enough already: nothing changes
        #expect(env.info().mapSize == before)
        var runs = 0
        let value = [UInt8](repeating: 7, count: 4000)
        try env.write { txn in
            runs += 1
            for i in 0..<2500 { try txn.put(db, key: BigEndianKey.bytes(UInt64(i)), value: value) }
        }
        #expect(runs == 1)
        #expect(env.info().mapSize == before)
    }

    /// The free list counted as `mdb_stat -ff` counts it, and a reserve that the free pages
    /// already cover grows nothing.
    @Test func freePagesAreCountedAndCountAsRoom() async throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        let env = try Environment(path: dir.path, options: options)
        let db = try env.database(named: "log")
        try Self.fill(env, db, count: 1500, perTransaction: 1500)
        #expect(try env.freePages() < 20)
        try env.write { txn in try txn.clear(db) }
        try env.write { txn in try txn.put(db, key: [1], value: [1]) }  // the clear's pages are free from here
        let free = try env.freePages()
        #expect(free >= 1500, "\(free)")
        if let stat = try await CommandRun.runTool("mdb_stat", ["-ff", dir.path]) {
            #expect(stat.stdout.contains("Free pages: \(free)\n"), "\(stat.stdout.suffix(200))")
        }
        let info = env.info()
        try env.reserve(room: (free - 100) * info.pageSize)
        #expect(env.info().mapSize == info.mapSize, "the free pages were room enough")
        try env.reserve(room: (free + 1000) * info.pageSize + (info.mapSize - info.usedBytes))
        #expect(env.info().mapSize > info.mapSize)
    }

    @Test func mapFullAtMaximumIsAnError() throws {
        let dir = try TemporaryDirectory()
        var options = EnvironmentOptions()
        options.initialMapSize = 1 << 20
        options.maxMapSize = 2 << 20
        let env = try Environment(path: dir.path, options: options)
        let db = try env.database(named: "log")
        let value = [UInt8](repeating: 7, count: 4000)
        #expect(throws: LMDBError.mapFull) {
            try env.write { txn in
                for i in 0..<2000 { try txn.put(db, key: BigEndianKey.bytes(UInt64(i)), value: value) }
            }
        }
        // Nothing half-written, and smaller writes still work.
        #expect(try env.read { txn in try txn.stat(db).entries } == 0)
        try env.write { txn in try txn.put(db, key: BigEndianKey.bytes(1), value: value) }
        #expect(try env.read { txn in try txn.stat(db).entries } == 1)
    }

    @Test func compactCopyOpensWithSameData() throws {
        let dir = try TemporaryDirectory()
        let copyDir = try TemporaryDirectory("copy")
        do {
            let env = try Environment(path: dir.path)
            let db = try env.database(named: "log")
            try env.write { txn in
                for i in 0..<500 { try txn.put(db, key: BigEndianKey.bytes(UInt64(i)), value: BigEndianKey.bytes(UInt64(i))) }
            }
            try env.copy(to: copyDir.path)
        }
        let copy = try Environment(path: copyDir.path)
        let db = try copy.database(named: "log", flags: [])
        #expect(try copy.read { txn in try txn.stat(db).entries } == 500)
    }

    @Test func errorsCarryCodeNameAndMessage() {
        let error = LMDBError.mapFull
        #expect(error.name == "mapFull")
        #expect(error.message.contains("MDB_MAP_FULL"))
        #expect(LMDBError(code: 28).name == "noSpace")
        #expect(LMDBError.mapFull ~= error)
        #expect(!(LMDBError.notFound ~= error))
    }
}
