import Foundation
import Logging
import ShixiangClient

/// Everything the daemon needs to start, resolved from flags, environment, config file and defaults
/// (in that order of precedence).
public struct DaemonConfiguration: Sendable, Equatable {
    public var dataDirectory: String
    public var socketPath: String
    public var socketMode: UInt32 = 0o660
    public var maxLineBytes: Int = 1 << 20
    /// Connections served at once (each has a thread); more are answered −32007 and closed.
    public var maxConnections: Int = 1024
    public var logLevel: Logger.Level = .info
    /// Initial LMDB map size in bytes; the map grows by itself. The data file is allocated on disk
    /// up to the map size (see `EnvironmentOptions.writeMap`).
    public var initialMapSize: Int = 64 << 20
    /// The largest the LMDB map may grow to.
    public var maxMapSize: Int = 1 << 40
    /// The access policy file; `nil` serves only the daemon's own user, as admin.
    public var policyFile: String?

    public init(dataDirectory: String, socketPath: String) {
        self.dataDirectory = dataDirectory
        self.socketPath = socketPath
    }

    /// The keys a config file may set.
    public static let fileKeys = ["data-dir", "socket", "socket-mode", "max-line-bytes", "max-connections", "log-level", "initial-map-size", "max-map-size", "policy"]

    /// Resolves the configuration. `flags` holds command-line values by config-file key.
    public static func resolve(flags: [String: String], configFile: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> DaemonConfiguration {
        var values: [String: String] = [:]
        let path = configFile ?? environment["SHIXIANG_CONFIG"]
        if let path {
            values = try parseFile(path)
        } else if getuid() == 0, FileManager.default.fileExists(atPath: "/etc/shixiang/shixiangd.conf") {
            values = try parseFile("/etc/shixiang/shixiangd.conf")
        }
        let fromEnvironment = ["data-dir": "SHIXIANG_DATA_DIR", "socket": "SHIXIANG_SOCKET", "log-level": "SHIXIANG_LOG_LEVEL", "policy": "SHIXIANG_POLICY"]
        for (key, variable) in fromEnvironment {
            if let v = environment[variable], !v.isEmpty { values[key] = v }
        }
        for (key, v) in flags { values[key] = v }

        var config = DaemonConfiguration(
            dataDirectory: values["data-dir"] ?? DefaultPaths.dataDirectory(environment: environment),
            socketPath: values["socket"] ?? DefaultPaths.socket(environment: [:]))
        if let v = values["socket-mode"] {
            guard let mode = UInt32(v.hasPrefix("0o") ? String(v.dropFirst(2)) : v, radix: 8), mode <= 0o777 else {
                throw .invalidValue(key: "socket-mode", value: v, expected: "an octal file mode such as 0660")
            }
            config.socketMode = mode
        }
        if let v = values["max-connections"] {
            guard let n = Int(v), (1...100_000).contains(n) else {
                throw .invalidValue(key: "max-connections", value: v, expected: "a number of connections from 1 to 100000")
            }
            config.maxConnections = n
        }
        if let v = values["max-line-bytes"] {
            guard let n = Int(v), n >= 1024 else { throw .invalidValue(key: "max-line-bytes", value: v, expected: "a number of bytes, at least 1024") }
            config.maxLineBytes = n
        }
        if let v = values["log-level"] {
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw .invalidValue(key: "log-level", value: v, expected: "trace, debug, info, notice, warning, error or critical")
            }
            config.logLevel = level
        }
        if let v = values["initial-map-size"] {
            guard let n = Int(v), n >= 1 << 20 else { throw .invalidValue(key: "initial-map-size", value: v, expected: "a number of bytes, at least 1048576") }
            config.initialMapSize = n
        }
        if let v = values["max-map-size"] {
            guard let n = Int(v), n >= config.initialMapSize else {
                throw .invalidValue(key: "max-map-size", value: v, expected: "a number of bytes, at least the initial map size")
            }
            config.maxMapSize = n
        }
        if let v = values["policy"], !v.isEmpty { config.policyFile = v }
        guard config.socketPath.utf8.count < 108 else { throw .socketPathTooLong(config.socketPath) }
        return config
    }

    /// Reads `key = value` lines; `#` starts a comment; values may be quoted.
    static func parseFile(_ path: String) throws(ConfigurationError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path)
        }
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { throw .malformedLine(path: path, line: index + 1) }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            var value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            guard fileKeys.contains(key) else { throw .unknownKey(path: path, line: index + 1, key: key) }
            values[key] = value
        }
        return values
    }
}

/// A configuration the daemon cannot start with.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(String)
    case malformedLine(path: String, line: Int)
    case unknownKey(path: String, line: Int, key: String)
    case invalidValue(key: String, value: String, expected: String)
    case socketPathTooLong(String)

    public var description: String {
        switch self {
        case .unreadableFile(let p): return "Cannot read the config file \(p)."
        case let .malformedLine(p, l): return "\(p), line \(l): expected `key = value`."
        case let .unknownKey(p, l, k): return "\(p), line \(l): unknown setting \"\(k)\" (known: \(DaemonConfiguration.fileKeys.joined(separator: ", ")))."
        case let .invalidValue(k, v, e): return "Setting \(k) = \(v) is not valid: expected \(e)."
        case .socketPathTooLong(let p): return "The socket path \(p) is too long: Unix socket paths must be under 108 bytes."
        }
    }
}
