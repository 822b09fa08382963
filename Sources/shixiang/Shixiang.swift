import ArgumentParser

/// `shixiang`: the command-line client of the registry daemon.
@main
struct Shixiang: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shixiang",
        abstract: "Talk to the Shixiang registry daemon (shixiangd).",
        discussion: """
            Every command reaches the daemon over its Unix socket: --socket PATH, or SHIXIANG_SOCKET, \
            or the daemon's default path. Output is for people; add --json for one JSON document \
            (or one per line when following) for scripts.

            Registry: unit (register, rename, dissolve, zero reports), adjust (submit → return/resubmit → \
            approve → publish → archive), file (filing with the reform office, forwarding), catalogue \
            (基本目录), entries (实施清单), ledger (a unit's 台账), and call for any method as raw JSON. \
            Dates are shown in China Standard Time.

            Exit codes: 0 done; 1 the daemon refused the request (the message says why); \
            2 verification found damage; 64 wrong usage; 69 the daemon cannot be reached; \
            70 the daemon's answer made no sense.
            """,
        subcommands: [Ping.self, Stats.self, WhoAmI.self, Backup.self, Append.self, Read.self, Tail.self, Verify.self, Rebuild.self,
                      UnitCommand.self, AdjustCommand.self, FileCommand.self, CatalogueCommand.self, EntriesCommand.self,
                      LedgerCommand.self, CallCommand.self, Import.self, Export.self, DeadlinesCommand.self, OverdueCommand.self, ArchiveCommand.self])
}
