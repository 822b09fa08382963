import ArgumentParser
import Foundation
import ShixiangJSON

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Have the daemon write a consistent, compacted copy of the whole database to a new file, while it keeps serving.",
        discussion: """
            The daemon writes the file, so --out is a path on its machine in a directory its user may write; \
            a relative --out is taken from this shell's working directory. An existing file is never overwritten. \
            To restore, stop the daemon and put the file as data.mdb of an empty data directory (ops/BACKUP.md).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The new backup file (e.g. /var/backups/shixiang/shixiang-20261124.mdb).")
    var out: String

    func validate() throws {
        guard !out.isEmpty, !out.hasSuffix("/") else { throw ValidationError("--out must name a file, not a directory.") }
    }

    func run() throws {
        let path = out.hasPrefix("/") ? out : FileManager.default.currentDirectoryPath + "/" + out
        let r = try global.withClient { try $0.call("system.backup", ["path": .string(path)]) }
        if global.json { return global.printJSON(r) }
        let bytes = Double(r["bytes"]?.intValue ?? 0)
        let size = bytes < 1_048_576 ? String(format: "%.0f KiB", bytes / 1024) : String(format: "%.1f MiB", bytes / 1_048_576)
        print("Backup written to \(r["path"]?.stringValue ?? path): \(size), "
              + "log up to seq \(r["head"]?["seq"]?.intValue ?? 0) (hash \(r["head"]?["hash"]?.stringValue ?? "?")).")
    }
}
