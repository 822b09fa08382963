import ArgumentParser
import ShixiangJSON

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the log's hash chain and check every index entry.",
        discussion: "Exits 0 when everything agrees, 2 at the first damaged event (named with the check that failed).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "First position to check (default 1).")
    var from: UInt64 = 1

    @Option(name: .long, help: "Last position to check (default: the head).")
    var to: UInt64?

    @Option(name: .long, help: "Events checked per request, for progress on long logs.")
    var chunk: UInt64 = 100_000

    func validate() throws {
        guard from >= 1 else { throw ValidationError("--from must be at least 1.") }
        if let to, to < from { throw ValidationError("--to must not be before --from.") }
        guard chunk >= 1 else { throw ValidationError("--chunk must be at least 1.") }
    }

    func run() throws {
        let result: JSONValue = try global.withClient { client in
            let head = UInt64(try client.call("system.ping")["head"]?["seq"]?.intValue ?? 0)
            let end = min(to ?? head, head)
            // Whole log in one request (it also checks index counts); chunked only for progress on long logs.
            if end <= chunk || from > end {
                return try client.call("audit.verify", ["fromSeq": .int(Int64(from)), "toSeq": .int(Int64(max(end, from)))])
            }
            var start = from
            var checked: Int64 = 0
            var last: JSONValue = .null
            while start <= end {
                let stop = min(start + chunk - 1, end)
                Output.progress("verifying \(start)–\(stop) of \(end)…")
                last = try client.call("audit.verify", ["fromSeq": .int(Int64(start)), "toSeq": .int(Int64(stop))])
                checked += last["checked"]?.intValue ?? 0
                if last["ok"]?.boolValue != true { break }
                start = stop + 1
            }
            Output.endProgress()
            guard case .object(var object) = last else { return last }
            object["fromSeq"] = .int(Int64(from))
            object["checked"] = .int(checked)
            return .object(object)
        }
        if global.json {
            global.printJSON(result)
        } else if result["ok"]?.boolValue == true {
            let checked = result["checked"]?.intValue ?? 0
            print(checked == 0 ? "Nothing to verify: the log is empty." :
                  "OK: \(checked) event\(checked == 1 ? "" : "s") verified (seq \(result["fromSeq"]?.intValue ?? 0)–\(result["toSeq"]?.intValue ?? 0)); hashes, links and index entries agree.")
            print("head: seq \(result["head"]?["seq"]?.intValue ?? 0), hash \(result["head"]?["hash"]?.stringValue ?? "?")")
        } else {
            let f = result["failure"]
            print("DAMAGED at seq \(f?["seq"]?.intValue ?? 0) (\(f?["check"]?.stringValue ?? "?") check): \(f?["message"]?.stringValue ?? "")")
        }
        if result["ok"]?.boolValue != true { throw ExitCode(2) }
    }
}
