import Foundation

/// Where the package's built executables are, for tests that run them as real processes.
public enum BuiltProducts {
    /// The build directory holding the test bundle (and the package's executables beside it).
    public static var directory: String {
        if let explicit = ProcessInfo.processInfo.environment["SHIXIANG_BUILD_DIR"] { return explicit }
        var url = Bundle.main.bundleURL
        // `…/debug/ShixiangPackageTests.xctest` (a file on Linux, a bundle elsewhere): its folder.
        if url.pathExtension == "xctest" { url.deleteLastPathComponent() }
        return url.path
    }

    /// The path of executable `name`; throws if it was not built.
    public static func executable(_ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(name) is not built at \(path); run `swift build` first (or set SHIXIANG_BUILD_DIR)")
        }
        return path
    }
}

/// A failure of the test harness itself.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
