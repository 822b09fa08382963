/// A failed file-system call, naming the operation and the path.
public struct ArchiveIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, e.g. "create", "fsync", "rename a to".
    public let operation: String
    /// The file or directory concerned.
    public let path: String
    /// The `errno` value.
    public let code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "could not \(operation) \(path): \(errorText(code))"
    }
}
