import ArgumentParser
import EventLog
import Foundation
import Registry

/// `shixiang-bench fold-profile`: where a rebuild's CPU goes, each phase timed alone on one thread.
struct FoldProfileBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold-profile",
        abstract: "Times a rebuild's phases one after another on one thread over an existing log (nothing is written).",
        discussion: "Each phase includes the ones before it: the figure after each is that phase's own cost per event. Build with -c release.")

    @Option(help: "The data directory of the log to fold (e.g. one kept by `registry --log`).")
    var log: String

    @Option(help: "The last phase to run: walk, envelopes, payloads, fold or encode (to profile one phase).")
    var through: String = "encode"

    func run() throws {
        let phases = ["walk", "envelopes", "payloads", "fold", "encode"]
        guard let last = phases.firstIndex(of: through) else { throw ValidationError("--through must be one of \(phases.joined(separator: ", "))") }
        let store = try EventStore(directory: log)
        defer { store.close() }
        let registry = try Registry(store: store)
        let p = try registry.profileFold(through: last)
        let n = Double(max(p.events, 1))
        func line(_ name: String, _ total: Double, _ before: Double) -> String {
            name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%7.2f s  %6.2f µs/event  (this phase %5.2f s, %5.2f µs/event)", total, total / n * 1e6, total - before, (total - before) / n * 1e6)
        }
        print("Fold profile, one thread, \(p.events) events (\(p.bytes / 1_000_000) MB stored)" + (last == 4 ? ", \(p.records) records" : ""))
        let figures = [("walk every stored byte", p.walk), ("+ read the envelopes", p.envelopes), ("+ decode the payloads", p.payloads),
                       ("+ fold into a session", p.fold), ("+ encode every record", p.encode)]
        for (i, (name, total)) in figures.enumerated() where i <= last {
            print(line(name, total, i == 0 ? 0 : figures[i - 1].1))
        }
    }
}
