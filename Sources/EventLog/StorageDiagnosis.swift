import Foundation
import LMDB

/// Explains a failed commit in words an operator can act on: which limit was hit and what to do.
///
/// LMDB reports a write the file system cut short as `EIO`, whether the disk was full, a quota ran
/// out or the process hit its file size limit; so the explanation also looks at the free space on
/// the data directory's file system and at `RLIMIT_FSIZE`.
enum StorageDiagnosis {
    /// Free space below which a failed write is put down to a full disk.
    static let nearlyFull = 1 << 20

    static func explain(_ error: any Error, environment: Environment) -> String {
        let dir = environment.path
        guard let lmdb = error as? LMDBError else { return "the storage failed" }
        switch error {
        case LMDBError.mapFull:
            return "the database has reached its maximum size (map full at max-map-size = \(environment.options.maxMapSize) bytes);"
                + " the operator must raise max-map-size in the daemon's configuration and restart it"
        case LMDBError.noSpace:
            return diskFull(dir)
        case LMDBError.quotaExceeded:
            return "the disk quota of the daemon's user on \(dir) is exhausted"
        case LMDBError.fileTooLarge:
            return fileSizeLimit(dir)
        case LMDBError.ioError:
            if let free = freeBytes(dir), free < nearlyFull { return diskFull(dir, free: free) }
            if atFileSizeLimit(dir) { return fileSizeLimit(dir) }
            return "an I/O error on the disk holding \(dir) (\(lmdb.message))"
        default:
            return "\(lmdb.message) (\(lmdb.name))"
        }
    }

    private static func diskFull(_ dir: String, free: Int? = nil) -> String {
        let left = (free ?? freeBytes(dir)).map { ", \($0) bytes free" } ?? ""
        return "the disk holding \(dir) is full\(left); once space is freed the registry accepts changes again"
    }

    private static func fileSizeLimit(_ dir: String) -> String {
        "the data file \(dir)/data.mdb has reached the largest file size the system allows the daemon (RLIMIT_FSIZE)"
    }

    /// Bytes this process may still write on the file system holding `dir` (root may use the reserve).
    static func freeBytes(_ dir: String) -> Int? {
        var s = statvfs()
        guard statvfs(dir, &s) == 0 else { return nil }
        let blocks = geteuid() == 0 ? s.f_bfree : s.f_bavail
        return Int(blocks) * Int(s.f_frsize)
    }

    /// Whether `data.mdb` is within a megabyte of this process's file size limit.
    private static func atFileSizeLimit(_ dir: String) -> Bool {
        var limit = rlimit()
        guard getrlimit(RLIMIT_FSIZE_VALUE, &limit) == 0, limit.rlim_cur != rlim_t.max else { return false }
        var info = stat()
        guard stat("\(dir)/data.mdb", &info) == 0 else { return false }
        return UInt64(info.st_size) + UInt64(nearlyFull) >= UInt64(limit.rlim_cur)
    }

    // Glibc imports RLIMIT_FSIZE as an enum case of __rlimit_resource (and RLIM_INFINITY as -1, hence rlim_t.max above).
    private static var RLIMIT_FSIZE_VALUE: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_FSIZE.rawValue) }
}
