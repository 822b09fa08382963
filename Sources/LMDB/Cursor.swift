import CLMDB

/// A position in a database, lent to a closure by `withCursor`.
///
/// Each move returns the entry it lands on as `(key, value)` buffers that point into the map
/// (valid until the transaction ends), or `nil` past either end or when nothing matches.
public struct Cursor: ~Copyable {
    let handle: OpaquePointer

    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    private func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc)
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }
    public func current() throws(LMDBError) -> Entry? { try move(MDB_GET_CURRENT) }

    /// Moves to the first entry whose key is ≥ `key`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? { try move(MDB_SET_RANGE, key: key) }

    /// Moves to the entry whose key equals `key`.
    public func seek(exactly key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? { try move(MDB_SET_KEY, key: key) }

    /// Moves to the last entry whose key is ≤ `key`.
    public func seek(atMost key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        if let entry = try seek(atLeast: key) {
            if entry.key.elementsEqual(key) { return entry }
            return try previous()
        }
        return try last()
    }

    public func seek(atLeast key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { k in try seek(atLeast: k) }
    }

    public func seek(atMost key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { k in try seek(atMost: k) }
    }
}
