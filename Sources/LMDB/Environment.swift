import CLMDB
import Foundation

/// An LMDB environment: one data directory, opened once per process.
///
/// Transactions are closures. ``read(_:)`` runs a read-only snapshot; ``write(_:)`` commits when its
/// closure returns and aborts when it throws. A transaction value cannot escape its closure, so it can
/// never be held across an `await` or committed on another thread (which would leave LMDB's writer
/// lock held and hang the next writer).
///
/// The environment is opened with `MDB_NOTLS`, so read transactions may run on any thread, and with
/// LMDB's default durability: a successful ``write(_:)`` has been flushed to disk before it returns
/// (the data pages synced, then the meta page: `msync(MS_SYNC)` when writing through the map,
/// `fdatasync` otherwise).
///
/// When a write fills the map, the transaction is aborted, the map grows (by a quarter, at least
/// 64 MiB, up to ``EnvironmentOptions/maxMapSize``) and the closure runs again: write closures must
/// have no effect outside their transaction.
///
/// Opened for writing with ``EnvironmentOptions/writeMap`` (the default), commits write through the
/// map and the data file is allocated on disk up to the map size: see ``EnvironmentOptions/writeMap``.
public final class Environment: @unchecked Sendable {
    // @unchecked Sendable: `MDB_env` is documented thread-safe; the only mutable Swift state is the
    // map size, which changes only while `resizeLock` is held exclusively (no transaction open in
    // this process, as `mdb_env_set_mapsize` requires).

    let handle: OpaquePointer
    /// The directory holding `data.mdb` and `lock.mdb`.
    public let path: String
    public let options: EnvironmentOptions
    private let resizeLock = ReadWriteLock()
    private var openDatabases: [String: Database] = [:]
    private let databasesLock = NSLock()

