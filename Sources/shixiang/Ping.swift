import ArgumentParser

struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the daemon answers; show its version and the log head.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if global.json { return global.printJSON(try global.withClient { try $0.call("system.ping") }) }
        let ping = try global.withClient { try $0.ping() }
        print("shixiangd \(ping.version) is up at \(global.socketPath)")
        print("head: seq \(ping.headSeq), hash \(ping.headHash)")
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show event count, storage size, connections and uptime.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let r = try global.withClient { try $0.call("system.stats") }
        if global.json { return global.printJSON(r) }
        func mib(_ key: String) -> String {
            String(format: "%.1f MiB", Double(r[key]?.intValue ?? 0) / 1_048_576)
        }
        print("events:       \(r["events"]?.intValue ?? 0)")
        print("head:         seq \(r["head"]?["seq"]?.intValue ?? 0), hash \(r["head"]?["hash"]?.stringValue ?? "?")")
        print("data:         \(mib("dataBytes")) used of a \(mib("mapSize")) map")
        print("connections:  \(r["connections"]?.intValue ?? 0)")
        print("uptime:       \(String(format: "%.0f", r["uptimeSeconds"]?.doubleValue ?? 0)) s")
        print("version:      \(r["version"]?.stringValue ?? "?")")
    }
}

struct WhoAmI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the daemon takes you for: your uid and groups, principal, roles and unit.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let r = try global.withClient { try $0.call("system.whoami") }
        if global.json { return global.printJSON(r) }
        let peer = r["peer"]
        let groups = peer?["groups"]?.arrayValue?.compactMap(\.intValue).map(String.init).joined(separator: ",") ?? ""
        print("peer:       uid \(peer?["uid"]?.intValue ?? -1), gid \(peer?["gid"]?.intValue ?? -1)\(groups.isEmpty ? "" : ", groups \(groups)")")
        print("principal:  \(r["principal"]?.stringValue ?? "?")")
        print("roles:      \(r["roles"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? "")")
        if let unit = r["unit"]?.stringValue { print("unit:       \(unit)") }
        if let acting = r["actingFor"], let unit = acting["unit"]?.stringValue {
            print("acting for: \(unit)\(acting["person"]?.stringValue.map { " (\($0))" } ?? "")")
        }
        print("policy:     \(r["policy"]?.stringValue ?? "?")")
    }
}
