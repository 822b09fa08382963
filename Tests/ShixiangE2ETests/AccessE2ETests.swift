import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// Access control through the real socket: the daemon runs with a policy file, and the CLI (the
/// client library's other user) runs as other users through `setpriv`, so the kernel reports a
/// different uid, gid and supplementary groups for each principal.
@Suite struct AccessE2ETests {
    /// A peer identity: the uid, primary gid and supplementary groups the CLI runs with.
    struct Peer {
        var uid: UInt32
        var gid: UInt32
        var groups: [UInt32] = []
    }

    static let clerkA = Peer(uid: 4101, gid: 4101)
    static let clerkB = Peer(uid: 4102, gid: 4102)
    static let reviewer = Peer(uid: 4103, gid: 4200)                 // matched by its primary group
    static let reform = Peer(uid: 4104, gid: 4104, groups: [4300])     // matched by a supplementary group
    static let auditor = Peer(uid: 4105, gid: 4105)
    static let archivist = Peer(uid: 4106, gid: 4106)
    static let gateway = Peer(uid: 4110, gid: 4110)
    static let stranger = Peer(uid: 4999, gid: 4999)

    static let unitA = unitCode(1), unitB = unitCode(2), unitC = unitCode(3)

    static func policy(extra: String = "") -> String {
        """
        {"principals": [
          {"name": "运维", "uids": [0], "roles": ["admin"]},
          {"name": "A经办", "uids": [4101], "unit": "\(unitA)", "roles": ["clerk"]},
          {"name": "B经办", "uids": [4102], "unit": "\(unitB)", "roles": ["clerk"]},
          {"name": "行政服务中心", "gids": [4200], "roles": ["reviewer"]},
          {"name": "审改办", "gids": [4300], "roles": ["reform-office"]},
          {"name": "审计", "uids": [4105], "roles": ["auditor"]},
          {"name": "档案馆", "uids": [4106], "roles": ["archivist"]},
          {"name": "网上大厅", "uids": [4110], "roles": ["gateway"], "units": ["\(unitA)", "\(unitC)"]}\(extra)
        ]}
        """
    }

    /// The daemon with the policy, its socket open to every user (the policy alone decides), and a
    /// copy of the CLI that other users can execute.
    struct World {
        let daemon: DaemonProcess
        let cli: String
        let policyFile: String

        /// - Parameter policy: the policy file's text; `nil` runs the daemon without one.
        init(policy: String? = AccessE2ETests.policy()) async throws {
            let setup = try TemporaryDirectory("acc")
            chmod(setup.path, 0o755)
            policyFile = setup.file("policy.json")
            var config = "socket-mode = 0666\n"
            if let policy {
                try policy.write(toFile: policyFile, atomically: true, encoding: .utf8)
                config += "policy = \(policyFile)\n"
            }
            let conf = setup.file("d.conf")
            try config.write(toFile: conf, atomically: true, encoding: .utf8)
            cli = setup.file("shixiang")
            try FileManager.default.copyItem(atPath: try BuiltProducts.executable("shixiang"), toPath: cli)
            chmod(cli, 0o755)
            daemon = try await DaemonProcess(label: "acc", arguments: ["--config", conf], start: false)
            chmod(daemon.directory.path, 0o755)
            try await daemon.start()
            setupDirectory = setup
        }
        /// Kept alive with the world: the policy, the config and the CLI copy live there.
        private let setupDirectory: TemporaryDirectory

        /// Runs `shixiang ARGS --json` as `peer`.
        func run(_ peer: Peer, _ args: [String]) async throws -> CommandRun {
            let groups = peer.groups.isEmpty ? "--clear-groups" : "--groups=\(peer.groups.map(String.init).joined(separator: ","))"
            return try await CommandRun.run("/usr/bin/setpriv", ["--reuid=\(peer.uid)", "--regid=\(peer.gid)", groups, "--", cli]
                                            + args + ["--socket", daemon.socketPath, "--json"])
        }

        /// Calls `method` as `peer`: the result, or the error object.
        func call(_ peer: Peer, _ method: String, _ params: JSONValue = [:], extra: [String] = []) async throws -> (ok: Bool, value: JSONValue) {
            let r = try await run(peer, ["call", method, params.compactString] + extra)
            let out = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let value = out.isEmpty ? JSONValue.null : try JSONValue.parse(out)
            if r.status == 0 { return (true, value) }
            #expect(r.status == 1, "exit \(r.status) for \(method): \(r.stderr)")
            return (false, value["error"] ?? .null)
        }

        /// Expects `method` refused to `peer` with `code`, its message containing `words`.
        func expectRefused(_ peer: Peer, _ method: String, _ params: JSONValue = [:], code: Int = RPCErrorCode.permissionDenied,
                           saying words: String, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let (ok, error) = try await call(peer, method, params, extra: extra)
            #expect(!ok, "\(method) was allowed to uid \(peer.uid)", sourceLocation: sourceLocation)
            #expect(error["code"]?.intValue == Int64(code), "\(error)", sourceLocation: sourceLocation)
            #expect(error["message"]?.stringValue?.contains(words) == true, "\(error)", sourceLocation: sourceLocation)
        }

