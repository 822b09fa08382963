import CLMDB

/// An error returned by liblmdb, keeping the raw code, a readable name and `mdb_strerror`'s text.
///
/// Match a specific failure with `~=`: `catch LMDBError.mapFull { … }`, or compare ``code``.
public struct LMDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The raw return code: an `MDB_*` constant or an `errno` value such as `ENOSPC`.
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    public static let readersFull = LMDBError(code: MDB_READERS_FULL)
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    public static let badValueSize = LMDBError(code: MDB_BAD_VALSIZE)
    public static let corrupted = LMDBError(code: MDB_CORRUPTED)
    public static let incompatible = LMDBError(code: MDB_INCOMPATIBLE)
    public static let noSpace = LMDBError(code: 28)  // ENOSPC
    public static let busy = LMDBError(code: 16)  // EBUSY
    public static let ioError = LMDBError(code: 5)  // EIO (LMDB also returns it for a short write)
    public static let fileTooLarge = LMDBError(code: 27)  // EFBIG: past RLIMIT_FSIZE
    public static let quotaExceeded = LMDBError(code: 122)  // EDQUOT

    /// A short, stable name for logs and tests, e.g. `mapFull`.
    public var name: String {
        switch code {
        case MDB_KEYEXIST: return "keyExists"
        case MDB_NOTFOUND: return "notFound"
        case MDB_PAGE_NOTFOUND: return "pageNotFound"
        case MDB_CORRUPTED: return "corrupted"
        case MDB_PANIC: return "panic"
        case MDB_VERSION_MISMATCH: return "versionMismatch"
        case MDB_INVALID: return "invalid"
        case MDB_MAP_FULL: return "mapFull"
        case MDB_DBS_FULL: return "dbsFull"
        case MDB_READERS_FULL: return "readersFull"
        case MDB_TXN_FULL: return "txnFull"
        case MDB_CURSOR_FULL: return "cursorFull"
        case MDB_PAGE_FULL: return "pageFull"
        case MDB_MAP_RESIZED: return "mapResized"
        case MDB_INCOMPATIBLE: return "incompatible"
        case MDB_BAD_RSLOT: return "badReaderSlot"
        case MDB_BAD_TXN: return "badTransaction"
        case MDB_BAD_VALSIZE: return "badValueSize"
        case MDB_BAD_DBI: return "badDatabase"
        case 28: return "noSpace"
        case 13: return "permissionDenied"
        case 2: return "noSuchFile"
        case 5: return "ioError"
        case 12: return "outOfMemory"
        case 16: return "busy"
        case 27: return "fileTooLarge"
        case 122: return "quotaExceeded"
        default: return "errno\(code)"
        }
    }

    /// liblmdb's own explanation (`mdb_strerror`), which also covers `errno` values.
    public var message: String { String(cString: mdb_strerror(code)) }

    public var description: String { "LMDB \(name) (\(code)): \(message)" }

    public static func ~= (pattern: LMDBError, error: any Error) -> Bool {
        (error as? LMDBError)?.code == pattern.code
    }
}

/// Throws an ``LMDBError`` unless `rc` is `MDB_SUCCESS`. The single check at the C boundary.
@inline(__always)
func check(_ rc: Int32) throws(LMDBError) {
    if rc != MDB_SUCCESS { throw LMDBError(code: rc) }
}
