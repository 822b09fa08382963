import Foundation

/// The outcome of running a command-line program to completion.
public struct CommandRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Runs `executable` with `arguments` (and extra environment) and collects its output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: Data? = nil) async throws -> CommandRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let dir = try TemporaryDirectory("run")
        let out = dir.file("out"), err = dir.file("err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let stdin {
            let input = dir.file("in")
            _ = FileManager.default.createFile(atPath: input, contents: stdin)
            p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        let status = try await DaemonProcess.waitForExit(p, timeout: .seconds(120))
        return CommandRun(status: status,
                          stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Runs a program found on PATH; `nil` if it is not installed.
    public static func runTool(_ name: String, _ arguments: [String]) async throws -> CommandRun? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return try await run(path, arguments) }
        }
        return nil
    }
}
