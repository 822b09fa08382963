import ShixiangDigest

/// Why a bag could not be written. Every case names the path or label concerned.
public enum BagWriterError: Error, Sendable, CustomStringConvertible {
    /// The destination is not a usable file URL (e.g. no last path component).
    case invalidDestination(String)
    /// A finished bag (or anything else) already exists at the destination; it is never replaced.
    case destinationExists(String)
    /// A `.partial` working directory from an earlier, interrupted run exists.
    case partialExists(String)
    /// No algorithm, or none of SHA-256 / SHA-512 (which RFC 8493 tools must support).
    case invalidAlgorithms(String)
    /// A payload or tag path that is empty, absolute, has `.`/`..`/empty components or a NUL.
    case unsafePath(String)
    /// The same payload or tag path was added twice.
    case duplicatePath(String)
    /// A tag-file name that is reserved (`bagit.txt`, `manifest-*.txt`, …) or under `data/`.
    case reservedTagFile(String)
    /// A `bag-info.txt` label or value that cannot be written.
    case invalidLabel(String, reason: String)
    /// The writer already finished (or failed while finishing); start a new one.
    case alreadyFinished(String)
    /// A file-system call failed.
    case io(ArchiveIOError)
    /// libcrypto lacks a configured algorithm.
    case digest(DigestError)
    /// A stale `.partial` directory could not be removed.
    case removalFailed(String, reason: String)

    public var description: String {
        switch self {
        case .invalidDestination(let path):
            return "bag destination \(path) is not a file path with a final name"
        case .destinationExists(let path):
            return "\(path) already exists; a bag is never overwritten (remove or rename it first)"
        case .partialExists(let path):
            return "\(path) is left over from an interrupted export; call BagWriter.discardPartial(at:) or pass discardingStalePartial: true"
        case .invalidAlgorithms(let reason):
            return "invalid manifest algorithms: \(reason)"
        case .unsafePath(let path):
            return "unsafe bag path \"\(path)\": must be relative, without empty, '.' or '..' components or NUL"
        case .duplicatePath(let path):
            return "\(path) was already added to the bag"
        case .reservedTagFile(let name):
            return "\(name) cannot be added as a tag file: the name is reserved for the bag structure or the payload"
        case .invalidLabel(let label, let reason):
            return "bag-info.txt label \"\(label)\" is invalid: \(reason)"
        case .alreadyFinished(let path):
            return "the writer for \(path) has already finished; start a new BagWriter"
        case .io(let error):
            return error.description
        case .digest(let error):
            return error.description
        case .removalFailed(let path, let reason):
            return "could not remove \(path): \(reason)"
        }
    }
}
