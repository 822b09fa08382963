import Foundation

/// Where the daemon keeps its data and socket when not told otherwise; the CLI looks in the same place.
///
/// As root: `/var/lib/shixiang` and `/run/shixiang/shixiang.sock`. As another user:
/// `$XDG_DATA_HOME/shixiang` (default `~/.local/share/shixiang`) and
/// `$XDG_RUNTIME_DIR/shixiang/shixiang.sock` (default `/tmp/shixiang-<uid>/shixiang.sock`).
public enum DefaultPaths {
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if getuid() == 0 { return "/var/lib/shixiang" }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return "\(xdg)/shixiang" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.local/share/shixiang"
    }

    public static func socket(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["SHIXIANG_SOCKET"], !explicit.isEmpty { return explicit }
        if getuid() == 0 { return "/run/shixiang/shixiang.sock" }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return "\(runtime)/shixiang/shixiang.sock" }
        return "/tmp/shixiang-\(getuid())/shixiang.sock"
    }
}
