/// How an ``Environment`` is opened.
public struct EnvironmentOptions: Sendable {
    /// Map size to start with, in bytes. The map grows by itself when full, up to ``maxMapSize``.
    /// With ``writeMap`` the data file is allocated on disk up to the map size.
    public var initialMapSize: Int = 64 << 20
    /// The largest map the environment may grow to. Past it, writes fail with ``LMDBError/mapFull``.
    public var maxMapSize: Int = 1 << 40
    /// Most named databases the environment will hold.
    public var maxDatabases: Int = 32
    /// Most read transactions open at once, across all threads and processes.
    public var maxReaders: Int = 512
    /// File mode of `data.mdb` and `lock.mdb` when created.
    public var fileMode: UInt32 = 0o640
    /// Open read-only (for tools that inspect a copy or a live directory).
    public var readOnly: Bool = false
    /// `path` names the data file itself rather than a directory holding `data.mdb` (`MDB_NOSUBDIR`),
    /// as for a backup copy.
    public var singleFile: Bool = false
    /// Use no lock file (`MDB_NOLOCK`). Only for a file no other process writes, such as a backup
    /// copy being checked.
    public var noLock: Bool = false
    /// Write through the map (`MDB_WRITEMAP`) when opened for writing: a commit writes pages where
    /// they lie instead of copying each into a buffer of its own and then into the file, and may
    /// not use nested transactions. The data file is kept allocated on disk up to the map size
    /// (`posix_fallocate` before the map is set or grown), so a write through the map never needs
    /// a block the disk may not have: a full disk stops the map from growing, and the write that
    /// needed the room fails with an error instead of the process dying of SIGBUS.
    public var writeMap: Bool = true

    public init() {}

    /// Read-only, without a lock file, on a single data file: for inspecting a backup copy.
    public static var backupCopy: EnvironmentOptions {
        var options = EnvironmentOptions()
        options.readOnly = true
        options.singleFile = true
        options.noLock = true
        options.initialMapSize = 1 << 20
        return options
    }
}

/// Figures from `mdb_env_info` and `mdb_env_stat`.
public struct EnvironmentInfo: Sendable, Hashable {
    /// The current map size in bytes.
    public let mapSize: Int
    /// Bytes of the data file in use: (last page number + 1) × page size.
    public let usedBytes: Int
    public let pageSize: Int
    public let lastTransactionID: Int
    public let maxReaders: Int
    public let readersInUse: Int
}
