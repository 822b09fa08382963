import Foundation

/// A small tmpfs mounted for one test, to fill a disk for real. Needs root with CAP_SYS_ADMIN;
/// unmounted (lazily, so a process still holding files cannot keep it) when released.
final class TmpfsMount {
    let path: String
    private var mounted = false

    /// Mounts a tmpfs of `size` (e.g. `"16m"`) on the existing directory `path`; throws with the
    /// system's reason when mounting is refused.
    init(at path: String, size: String) throws {
        self.path = path
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size),mode=0750") == 0 else {
            throw TmpfsError(reason: String(cString: strerror(errno)))
        }
        mounted = true
    }

    /// Changes the size while files stay open (`mount -o remount,size=…`).
    func resize(_ size: String) throws {
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT), "size=\(size)") == 0 else {
            throw TmpfsError(reason: String(cString: strerror(errno)))
        }
    }

    func unmount() {
        if mounted { _ = umount2(path, Int32(MNT_DETACH)) }
        mounted = false
    }

    deinit { unmount() }

    /// Whether this process may mount a tmpfs (tried once on a scratch directory).
    static let available: Bool = {
        let dir = "/tmp/shx-mountcheck-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let probe = try? TmpfsMount(at: dir, size: "64k") else { return false }
        probe.unmount()
        return true
    }()

    /// Fills the file system holding `directory` with `name` until the disk is full; returns the
    /// bytes written.
    static func fill(_ directory: String, name: String = "filler") -> Int {
        let fd = open("\(directory)/\(name)", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5a, count: 64 << 10)
        var total = 0
        var size = chunk.count
        while size > 0 {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if n > 0 { total += n; continue }
            size /= 2  // the last few pages one smaller write at a time
        }
        return total
    }
}

struct TmpfsError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot mount a tmpfs: \(reason)" }
}
