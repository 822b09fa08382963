import CLMDB

/// What both kinds of transaction can do: read values and walk cursors.
///
/// Byte buffers handed out by a transaction point into LMDB's memory map and are valid only
/// until the transaction ends; copy what must outlive it.
public protocol TransactionReading: ~Copyable {
    /// The `MDB_txn` pointer.
    var txn: OpaquePointer { get }
}

extension TransactionReading where Self: ~Copyable {
    /// Opens a named database inside this transaction.
    func openDatabase(_ name: String, flags: DatabaseFlags) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(txn, name, flags.rawValue, &dbi))
        return Database(dbi: dbi, name: name)
    }

    /// Calls `body` with the value stored under `key`, or `nil` if there is none, and returns its result.
    public func withValue<R>(_ db: Database, key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return try body(nil) }
        try check(rc)
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// A copy of the value stored under `key`, or `nil`.
    public func value(_ db: Database, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { k in try withValue(db, key: k) { $0.map { Array($0) } } }
    }

    /// Whether `key` is present.
    public func contains(_ db: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { k in try withValue(db, key: k) { $0 != nil } }
    }

    /// Counts of `db` as `mdb_stat` reports them.
    public func stat(_ db: Database) throws(LMDBError) -> DatabaseStat {
        var s = MDB_stat()
        try check(mdb_stat(txn, db.dbi, &s))
        return DatabaseStat(s)
    }

    /// Runs `body` with a cursor over `db`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ db: Database, _ body: (inout Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, db.dbi, &cursor))
        guard let cursor else { throw LMDBError(code: 12) }
        defer { mdb_cursor_close(cursor) }
        var c = Cursor(handle: cursor)
        return try body(&c)
    }
}

/// A read-only snapshot. Only ever lent to a closure by ``Environment/read(_:)``.
public struct ReadTransaction: ~Copyable, TransactionReading {
    public let txn: OpaquePointer

    init(env: OpaquePointer) throws(LMDBError) {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn))
        guard let txn else { throw LMDBError(code: 12) }
        self.txn = txn
    }

    // Ending a read-only transaction with commit rather than abort keeps any database handles it
    // opened (abort would close them); it writes nothing.
    deinit { _ = mdb_txn_commit(txn) }
}

/// The write transaction. Only ever lent to a closure by ``Environment/write(_:)`` or
/// ``WriteTransaction/nested(_:)``, which commit or abort it.
public struct WriteTransaction: ~Copyable, TransactionReading {
    public let txn: OpaquePointer

    init(env: OpaquePointer, parent: OpaquePointer?) throws(LMDBError) {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, parent, 0, &txn))
        guard let txn else { throw LMDBError(code: 12) }
        self.txn = txn
    }

    consuming func commit() throws(LMDBError) {
        let handle = txn
        discard self
        // mdb_txn_commit frees the transaction even when it fails.
        try check(mdb_txn_commit(handle))
    }

    consuming func abort() {
        let handle = txn
        discard self
        mdb_txn_abort(handle)
    }

    deinit { mdb_txn_abort(txn) }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(txn, db.dbi, &k, &v, flags.rawValue))
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws(LMDBError) {
        let rc: Int32 = key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                var vv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                return mdb_put(txn, db.dbi, &kv, &vv, flags.rawValue)
            }
        }
        try check(rc)
    }

    /// Reserves `count` bytes under `key` and lets `fill` write the value in place, saving a copy.
    public func put(_ db: Database, key: UnsafeRawBufferPointer, reserving count: Int, flags: PutFlags = [], fill: (UnsafeMutableRawBufferPointer) -> Void) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(txn, db.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)))
        fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key` from an index database. Returns whether it was present.
    ///
    /// The event log itself is never deleted from; this is for derived indexes and projections.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws(LMDBError) -> Bool {
        let rc: Int32 = key.withUnsafeBytes { k in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            return mdb_del(txn, db.dbi, &kv, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        try check(rc)
        return true
    }

    /// Empties a database (for rebuilding a projection), keeping the handle valid.
    public func clear(_ db: Database) throws(LMDBError) {
        try check(mdb_drop(txn, db.dbi, 0))
    }

    /// Runs `body` in a child transaction: its writes join this transaction when `body` returns,
    /// and vanish (leaving this transaction as it was) when `body` throws.
    ///
    /// While the child runs, this transaction must not be used. LMDB has no child transactions in
    /// an environment that writes through its map (``EnvironmentOptions/writeMap``): there this
    /// throws ``LMDBError/incompatible`` before `body` runs.
    public func nested<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        guard let env = mdb_txn_env(txn) else { throw LMDBError(code: MDB_BAD_TXN) }
        var flags: UInt32 = 0
        mdb_env_get_flags(env, &flags)
        guard flags & UInt32(MDB_WRITEMAP) == 0 else { throw LMDBError.incompatible }
        let child = try WriteTransaction(env: env, parent: txn)
        let result: R
        do {
            result = try body(child)
        } catch {
            child.abort()
            throw error
        }
        try child.commit()
        return result
    }
}

/// A read-only view of an open transaction, lent to a closure by ``WriteTransaction/withReadView(_:)``.
///
/// It reads exactly what the transaction sees (including its own uncommitted writes) but cannot
/// write, so code handed a view can only stage its changes for the owner to apply.
public struct TransactionView: ~Copyable, TransactionReading {
    public let txn: OpaquePointer
}

extension WriteTransaction {
    /// Runs `body` with a read-only view of this transaction.
    public func withReadView<R>(_ body: (borrowing TransactionView) throws -> R) rethrows -> R {
        let view = TransactionView(txn: txn)
        return try body(view)
    }
}
