import ArgumentParser
import Foundation
import ShixiangJSON

/// `shixiang archive export|verify`: electronic records (电子档案) out of the log.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Export the log as BagIt bags of electronic records, and check bags after DA/T 70.",
        subcommands: [ArchiveExportCommand.self, ArchiveVerifyCommand.self])
}

struct ArchiveExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write events since the last export (or from --from) as one bag in the daemon's directory --out.",
        discussion: "The daemon writes the bag, so --out is a directory on its machine that it may write. An interrupted export leaves only a .partial directory; run it again.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The directory the bag is written into (absolute, on the daemon's machine).")
    var out: String

    @Option(help: "Export from this position instead of continuing after the last export.")
    var from: UInt64?

    @Option(help: "The archive's name for the records' provenance (全宗名称).")
    var organization: String?

    func validate() throws {
        guard out.hasPrefix("/") else { throw ValidationError("--out must be an absolute path (the daemon resolves it, not this shell).") }
        if let from, from < 1 { throw ValidationError("--from must be at least 1.") }
    }

    func run() throws {
        var params: [String: JSONValue] = ["out": .string(out)]
        if let from { params["fromSeq"] = .int(Int64(from)) } else { params["sinceLast"] = true }
        if let organization { params["organization"] = .string(organization) }
        let r = try global.withClient { client in
            try client.call("archive.export", .object(params)) { note in
                guard let done = note.params["done"]?.intValue, let total = note.params["total"]?.intValue else { return }
                Output.progress("exporting: \(done) of \(total) events")
            }
        }
        Output.endProgress()
        if global.json { return global.printJSON(r) }
        print("Wrote \(r["path"]?.stringValue ?? "?"): events \(r["fromSeq"]?.intValue ?? 0)–\(r["toSeq"]?.intValue ?? 0) "
              + "(\(r["events"]?.intValue ?? 0) events, \(r["cases"]?.intValue ?? 0) adjustment cases, \(r["payloadBytes"]?.intValue ?? 0) bytes).")
    }
}

struct ArchiveVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a bag after DA/T 70: authenticity, integrity, usability, security, and its chain against the log. Exit 2 on any failure.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The bag's directory (absolute, as the daemon sees it).")
    var path: String

    @Option(help: "The bag exported before this one: check that this one continues it without gap or overlap.")
    var previous: String?

    func run() throws {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var params: [String: JSONValue] = ["path": .string(absolute)]
        if let previous { params["previous"] = .string(previous.hasPrefix("/") ? previous : FileManager.default.currentDirectoryPath + "/" + previous) }
        let request = JSONValue.object(params)
        let r = try global.withClient { try $0.call("archive.verify", request) }
        if global.json {
            global.printJSON(r)
        } else {
            let names = ["authenticity": "真实性", "integrity": "完整性", "usability": "可用性", "security": "安全性"]
            for c in r["checks"]?.arrayValue ?? [] {
                let mark = c["passed"]?.boolValue == true ? "✓" : "✗"
                let property = names[c["property"]?.stringValue ?? ""] ?? ""
                print("\(mark) \(property) \(c["id"]?.stringValue ?? ""): \(c["message"]?.stringValue ?? "")")
            }
            print(r["passed"]?.boolValue == true ? "The bag passes every check." : "The bag FAILS: see the ✗ lines above.")
        }
        if r["passed"]?.boolValue != true { throw ExitCode(2) }
    }
}
