import ArgumentParser
import EventLog
import Foundation
import Registry
import RegistryArchive

/// `shixiang-bench archive`: export of a large log as one bag, and its verification.
struct ArchiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Export a log of --events events (built in-process) as one BagIt bag; MB/s and events/s, then the verification. Target: 1,000,000 events within 60 s.")

    @Option(help: "Events in the log that is exported.")
    var events: Int = 1_000_000

    @Option(help: "Directory for the run's temporary directory.")
    var workDir: String = "/tmp"

    func run() async throws {
        let work = workDir + "/shxa-\(getpid())"
        try FileManager.default.createDirectory(atPath: work + "/log", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work + "/bags", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        progress("building a log of \(events) events in-process")
        let built = try await RegistryBench.buildLog(directory: work + "/log", events: events)
        let store = try EventStore(directory: work + "/log")
        defer { store.close() }
        let registry = try Registry(store: store)
        progress("exporting")
        let report = try await ArchiveExport.export(registry: registry, fromSeq: 1, sinceLast: false,
                                                    into: URL(fileURLWithPath: work + "/bags"), organization: "bench")
        let mb = Double(report.payloadBytes) / 1_048_576
        progress("verifying")
        let began = Date()
        let verified = ArchiveVerify.verify(at: URL(fileURLWithPath: work + "/bags/" + report.bag), log: store)
        let verifySeconds = Date().timeIntervalSince(began)
        print("""
            Archive export (release build; figures swing ~2x between runs)
              log                         \(built.events) events
              export                      \(report.events) events, \(String(format: "%.1f", mb)) MiB payload in \(String(format: "%.1f", report.seconds)) s
                                          \(String(format: "%.0f", Double(report.events) / report.seconds)) events/s, \(String(format: "%.1f", mb / report.seconds)) MiB/s
              verification                \(verified.passed ? "passed" : "FAILED") in \(String(format: "%.1f", verifySeconds)) s (\(verified.checks.count) checks)
              \(report.seconds <= 60 * Double(report.events) / 1_000_000 ? "PASS" : "MISS")  export of 1,000,000 events within 60 s (scaled to \(report.events))
            """)
    }
}
