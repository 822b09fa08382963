import CLMDB

/// A named database inside an ``Environment``: a handle valid for the environment's lifetime.
public struct Database: Sendable, Hashable {
    let dbi: MDB_dbi
    /// The name it was opened with (`nil` for the unnamed main database).
    public let name: String?
}

/// How a named database orders and stores its keys.
public struct DatabaseFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Create the database if it does not exist (only in a write transaction).
    public static let create = DatabaseFlags(rawValue: UInt32(MDB_CREATE))
    /// Keys are native-endian unsigned integers of one size.
    public static let integerKey = DatabaseFlags(rawValue: UInt32(MDB_INTEGERKEY))
}

/// What a put does when the key exists or ordering matters.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with ``LMDBError/keyExists`` instead of overwriting.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key is greater than every key in the database: a fast append that fails with
    /// ``LMDBError/keyExists`` otherwise, which doubles as a free check on ordering.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}

/// Counts reported by `mdb_stat` for one database.
public struct DatabaseStat: Sendable, Hashable {
    public let entries: Int
    public let depth: Int
    public let branchPages: Int
    public let leafPages: Int
    public let overflowPages: Int
    public let pageSize: Int

    init(_ s: MDB_stat) {
        entries = Int(s.ms_entries)
        depth = Int(s.ms_depth)
        branchPages = Int(s.ms_branch_pages)
        leafPages = Int(s.ms_leaf_pages)
        overflowPages = Int(s.ms_overflow_pages)
        pageSize = Int(s.ms_psize)
    }

    /// Bytes occupied by this database's pages.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }
}
