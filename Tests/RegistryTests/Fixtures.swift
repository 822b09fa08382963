import EventLog
import ShixiangCodes
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

func creditCode(_ n: Int) -> String { RegistryFixtures.creditCode(n) }
func catalogueElements(_ name: String, type: String = "01") -> JSONValue { RegistryFixtures.catalogueElements(name, type: type) }
func implementationFields(promised: Int = 10, statutory: Int = 20) -> JSONValue {
    RegistryFixtures.implementationFields(promised: promised, statutory: statutory)
}

let evidence = [Evidence(name: "决定.pdf", sha256: String(repeating: "ab", count: 32), size: 1024)]

/// A registry on a fresh log, with the units most tests need.
struct World {
    let dir: TemporaryDirectory
    let store: EventStore
    let registry: Registry
    let department = creditCode(1)
    let township = creditCode(2)
    let otherDepartment = creditCode(3)
    let actor: JSONValue = ["uid": 0]

    init(clock: LogClock = .system) async throws {
        dir = try TemporaryDirectory("reg")
        store = try EventStore(directory: dir.path, clock: clock)
        registry = try Registry(store: store)
        _ = try await registry.registerUnit(code: department, name: "区市场监管局", kind: "districtDepartment", level: "4", guidingUnit: nil, actor: actor)
        _ = try await registry.registerUnit(code: township, name: "某某镇人民政府", kind: "township", level: "5", guidingUnit: department, actor: actor)
        _ = try await registry.registerUnit(code: otherDepartment, name: "区教育局", kind: "districtDepartment", level: "4", guidingUnit: nil, actor: actor)
    }

    func proposal(_ list: AdjustmentList, _ kind: String, target: String, changes: JSONValue, unit: String? = nil) -> AdjustmentProposal {
        AdjustmentProposal(unit: unit ?? department, list: list, kind: kind, target: target, changes: changes,
                           basis: "《国务院关于取消和下放一批行政许可事项的决定》", reason: "依法调整", evidence: evidence)
    }

    /// Submits and approves; returns the approved adjustment.
    @discardableResult
    func approved(_ p: AdjustmentProposal) async throws -> AdjustmentRecord {
        let a = try await registry.submit(p, actor: actor)
        return try await registry.approve(id: a.id, actor: actor)
    }

    /// Adds catalogue item `code` through an approved adjustment.
    func addItem(_ code: String, _ name: String) async throws {
        try await approved(proposal(.catalogue, "add", target: code, changes: ["elements": catalogueElements(name)]))
    }
}

/// The registry error a call fails with.
func registryError(_ body: () async throws -> Any) async -> RegistryError? {
    do { _ = try await body(); return nil } catch let e as RegistryError { return e } catch { return nil }
}
