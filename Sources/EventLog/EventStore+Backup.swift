import Foundation
import LMDB

/// What ``EventStore/backup(to:)`` wrote.
public struct BackupReport: Sendable {
    /// The backup file: a complete LMDB data file, to be restored as `data.mdb` of an empty directory.
    public var path: String
    public var bytes: Int
    /// The last event the copy holds, read back from the copy itself.
    public var head: LogHead
    public var seconds: Double
}

/// Why a backup was not written. Nothing is left behind in any case.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path is not absolute: the daemon does not share the client's working directory.
    case relativePath(String)
    /// A file (or anything else) already exists at the path; backups never overwrite.
    case exists(String)
    /// The directory the file should go into does not exist (or is not a directory).
    case noDirectory(String)
    /// The daemon may not create files in the directory.
    case cannotCreate(path: String, reason: String)
    /// Writing or checking the copy failed (disk full, I/O error, an unreadable copy).
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case .relativePath(let p):
            if p.isEmpty { return "No backup path was given: give an absolute path on the daemon's machine." }
            return "The backup path \(p) is relative: give an absolute path on the daemon's machine."
        case .exists(let p):
            return "\(p) already exists; a backup never overwrites a file. Choose a new name."
        case .noDirectory(let d):
            return "The directory \(d) does not exist on the daemon's machine; create it first."
        case let .cannotCreate(p, reason):
            return "The daemon cannot create \(p): \(reason)."
        case let .failed(p, reason):
            return "The backup \(p) could not be written: \(reason). Nothing was left behind."
        }
    }
}

extension EventStore {
    /// Writes a consistent, compacted copy of the whole environment (the log and every projection
    /// beside it) to the new file `path`, while writes go on.
    ///
    /// The copy is one read snapshot (`mdb_env_copyfd2` with `MDB_CP_COMPACT`), so it holds whole
    /// commits only. It is written under a temporary name in the same directory, fsynced, opened
    /// read-only to read back its head, and only then linked to `path` (which must not exist) and
    /// the directory fsynced. A failure leaves nothing behind; a crash of the daemon mid-copy leaves
    /// at most the hidden temporary file (`.NAME.partial-XXXXXXXX`), never an incomplete file at `path`.
    ///
    /// Blocks the calling thread for the whole copy: call it from a thread of its own.
    /// Throws ``BackupError``.
    public func backup(to path: String) throws(BackupError) -> BackupReport {
        let started = Date()
        guard path.hasPrefix("/") else { throw .relativePath(path) }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let target = url.path
        let directory = url.deletingLastPathComponent().path
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .noDirectory(directory) }
        guard lstat(target, &info) != 0 else { throw .exists(target) }

        let temporary = "\(directory)/.\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8).lowercased())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(environment.options.fileMode))
        guard fd >= 0 else { throw .cannotCreate(path: target, reason: String(cString: strerror(errno))) }
        var linked = false
        defer { if !linked { unlink(temporary) } }

        do {
            defer { Glibc.close(fd) }
            do {
                try environment.copy(toFileDescriptor: fd, compact: true)
            } catch {
                throw BackupError.failed(path: target, reason: Self.explainCopy(error, directory: directory))
            }
            guard fsync(fd) == 0 else {
                throw BackupError.failed(path: target, reason: "fsync: \(String(cString: strerror(errno)))")
            }
        }
        let head: LogHead
        do {
            head = try Self.head(ofCopy: temporary)
        } catch {
            throw .failed(path: target, reason: "the copy does not read back (\(error))")
        }
        // link(2) fails if `target` appeared meanwhile: a backup never replaces a file.
        guard link(temporary, target) == 0 else {
            let code = errno
            if code == EEXIST { throw .exists(target) }
            throw .cannotCreate(path: target, reason: String(cString: strerror(code)))
        }
        linked = true
        unlink(temporary)
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            Glibc.close(dirFD)
        }
        guard stat(target, &info) == 0 else { throw .failed(path: target, reason: String(cString: strerror(errno))) }
        return BackupReport(path: target, bytes: Int(info.st_size), head: head, seconds: Date().timeIntervalSince(started))
    }

    /// The head of the log in a backup file (or any single LMDB data file holding a log), read-only.
    public static func head(ofCopy path: String) throws -> LogHead {
        let env = try Environment(path: path, options: .backupCopy)
        let dbs = try LogDatabases(environment: env)
        let format = try env.read { txn in try txn.value(dbs.meta, key: Array("format".utf8)) }
        guard let format, LogDatabases.readableFormats.contains(String(decoding: format, as: UTF8.self)) else {
            throw EventLogError.storage("\(path) does not hold a \(LogDatabases.formatTag) log")
        }
        return try env.read { txn in try LogQueries(dbs: dbs).head(txn) }
    }

    private static func explainCopy(_ error: any Error, directory: String) -> String {
        guard let lmdb = error as? LMDBError else { return "\(error)" }
        switch error {
        case LMDBError.noSpace: return "the disk holding \(directory) is full"
        case LMDBError.quotaExceeded: return "the disk quota on \(directory) is exhausted"
        case LMDBError.fileTooLarge: return "the file is larger than the system allows the daemon (RLIMIT_FSIZE)"
        default: return "\(lmdb.message) (\(lmdb.name))"
        }
    }
}
