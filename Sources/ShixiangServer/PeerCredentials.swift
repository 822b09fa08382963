import Glibc
import NIOCore

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

    /// Room for the peer's supplementary groups; a peer in more groups is matched by uid and primary gid only.
    typealias GroupList = InlineArray<256, UInt32>

    /// `SO_PEERGROUPS` (Linux 4.13), which Glibc does not export.
    static let soPeerGroups: Int32 = 59

    /// Reads the peer's credentials and groups from a freshly accepted channel.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let future: EventLoopFuture<UCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future
            .flatMap { cred in
                groups(of: provider, on: channel.eventLoop).map { PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid, groups: $0) }
            }
            .recover { _ in nil }
    }

    /// The peer's supplementary groups. The kernel keeps them sorted and unique, and NIO hands the
    /// option back zero-filled without its length, so a first call with no room tells "none" (it
    /// succeeds) from "some" (ERANGE); after that, zeros past the first element are padding.
    private static func groups(of provider: any SocketOptionProvider, on loop: any EventLoop) -> EventLoopFuture<[UInt32]> {
        let probe: EventLoopFuture<Void> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(soPeerGroups))
        return probe.map { [UInt32]() }.flatMapError { _ in
            let list: EventLoopFuture<GroupList> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(soPeerGroups))
            return list.map { raw in
                var out: [UInt32] = []
                for i in raw.indices {
                    if i > 0 && raw[i] == 0 { break }
                    out.append(raw[i])
                }
                return out
            }.recover { _ in [] }
        }
    }
}
