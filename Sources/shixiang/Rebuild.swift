import ArgumentParser
import Foundation

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the catalogue, implementation lists and ledgers from the log (with progress).",
        discussion: "The log is the only source of truth: this replays it from the first event. Changes wait during the final write; reads go on. --check only compares.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Only check: fold the log and list the stored records that differ (exit 2 if any).")
    var check = false

    func run() throws {
        if check {
            let r = try global.withClient { try $0.call("admin.checkProjections") }
            if global.json { global.printJSON(r) } else if r["ok"]?.boolValue == true {
                print("OK: the projections equal a replay of \(r["events"]?.intValue ?? 0) events (\(r["records"]?.intValue ?? 0) records).")
            } else {
                let differences = r["differences"]?.arrayValue ?? []
                print("\(differences.count) stored record\(differences.count == 1 ? "" : "s") differ from a replay of the log:")
                for d in differences.prefix(50) { print("  \(d.stringValue ?? "")") }
                print("Run `shixiang rebuild` to restore them from the log.")
            }
            if r["ok"]?.boolValue != true { throw ExitCode(2) }
            return
        }
        let r = try global.withClient { client in
            try client.call("admin.rebuild") { note in
                guard note.method == "admin.progress", let done = note.params["done"]?.intValue, let total = note.params["total"]?.intValue else { return }
                let percent = total > 0 ? Int(Double(done) / Double(total) * 100) : 100
                Output.progress("replaying the log: \(done) of \(total) events (\(percent)%)")
            }
        }
        Output.endProgress()
        if global.json { return global.printJSON(r) }
        print("Rebuilt the projections from \(r["events"]?.intValue ?? 0) events: \(r["records"]?.intValue ?? 0) records in \(r["seconds"]?.doubleValue ?? 0) s (\(r["eventsPerSecond"]?.intValue ?? 0) events/s).")
    }
}
