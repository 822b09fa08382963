/// One file-system entry inside a bag, as seen by `lstat` (symlinks are not followed).
public struct BagFileEntry: Sendable, Equatable, Codable {
    /// What the entry is.
    public enum Kind: String, Sendable, Codable {
        case file, directory, symlink
        /// A device, FIFO or socket.
        case other
    }

    /// Path relative to the bag root, `/`-separated, e.g. `data/事项/a.json`.
    public let path: String
    /// File, directory, symlink or other.
    public let kind: Kind
    /// Size in bytes (of the link itself for a symlink).
    public let size: UInt64
    /// POSIX permission bits (`0o644` …).
    public let permissions: UInt16

    public init(path: String, kind: Kind, size: UInt64, permissions: UInt16) {
        self.path = path
        self.kind = kind
        self.size = size
        self.permissions = permissions
    }

    /// Whether the entry is inside `data/`.
    public var isPayload: Bool { path.hasPrefix("data/") }
}
