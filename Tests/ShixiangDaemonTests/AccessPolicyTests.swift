import EventLog
import Foundation
import Registry
import ShixiangServer
import ShixiangTestSupport
import Testing
@testable import ShixiangDaemon

/// The access policy file, the matching of peers to principals, and the per-method rules.
@Suite struct AccessPolicyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let users: [String: UInt32] = ["root": 0, "shixiang": 990, "zhang": 1500]
    static let groups: [String: UInt32] = ["shixiang-review": 2500]

    static func parse(_ text: String) throws(PolicyError) -> AccessPolicy {
        try AccessPolicy.parse(Array(text.utf8), path: "p.json", lookUpUser: { users[$0] }, lookUpGroup: { groups[$0] })
    }

    static func peer(uid: UInt32, gid: UInt32, groups: [UInt32] = []) -> PeerCredentials {
        PeerCredentials(pid: 1, uid: uid, gid: gid, groups: groups)
    }

    @Test func theShippedExampleParsesAndNamesEveryRole() throws {
        let data = try Data(contentsOf: Self.repository.appending(path: "ops/policy.json.example"))
        let policy = try AccessPolicy.parse(Array(data), path: "ops/policy.json.example", lookUpUser: { Self.users[$0] }, lookUpGroup: { Self.groups[$0] })
        #expect(policy.entries.count == 9)
        #expect(Set(policy.entries.flatMap(\.principal.roles)) == Set(Role.allCases))
        let clerk = try #require(policy.principal(for: Self.peer(uid: 1001, gid: 1001)))
        #expect(clerk.roles == [.clerk] && clerk.unit == "11510000100000000W")
        #expect(policy.principal(for: Self.peer(uid: 990, gid: 990))?.roles == [.admin])
        #expect(policy.principal(for: Self.peer(uid: 1010, gid: 1010))?.gatewayUnits == ["11510000100000000W", "11510000200000000X"])
    }

    @Test func uidWinsOverGroupsAndGroupsMatchInFileOrder() throws {
        let policy = try Self.parse("""
            {"principals": [
              {"name": "审核组", "groups": ["shixiang-review"], "roles": ["reviewer"]},
              {"name": "审计组", "gids": [2600], "roles": ["auditor"]},
              {"name": "张三", "users": ["zhang"], "unit": "U1", "roles": ["clerk"]}
            ]}
            """)
        // zhang is in the review group too, but his uid entry wins.
        #expect(policy.principal(for: Self.peer(uid: 1500, gid: 1500, groups: [2500]))?.name == "张三")
        // By primary gid, by supplementary group, and the first entry in file order when both match.
        #expect(policy.principal(for: Self.peer(uid: 1700, gid: 2600))?.name == "审计组")
        #expect(policy.principal(for: Self.peer(uid: 1700, gid: 1700, groups: [100, 2600]))?.name == "审计组")
        #expect(policy.principal(for: Self.peer(uid: 1700, gid: 2600, groups: [2500]))?.name == "审核组")
        #expect(policy.principal(for: Self.peer(uid: 1700, gid: 1700, groups: [100])) == nil)
    }

    @Test(arguments: [
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["clerk"]}]}"#, "a clerk must name its \"unit\""),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["boss"]}]}"#, "unknown role \"boss\""),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": []}]}"#, "at least one role"),
        (#"{"principals": [{"name": "a", "roles": ["auditor"]}]}"#, "name at least one of"),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["auditor"]}, {"name": "b", "uids": [1], "roles": ["admin"]}]}"#, "uid 1 is already mapped to \"a\""),
        (#"{"principals": [{"name": "a", "gids": [5], "roles": ["auditor"]}, {"name": "b", "gids": [5], "roles": ["admin"]}]}"#, "gid 5 is already mapped to \"a\""),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["auditor"]}, {"name": "a", "uids": [2], "roles": ["admin"]}]}"#, "the name is used twice"),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["auditor"], "units": ["U"]}]}"#, "only a gateway has \"units\""),
        (#"{"principals": [{"name": "a", "uids": [1], "roles": ["auditor"], "uid": 3}]}"#, "unknown member \"uid\""),
        (#"{"principals": [{"name": "a", "uids": [-1], "roles": ["auditor"]}]}"#, "expected numeric ids"),
        (#"{"principals": [{"name": "a", "users": ["nobody-here"], "roles": ["auditor"]}]}"#, "there is no user named \"nobody-here\""),
        (#"{"principals": {}}"#, "\"principals\" must be an array"),
        (#"{"principals": [], "extra": 1}"#, "unknown member \"extra\""),
        (#"{"principals": [ "#, "not valid JSON"),
    ])
    func badPoliciesAreRefusedWithTheirPlace(text: String, message: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            guard let e = error as? PolicyError else { return false }
            return e.description.contains(message) && e.description.contains("p.json")
        }
    }

    @Test func withoutAFileOnlyTheOwnerIsServedAsAdmin() {
        let policy = AccessPolicy.ownerOnly(uid: 4242)
        #expect(policy.principal(for: Self.peer(uid: 4242, gid: 1))?.roles == [.admin])
        #expect(policy.principal(for: Self.peer(uid: 4243, gid: 4242)) == nil)
        #expect(policy.source.contains("4242"))
    }

    // MARK: - Grants

    static let clerkA = Principal(name: "A经办", roles: [.clerk], unit: "UA")
    static let reviewer = Principal(name: "审核", roles: [.reviewer])
    static let reform = Principal(name: "审改办", roles: [.reformOffice])
    static let auditor = Principal(name: "审计", roles: [.auditor])
    static let archivist = Principal(name: "档案", roles: [.archivist])
    static let gateway = Principal(name: "大厅", roles: [.gateway])
    static let admin = Principal(name: "运维", roles: [.admin])

    static func granted(_ method: String, _ p: Principal, actingFor: ActingFor? = nil) -> Grant? {
        if case .success(let g) = MethodAccess.grant(method, to: p, actingFor: actingFor) { return g }
        return nil
    }

    @Test func eachRoleIsRefusedOutsideItsRights() {
        // A clerk submits only for its own unit (bound to it), and may not review or forward.
        #expect(Self.granted("adjustment.submit", Self.clerkA)?.unit == "UA")
        #expect(Self.granted("adjustment.approve", Self.clerkA) == nil)
        #expect(Self.granted("filing.forward", Self.clerkA) == nil)
        #expect(Self.granted("audit.replay", Self.clerkA) == nil)
        // A reviewer reviews, but does not submit or register units.
        #expect(Self.granted("adjustment.approve", Self.reviewer)?.unit == nil)
        #expect(Self.granted("adjustment.submit", Self.reviewer) == nil)
        #expect(Self.granted("unit.register", Self.reviewer) == nil)
        // Auditors read, replay and verify; they write nothing.
        for m in ["audit.replay", "audit.verify", "events.read", "catalogue.get", "admin.checkProjections"] {
            #expect(Self.granted(m, Self.auditor) != nil, "\(m)")
        }
        for m in ["adjustment.submit", "adjustment.approve", "unit.register", "archive.export", "events.append", "admin.rebuild", "calendar.publish"] {
            #expect(Self.granted(m, Self.auditor) == nil, "\(m)")
        }
        // The reform office's own acts, and a rectification without a unit limit.
        for m in ["unit.register", "filing.forward", "supervision.notice", "calendar.publish", "catalogue.import", "supervision.rectify"] {
            #expect(Self.granted(m, Self.reform)?.unit == nil, "\(m)")
        }
        #expect(Self.granted("adjustment.submit", Self.reform) == nil)
        #expect(Self.granted("archive.export", Self.archivist) != nil)
        #expect(Self.granted("archive.export", Self.reform) == nil)
        // Admin may do everything, even a method the table does not know.
        #expect(Self.granted("admin.rebuild", Self.admin) != nil)
        #expect(Self.granted("no.such.method", Self.admin) != nil)
        #expect(Self.granted("no.such.method", Self.reform) == nil)
    }

    @Test func aGatewayReadsAndActsOnlyForTheUnitItNamed() {
        #expect(Self.granted("catalogue.list", Self.gateway) != nil)
        guard case .failure(let denial) = MethodAccess.grant("adjustment.submit", to: Self.gateway, actingFor: nil) else {
            Issue.record("a gateway submitted without naming a unit")
            return
        }
        #expect(denial.reason.contains("gateway.actFor"))
        let acting = ActingFor(unit: "UB", person: "张三")
        let g = Self.granted("adjustment.submit", Self.gateway, actingFor: acting)
        #expect(g?.unit == "UB" && g?.actingFor == acting)
        #expect(Self.granted("adjustment.approve", Self.gateway, actingFor: acting) == nil)
        #expect(Self.granted("gateway.actFor", Self.gateway) != nil)
        #expect(Self.granted("gateway.actFor", Self.clerkA) == nil)
    }

    // MARK: - Every method has a rule, and the documentation says the same

    static func servedMethods() throws -> Set<String> {
        let dir = try TemporaryDirectory("acc")
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        let store = try EventStore(directory: dir.file("data"))
        defer { store.close() }
        let registry = try Registry(store: store)
        let table = Daemon.methodTable(store: store, registry: registry, server: ServerConfiguration(socketPath: dir.file("s")),
                                       connections: ConnectionRegistry(), policy: PolicyStore(.ownerOnly()))
        return Set(table.methods.keys)
    }

    @Test func everyServedMethodHasARuleAndNoRuleIsStale() throws {
        let served = try Self.servedMethods()
        #expect(served.subtracting(MethodAccess.rules.keys).sorted() == [], "methods without an access rule")
        #expect(Set(MethodAccess.rules.keys).subtracting(served).sorted() == [], "rules for methods nobody serves")
    }

    @Test func opsAccessDocumentListsEveryRuleAsTheDaemonHasIt() throws {
        let text = try String(contentsOf: Self.repository.appending(path: "ops/ACCESS.md"), encoding: .utf8)
        var documented: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let method = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            guard method.contains(".") else { continue }  // the roles table
            let who = cells[1]
            if who == "everyone the policy knows" {
                documented[method] = Set(Role.allCases.map(\.rawValue))
            } else if who == "admin only" {
                documented[method] = []
            } else {
                documented[method] = Set(who.split(separator: ",").map { $0.split(separator: "(")[0].trimmingCharacters(in: .whitespaces) })
            }
        }
        var expected: [String: Set<String>] = [:]
        for (method, rule) in MethodAccess.rules {
            var roles = Set(rule.roles.map(\.rawValue))
            if rule.roles.contains(.clerk) { roles.insert(Role.gateway.rawValue) }
            expected[method] = roles
        }
        #expect(documented == expected)
    }
}
