#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ShixiangClient

/// The real `shixiangd` binary running as a child process, on its own data directory and socket.
///
/// Started with `posix_spawn` (stdout and stderr go to a log file), waited for until `system.ping`
/// answers, and stopped with SIGTERM. Only plain values are kept, so the handle is `Sendable`.
struct DaemonProcess: Sendable {
    /// Process id of the daemon.
    let pid: pid_t
    /// The socket it serves.
    let socketPath: String
    /// Where its stdout and stderr go.
    let logPath: String

    /// Spawns `executable` with `--data-dir dataDirectory --socket socketPath`, then waits (up to
    /// `timeout`) until `system.ping` answers. If the daemon does not come up it is killed and the
    /// error carries the end of its log.
    static func start(executable: String, dataDirectory: String, socketPath: String, logPath: String,
                      timeout: Duration = .seconds(30)) async throws -> DaemonProcess {
        let pid = try spawn(executable: executable,
                            arguments: ["--data-dir", dataDirectory, "--socket", socketPath],
                            logPath: logPath)
        let daemon = DaemonProcess(pid: pid, socketPath: socketPath, logPath: logPath)
        do {
            try await daemon.waitUntilReady(timeout: timeout)
        } catch {
            _ = await daemon.stop()
            throw error
        }
        return daemon
    }

    /// Polls `system.ping` until it answers; fails early if the process exits.
    private func waitUntilReady(timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastError = "no attempt made"
        while clock.now < deadline {
            if let status = reap(blocking: false) {
                throw BenchError.daemon("shixiangd exited during start-up (\(status)). Its log:\n\(logTail())")
            }
            do {
                _ = try await RegistryClient.withConnection(socketPath: socketPath) { client in
                    try await client.call("system.ping")
                }
                return
            } catch {
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError.daemon("shixiangd did not answer system.ping within \(timeout) (last error: \(lastError)). Its log:\n\(logTail())")
    }

    /// Sends SIGTERM and waits up to `grace` for a clean exit, then SIGKILL. Returns how it ended.
    @discardableResult
    func stop(grace: Duration = .seconds(15)) async -> String {
        if let status = reap(blocking: false) { return "had already exited (\(status))" }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline {
            if let status = reap(blocking: false) { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        return "did not stop within \(grace) of SIGTERM; killed (\(reap(blocking: true) ?? "unknown status"))"
    }

    /// `waitpid` on the daemon: a description of how it ended, or `nil` while it still runs.
    private func reap(blocking: Bool) -> String? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        if r == 0 { return nil }
        if r < 0 { return errno == ECHILD ? "already reaped" : "waitpid failed: \(String(cString: strerror(errno)))" }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
    }

    /// The last few lines of the daemon's log, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log at \(logPath))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Lines in the daemon's log that are warnings or worse (the daemon should log none during a run).
    func logProblems() -> [String] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        let levels = [" warning ", " error ", " critical "]
        return text.split(separator: "\n").map(String.init).filter { line in levels.contains { line.contains($0) } }
    }

    /// `posix_spawn`s `executable` with default signal dispositions, an empty signal mask, the
    /// environment minus `SHIXIANG_*` variables (so only our flags configure it), and stdout and
    /// stderr appended to `logPath`.
    private static func spawn(executable: String, arguments: [String], logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let environment = ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("SHIXIANG_") }
            .map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw BenchError.daemon("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return pid
    }
}
