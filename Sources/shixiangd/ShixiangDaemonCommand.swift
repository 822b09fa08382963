import ArgumentParser
import Foundation
import Logging
import ShixiangDaemon

/// `shixiangd`: the registry daemon, in the foreground, logging to stderr.
@main
struct ShixiangDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shixiangd",
        abstract: "The Shixiang registry daemon: an append-only event log of service-item adjustments, served as JSON-RPC on a Unix socket.",
        discussion: """
            Runs in the foreground and logs to stderr. Stop it with SIGTERM (or Ctrl-C): it stops accepting, \
            finishes requests in progress, closes the log and removes its socket.

            Settings come from, in order of precedence: these flags, the environment (SHIXIANG_DATA_DIR, \
            SHIXIANG_SOCKET, SHIXIANG_LOG_LEVEL, SHIXIANG_POLICY, SHIXIANG_CONFIG), the config file, and the defaults \
            (as root: /var/lib/shixiang and /run/shixiang/shixiang.sock; otherwise ~/.local/share/shixiang \
            and $XDG_RUNTIME_DIR/shixiang/shixiang.sock or /tmp/shixiang-<uid>/shixiang.sock).
            """)

    @Option(name: .long, help: "Directory of the LMDB log (created if missing).")
    var dataDir: String?

    @Option(name: .long, help: "Path of the Unix socket to serve.")
    var socket: String?

    @Option(name: .long, help: "Config file of `key = value` lines (see ops/shixiangd.conf.example).")
    var config: String?

    @Option(name: .long, help: "Longest request line accepted, in bytes (default 1048576).")
    var maxLineBytes: Int?

    @Option(name: .long, help: "Connections served at once, each with a thread of its own (default 1024); more are refused with error -32007.")
    var maxConnections: Int?

    @Option(name: .long, help: "Access policy file mapping users and groups to roles (see ops/policy.json.example); without one only the daemon's own user is served, as admin. SIGHUP re-reads it.")
    var policy: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    func run() async throws {
        var flags: [String: String] = [:]
        flags["data-dir"] = dataDir
        flags["socket"] = socket
        flags["max-line-bytes"] = maxLineBytes.map(String.init)
        flags["max-connections"] = maxConnections.map(String.init)
        flags["log-level"] = logLevel
        flags["policy"] = policy
        let resolved: DaemonConfiguration
        do {
            resolved = try DaemonConfiguration.resolve(flags: flags, configFile: config)
        } catch {
            FileHandle.standardError.write(Data("shixiangd: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let level = resolved.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "shixiangd")
        // Past a file size limit (RLIMIT_FSIZE) the kernel would kill the daemon with SIGXFSZ in the
        // middle of a commit; ignored, the write fails with EFBIG instead and the client is told.
        signal(SIGXFSZ, SIG_IGN)
        do {
            try await Daemon.run(resolved, logger: logger)
        } catch let error as DaemonError {
            logger.critical("\(error.description)")
            throw ExitCode(3)
        } catch {
            logger.critical("cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