        func expectAllowed(_ peer: Peer, _ method: String, _ params: JSONValue = [:], extra: [String] = [],
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
            let (ok, value) = try await call(peer, method, params, extra: extra)
            #expect(ok, "\(method) refused to uid \(peer.uid): \(value)", sourceLocation: sourceLocation)
            return value
        }
    }

    /// These tests connect as other users: they need root (to switch) and setpriv (util-linux).
    static func canActAsOtherUsers() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), getuid() == 0 else {
            Issue.record("this test needs root and setpriv (util-linux) to connect as other users")
            return false
        }
        return true
    }

    static func unit(_ code: String, _ name: String) -> JSONValue {
        ["code": .string(code), "name": .string(name), "kind": "districtDepartment", "level": "4"]
    }

    @Test func eachRoleActsWithinItsRightsAndIsRefusedOutsideThem() async throws {
        guard Self.canActAsOtherUsers() else { return }
        let w = try await World()
        let (a, b, c) = (Self.unitA, Self.unitB, Self.unitC)

        // A stranger gets nothing, not even a ping; the message says who it is and what to do.
        try await w.expectRefused(Self.stranger, "system.ping", code: RPCErrorCode.unknownPeer, saying: "uid 4999 gid 4999")

        // The reform office (by a supplementary group) registers units; a clerk may not.
        let who = try await w.expectAllowed(Self.reform, "system.whoami")
        #expect(who["principal"] == "审改办" && who["roles"] == ["reform-office"] && who["peer"]?["groups"] == [4300])
        for (code, name) in [(a, "区市场监管局"), (b, "区教育局"), (c, "区卫健委")] {
            _ = try await w.expectAllowed(Self.reform, "unit.register", Self.unit(code, name))
        }
        try await w.expectRefused(Self.clerkA, "unit.register", Self.unit(unitCode(9), "区某局"), saying: "it needs the role reform-office")

        // A clerk submits for its own unit, never for another.
        let adj = try await w.expectAllowed(Self.clerkA, "adjustment.submit", submission(a, "catalogue", "add", "000104002000", ["elements": elements]))
        let id = try #require(adj["id"]?.stringValue)
        try await w.expectRefused(Self.clerkA, "adjustment.submit", submission(b, "catalogue", "add", "000104003000", ["elements": elements]),
                                  saying: "A经办 is a clerk of unit \(a) and may not submit adjustments for unit \(b)")
        // Nor touches another unit's adjustment.
        try await w.expectRefused(Self.clerkB, "adjustment.resubmit", ["id": .string(id), "reason": "改"], saying: "may not resubmit adjustments for unit \(a)")

        // Review belongs to the service centre (matched by its primary gid).
        try await w.expectRefused(Self.clerkA, "adjustment.approve", ["id": .string(id)], saying: "it needs the role reviewer")
        try await w.expectRefused(Self.auditor, "adjustment.approve", ["id": .string(id)], saying: "审计 (auditor) may not call adjustment.approve")
        let approved = try await w.expectAllowed(Self.reviewer, "adjustment.approve", ["id": .string(id)])
        #expect(approved["status"] == "approved")

        // Publication and filing are the unit's; forwarding the reform office's.
        try await w.expectRefused(Self.clerkB, "adjustment.publish", ["id": .string(id), "channels": ["政务服务平台"]], saying: "may not publish adjustments for unit \(a)")
        _ = try await w.expectAllowed(Self.clerkA, "adjustment.publish", ["id": .string(id), "channels": ["政务服务平台"]])
        try await w.expectRefused(Self.clerkB, "filing.submit", ["unit": .string(a), "adjustments": [.string(id)]], saying: "may not file adjustments for unit \(a)")
        let filing = try await w.expectAllowed(Self.clerkA, "filing.submit", ["unit": .string(a), "adjustments": [.string(id)]])
        try await w.expectRefused(Self.clerkA, "filing.forward", ["id": filing["id"] ?? .null], saying: "it needs the role reform-office")
        _ = try await w.expectAllowed(Self.reform, "filing.forward", ["id": filing["id"] ?? .null])

        // Auditors read, replay and verify, and write nothing.
        let verified = try await w.expectAllowed(Self.auditor, "audit.verify")
        #expect(verified["ok"] == true)
        _ = try await w.expectAllowed(Self.auditor, "audit.replay", ["asOf": "2020-01-01T00:00:00.000000Z"])
        try await w.expectRefused(Self.auditor, "events.append", ["stream": "notes/x", "events": [["type": "note.v1", "data": [:]]]], saying: "only admin may call it")
        try await w.expectRefused(Self.auditor, "calendar.publish", ["year": 2027], saying: "it needs the role reform-office")
        try await w.expectRefused(Self.auditor, "archive.export", ["directory": "/tmp"], saying: "it needs the role archivist")
        try await w.expectRefused(Self.clerkA, "audit.replay", ["asOf": "2020-01-01T00:00:00.000000Z"], saying: "it needs the role")
        // Everyone known reads the public registry.
        let ledger = try await w.expectAllowed(Self.clerkB, "ledger.get", ["unit": .string(a)])
        #expect(ledger["adjustments"]?.arrayValue?.count == 1)

        // A gateway reads, must name the unit it acts for before acting, and only units it may.
        _ = try await w.expectAllowed(Self.gateway, "catalogue.get", ["code": "000104002000"])
        try await w.expectRefused(Self.gateway, "adjustment.submit", submission(c, "catalogue", "add", "000104003000", ["elements": elements]),
                                  saying: "a gateway must first name the unit it acts for (gateway.actFor)")
        try await w.expectRefused(Self.gateway, "system.ping", saying: "does not let 网上大厅 act for unit \(b)", extra: ["--act-for", b])
        try await w.expectRefused(Self.gateway, "adjustment.submit", submission(a, "catalogue", "add", "000104003000", ["elements": elements]),
                                  saying: "网上大厅 is acting for unit \(c) and may not submit adjustments for unit \(a)", extra: ["--act-for", c])
        let viaGateway = try await w.expectAllowed(Self.gateway, "adjustment.submit",
                                                   submission(c, "catalogue", "add", "000104003000", ["elements": elements]),
                                                   extra: ["--act-for", c, "--person", "张三"])
        try await w.expectRefused(Self.gateway, "adjustment.approve", ["id": viaGateway["id"] ?? .null], saying: "it needs the role reviewer",
                                  extra: ["--act-for", c])

        // Every event records who acted: the peer, its principal and roles, and for the gateway the unit and person too.
        let events = try await w.daemon.withClient { try await allEvents($0) }
        let submitted = try #require(events.first { $0["stream"]?.stringValue == "adjustment/\(id)" })
        #expect(submitted["actor"]?["uid"] == 4101 && submitted["actor"]?["principal"] == "A经办")
        #expect(submitted["actor"]?["roles"] == ["clerk"] && submitted["actor"]?["unit"] == .string(a))
        let approval = try #require(events.first { $0["stream"]?.stringValue == "adjustment/\(id)" && $0["type"]?.stringValue?.contains("approved") == true })
        #expect(approval["actor"]?["principal"] == "行政服务中心" && approval["actor"]?["gid"] == 4200)
        let gatewayEvent = try #require(events.first { $0["stream"]?.stringValue == "adjustment/\(viaGateway["id"]?.stringValue ?? "")" })
        #expect(gatewayEvent["actor"]?["uid"] == 4110 && gatewayEvent["actor"]?["principal"] == "网上大厅")
        #expect(gatewayEvent["actor"]?["onBehalfOf"] == ["unit": .string(c), "person": "张三"])
    }

    @Test func sighupReloadsThePolicyAndABrokenFileKeepsTheOldOne() async throws {
        guard Self.canActAsOtherUsers() else { return }
        let w = try await World()
        let pid = try #require(w.daemon.process?.processIdentifier)
        try await w.expectRefused(Self.stranger, "system.ping", code: RPCErrorCode.unknownPeer, saying: "not in the daemon's access policy")

        // A broken file is reported and changes nothing.
        try "{\"principals\": [".write(toFile: w.policyFile, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        try await waitFor { w.daemon.log.contains("access policy not reloaded") }
        _ = try await w.expectAllowed(Self.auditor, "system.ping")

        // A good one takes effect on the next request.
        try Self.policy(extra: #",{"name": "新审计", "uids": [4999], "roles": ["auditor"]}"#).write(toFile: w.policyFile, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        try await waitFor { w.daemon.log.contains("access policy reloaded") }
        let who = try await w.expectAllowed(Self.stranger, "system.whoami")
        #expect(who["principal"] == "新审计" && who["roles"] == ["auditor"])
    }

    @Test func withoutAPolicyOnlyTheDaemonsOwnUserIsServed() async throws {
        guard Self.canActAsOtherUsers() else { return }
        let w = try await World(policy: nil)
        let daemon = w.daemon
        #expect(daemon.log.contains("no access policy file configured: serving only uid 0"))
        // A reload (SIGHUP, as `systemctl reload` sends) without a policy file does not stop the daemon.
        let pid = try #require(daemon.process?.processIdentifier)
        kill(pid, SIGHUP)
        try await waitFor { daemon.log.contains("nothing to reload") }
        #expect(try await daemon.withClient { try await $0.call("system.ping") }["version"] != nil)
        let me = try await daemon.withClient { try await $0.call("system.whoami") }
        #expect(me["principal"] == "owner" && me["roles"] == ["admin"])
        let other = try await w.run(Self.clerkA, ["ping"])
        #expect(other.status == 1 && other.stderr.contains("Unknown peer: uid 4101"))
    }
}

/// Polls `condition` for up to ten seconds.
func waitFor(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TestSupportError("condition not met within 10 s") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
