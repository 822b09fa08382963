import EventLog
import ShixiangCodes
import ShixiangJSON
import ShixiangTestSupport
@testable import Registry

/// A valid unified social credit code numbered `n` (check digit computed).
func creditCode(_ n: Int) -> String {
    let body = "11510000" + String(String(n).reversed()).padding(toLength: 9, withPad: "0", startingAt: 0)
    return (try? UnifiedSocialCreditCode.make(first17: body).description) ?? ""
}

/// The 9 directory elements of a catalogue item.
func catalogueElements(_ name: String, type: String = "01") -> JSONValue {
    [
        "name": .string(name), "itemType": .string(type), "content": "依申请办理",
        "implementingBody": "区市场监管局", "serviceObject": ["2"],
        "theme": .string(DirectoryElement.legalPersonThemes[0]), "legalBasis": "《中华人民共和国行政许可法》",
        "handlingForm": ["1", "2"], "isPublic": true,
    ]
}

/// A complete set of implementation fields (name, type and basis come from the catalogue).
func implementationFields(promised: Int = 10, statutory: Int = 20) -> JSONValue {
    [
        "content": "受理、审查、决定", "implementingBody": "区市场监管局", "bodyNature": "1",
        "statutoryTimeLimit": ["value": .int(Int64(statutory)), "unit": "workingDays"],
        "acceptanceConditions": "申请人具备法定条件", "materials": [["name": "申请书"]],
        "jointBodies": "无", "procedure": ["steps": [["name": "受理"], ["name": "决定"]]],
        "quantityLimit": "无", "resultName": "许可证", "resultSample": "样本见附件",
        "serviceObject": ["2"], "caseType": "2",
        "promisedTimeLimit": ["value": .int(Int64(promised)), "unit": "workingDays"],
        "handlingForm": ["1", "2"], "supportsAppointment": true, "supportsOnlinePayment": false, "supportsDelivery": true,
        "operatingSystemLevel": "3", "place": "区政务服务中心一楼", "hours": "工作日9:00-17:00",
        "enquiryPhone": "0826-2345678", "faq": [["question": "需要几天？", "answer": "10个工作日"]],
        "complaintPhone": "12345", "chargesFee": false,
    ]
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

    init() async throws {
        dir = try TemporaryDirectory("reg")
        store = try EventStore(directory: dir.path)
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
