import Foundation

/// An exclusive lock on a data directory, so that two daemons never serve the same log.
///
/// Held with `flock` on `<data-dir>/shixiangd.lock`, which records the holder's pid. The kernel
/// releases it when the process exits, however it exits, so a crash never leaves a stale lock.
public final class DaemonLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws ``DaemonError/alreadyRunning(dataDirectory:pid:)``.
    public init(dataDirectory: String) throws(DaemonError) {
        path = "\(dataDirectory)/shixiangd.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .cannotLock(path: "\(dataDirectory)/shixiangd.lock", reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            let pid = n > 0 ? Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            throw .alreadyRunning(dataDirectory: dataDirectory, pid: pid)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        self.fd = fd
    }

    deinit { close(fd) }
}

/// Why the daemon could not start or stopped.
public enum DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyRunning(dataDirectory: String, pid: Int32?)
    case cannotLock(path: String, reason: String)
    case socketInUse(String)
    case cannotPrepare(path: String, reason: String)
    case badPolicy(String)

    public var description: String {
        switch self {
        case let .alreadyRunning(dir, pid):
            let who = pid.map { "shixiangd (pid \($0))" } ?? "another shixiangd"
            return "\(who) is already serving \(dir). Stop it first, or give this one another --data-dir."
        case let .cannotLock(path, reason):
            return "Cannot take the lock \(path): \(reason)."
        case .socketInUse(let path):
            return "Another daemon is already listening on \(path). Stop it first, or give this one another --socket."
        case let .cannotPrepare(path, reason):
            return "Cannot prepare \(path): \(reason)."
        case .badPolicy(let reason):
            return "\(reason) The daemon does not start with a policy it cannot read."
        }
    }
}
