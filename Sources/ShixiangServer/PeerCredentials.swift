import Glibc

/// Who is at the other end of a Unix socket connection, as the kernel reports it (`SO_PEERCRED`).
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    /// The supplementary groups the peer held when it connected (`SO_PEERGROUPS`), ascending.
    public var groups: [UInt32]

    public init(pid: Int32, uid: UInt32, gid: UInt32, groups: [UInt32] = []) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    public var description: String {
        "uid \(uid) gid \(gid)\(groups.isEmpty ? "" : " groups \(groups.map(String.init).joined(separator: ","))") pid \(pid)"
    }

    /// Layout of glibc's `struct ucred`, which Swift does not import.
    struct UCred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// `SO_PEERGROUPS` (Linux 4.13), which Glibc does not export.
    static let soPeerGroups: Int32 = 59

    /// Reads the peer's credentials and supplementary groups from a connected Unix socket, or nil
    /// if the kernel does not say.
    static func read(fd: Int32) -> PeerCredentials? {
        var cred = UCred()
        var length = socklen_t(MemoryLayout<UCred>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0, length == socklen_t(MemoryLayout<UCred>.size) else {
            return nil
        }
        return PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid, groups: groups(fd: fd))
    }

    /// The peer's supplementary groups (`SO_PEERGROUPS`); none if the kernel does not support it.
    /// The kernel keeps them sorted and unique, and reports how many bytes it wrote.
    private static func groups(fd: Int32) -> [UInt32] {
        var count = 64
        while count <= 65_536 {
            var list = [UInt32](repeating: 0, count: count)
            var length = socklen_t(count * MemoryLayout<UInt32>.size)
            let rc = list.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, soPeerGroups, $0.baseAddress, &length) }
            if rc == 0 { return Array(list.prefix(Int(length) / MemoryLayout<UInt32>.size)) }
            guard errno == ERANGE, Int(length) / MemoryLayout<UInt32>.size > count else { return [] }
            count = Int(length) / MemoryLayout<UInt32>.size
        }
        return []
    }
}
