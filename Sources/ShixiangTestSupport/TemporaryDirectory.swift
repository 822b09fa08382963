import Foundation

/// A fresh directory for one test, removed when the value is released.
///
/// Paths stay short (under `/tmp`) so socket paths inside them fit Linux's 108-byte limit, and each
/// is unique so tests can run in parallel.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "t") throws {
        path = "/tmp/shx-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Makes a subdirectory and returns its path.
    public func subdirectory(_ name: String) throws -> String {
        let p = file(name)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