    /// Opens (creating if needed) the environment in directory `path`, which must exist.
    public init(path: String, options: EnvironmentOptions = EnvironmentOptions()) throws(LMDBError) {
        var env: OpaquePointer?
        try check(mdb_env_create(&env))
        guard let env else { throw LMDBError(code: 12) }
        let writeMap = options.writeMap && !options.readOnly
        do {
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)))
            try check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)))
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.singleFile { flags |= UInt32(MDB_NOSUBDIR) }
            if options.noLock { flags |= UInt32(MDB_NOLOCK) }
            // Writing through the map, LMDB sizes the file to the map when it maps it: a file
            // that existed keeps its size at least.
            let dataFile = options.singleFile ? path : path + "/data.mdb"
            let existing = writeMap ? Self.fileSize(dataFile) : 0
            if writeMap { flags |= UInt32(MDB_WRITEMAP) }
            try check(mdb_env_set_mapsize(env, max(options.initialMapSize, existing)))
            try check(mdb_env_open(env, path, flags, mdb_mode_t(options.fileMode)))
            if writeMap {
                // All of the file allocated on disk (an existing file's holes too) before anything
                // is written through the map; short of room, the map shrinks to what could be.
                var info = MDB_envinfo()
                mdb_env_info(env, &info)
                var fd: Int32 = -1
                try check(mdb_env_get_fd(env, &fd))
                let written = max(existing, (info.me_last_pgno + 1) * Self.pageSize)
                let allocated = try Self.allocate(fd, from: 0, existing: written, wanted: info.me_mapsize)
                if allocated < info.me_mapsize { try check(mdb_env_set_mapsize(env, allocated)) }
            }
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.options = options
        if !writeMap {
            // An existing environment may already be larger than the initial size we asked for.
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            if info.me_mapsize < options.initialMapSize {
                _ = mdb_env_set_mapsize(env, options.initialMapSize)
            }
        }
    }

    /// Whether commits write through the map (``EnvironmentOptions/writeMap``, opened for writing).
    public var writesThroughMap: Bool {
        var flags: UInt32 = 0
        mdb_env_get_flags(handle, &flags)
        return flags & UInt32(MDB_WRITEMAP) != 0
    }

    /// The size of `file` in whole pages; 0 if it does not exist.
    static func fileSize(_ file: String) -> Int {
        var st = stat()
        guard stat(file, &st) == 0 else { return 0 }
        return Int(st.st_size) / pageSize * pageSize
    }

    /// The size of a page of the map (the system's page size: LMDB's page size too).
    static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// Allocates `fd` from `start` up to `wanted` bytes or, short of room, up to as much more than
    /// `existing` as there is room for (halving the extra down to a megabyte), or failing that up
    /// to `existing` itself. Returns the size allocated; throws the error of the last attempt.
    private static func allocate(_ fd: Int32, from start: Int, existing: Int, wanted: Int) throws(LMDBError) -> Int {
        var target = max((wanted + pageSize - 1) / pageSize * pageSize, pageSize)
        var rc: Int32 = 0
        while true {
            rc = posix_fallocate(fd, off_t(start), off_t(target - start))
            if rc == 0 { return target }
            let extra = (target - existing) / 2 / pageSize * pageSize
            guard extra >= 1 << 20 else { break }
            target = existing + extra
        }
        if existing > start, posix_fallocate(fd, off_t(start), off_t(existing - start)) == 0 { return existing }
        throw LMDBError(code: rc)
    }

    deinit { mdb_env_close(handle) }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot of the database and returns its result.
    ///
    /// The snapshot is fixed when the closure starts; writes committed meanwhile are not seen.
    /// Keep read transactions short: a long one stops LMDB from reusing freed pages.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        let txn = try ReadTransaction(env: handle)
        return try body(txn)
    }

    /// Runs `body` in the write transaction and commits it durably when `body` returns.
    ///
    /// If `body` throws, the transaction is aborted and the error rethrown: nothing it wrote remains.
    /// If the map fills, the transaction is aborted, the map grows and `body` runs again.
    /// Only one write transaction runs at a time in the whole environment; callers wait for it.
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        while true {
            do {
                return try writeOnce(body)
            } catch LMDBError.mapFull {
                try growMap()
            }
        }
    }

    private func writeOnce<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        let txn = try WriteTransaction(env: handle, parent: nil)
        let result: R
        do {
            result = try body(txn)
        } catch {
            txn.abort()
            throw error
        }
        try txn.commit()
        return result
    }

    /// Grows the map by a quarter (at least 64 MiB), or to `room` bytes beyond the pages in use if
    /// that is more, up to the maximum. Throws ``LMDBError/mapFull`` when already at the maximum.
    /// Writing through the map, the data file is allocated first: on a disk without room for all
    /// of it, the map grows by as much as there is room for (a megabyte at least), and otherwise
    /// stays as it is and the disk's error (``LMDBError/noSpace``, ``LMDBError/fileTooLarge``,
    /// ``LMDBError/quotaExceeded``) is thrown.
    private func growMap(room: Int = 0) throws(LMDBError) {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        let now = info()
        guard now.mapSize < options.maxMapSize else { throw .mapFull }
        let grown = min(options.maxMapSize, max(now.mapSize + max(now.mapSize / 4, 64 << 20), now.usedBytes + room))
        if writesThroughMap {
            var fd: Int32 = -1
            try check(mdb_env_get_fd(handle, &fd))
            let allocated = try Self.allocate(fd, from: now.mapSize, existing: now.mapSize, wanted: grown)
            try check(mdb_env_set_mapsize(handle, allocated))
        } else {
            try check(mdb_env_set_mapsize(handle, grown))
        }
    }

    /// Makes sure the map has room for at least `bytes` more, counting the map beyond the pages in
    /// use and the free pages LMDB may reuse, growing it if not: a write about to need that much
    /// (a rebuild rewriting every projection) then fills no map halfway and runs once.
    public func reserve(room bytes: Int) throws(LMDBError) {
        let now = info()
        let free = (try? freePages()) ?? 0
        guard now.mapSize - now.usedBytes + free * now.pageSize < bytes else { return }
        try growMap(room: bytes)
    }

    /// Pages on LMDB's free list (freed by past transactions, to be reused by later ones; those
    /// freed while an older snapshot is still read become reusable when it ends).
    public func freePages() throws -> Int {
        try read { txn in
            var cursor: OpaquePointer?
            try check(mdb_cursor_open(txn.txn, 0, &cursor))  // FREE_DBI
            defer { mdb_cursor_close(cursor) }
            var key = MDB_val(), value = MDB_val()
            var total = 0
            var rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
            while rc == 0 {
                // Each record lists the pages one transaction freed: a count, then the page numbers.
                if value.mv_size >= MemoryLayout<Int>.size, let data = value.mv_data {
                    total += data.loadUnaligned(as: Int.self)
                }
                rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            guard rc == MDB_NOTFOUND else { throw LMDBError(code: rc) }
            return total
        }
    }

    // MARK: Databases

    /// Opens a named database, creating it when `flags` contains ``DatabaseFlags/create``.
    ///
    /// Handles are cached: opening the same name again returns the same handle.
    public func database(named name: String, flags: DatabaseFlags = [.create]) throws -> Database {
        databasesLock.lock()
        defer { databasesLock.unlock() }
        if let db = openDatabases[name] { return db }
        let db: Database
        if flags.contains(.create) && !options.readOnly {
            db = try write { txn in try txn.openDatabase(name, flags: flags) }
        } else {
            db = try read { txn in try txn.openDatabase(name, flags: flags.subtracting(.create)) }
        }
        openDatabases[name] = db
        return db
    }

    /// Deletes the named database and everything in it, if it exists; returns whether it did.
    /// For derived data a newer build no longer keeps. Any handle to it becomes invalid.
    @discardableResult
    public func removeDatabase(named name: String) throws -> Bool {
        databasesLock.lock()
        defer { databasesLock.unlock() }
        let removed: Bool = try write { txn in
            var dbi: MDB_dbi = 0
            let rc = mdb_dbi_open(txn.txn, name, 0, &dbi)
            if rc == MDB_NOTFOUND { return false }
            try check(rc)
            try check(mdb_drop(txn.txn, dbi, 1))
            return true
        }
        openDatabases[name] = nil
        return removed
    }

    // MARK: Facts and maintenance

    /// Map size, bytes used, readers.
    public func info() -> EnvironmentInfo {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return EnvironmentInfo(
            mapSize: info.me_mapsize,
            usedBytes: (info.me_last_pgno + 1) * Int(stat.ms_psize),
            pageSize: Int(stat.ms_psize),
            lastTransactionID: info.me_last_txnid,
            maxReaders: Int(info.me_maxreaders),
            readersInUse: Int(info.me_numreaders))
    }

    /// Writes a consistent copy of the environment to the existing, empty directory `destination`
    /// while other transactions go on. With `compact`, free pages are omitted and pages renumbered.
    public func copy(to destination: String, compact: Bool = true) throws(LMDBError) {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        try check(mdb_env_copy2(handle, destination, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Writes a consistent copy of the environment to the open file `fd` (from its current offset)
    /// while other transactions go on: one read snapshot, so the copy holds whole commits only.
    /// With `compact`, free pages are omitted and pages renumbered. The caller syncs and closes `fd`.
    /// Blocks the calling thread for the whole copy. The copy reads the map like a transaction, so
    /// a map that must grow meanwhile waits for it (and, the resize lock preferring the resize,
    /// so do the transactions that begin after it).
    public func copy(toFileDescriptor fd: Int32, compact: Bool = true) throws(LMDBError) {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        try check(mdb_env_copyfd2(handle, fd, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Clears reader slots left by processes that died holding a read transaction. Returns how many.
    @discardableResult
    public func clearStaleReaders() -> Int {
        var dead: Int32 = 0
        mdb_reader_check(handle, &dead)
        return Int(dead)
    }
}
