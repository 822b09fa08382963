import EventLog
import Registry
import ShixiangJSON
import ShixiangRPC

/// `adjustment.*` and `filing.*`: the adjustment procedure.
enum AdjustmentMethods {
    struct EvidenceParam: Decodable, Sendable {
        var name: String, sha256: String, size: Int64
        enum CodingKeys: String, CodingKey, CaseIterable { case name, sha256, size }
        init(from decoder: any Decoder) throws {
            try rejectUnknownMembers(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            sha256 = try c.decode(String.self, forKey: .sha256)
            size = try c.decode(Int64.self, forKey: .size)
        }
        var evidence: Evidence { Evidence(name: name, sha256: sha256, size: size) }
    }

    struct SubmitParams: RPCParams {
        static let fields: Set<String> = ["unit", "list", "kind", "target", "changes", "basis", "reason", "evidence", "effectiveAt"]
        var unit: String, list: String, kind: String, target: String, changes: JSONValue?, basis: String, reason: String
        var evidence: [EvidenceParam]?, effectiveAt: Timestamp?
    }

    struct IDParams: RPCParams {
        static let fields: Set<String> = ["id"]
        var id: String
    }

    struct GetParams: RPCParams {
        static let fields: Set<String> = ["id", "asOf"]
        var id: String, asOf: Timestamp?
    }

    struct ReturnParams: RPCParams {
        static let fields: Set<String> = ["id", "reason"]
        var id: String, reason: String
    }

    struct ResubmitParams: RPCParams {
        static let fields: Set<String> = ["id", "changes", "basis", "reason", "evidence", "effectiveAt"]
        var id: String, changes: JSONValue?, basis: String?, reason: String?, evidence: [EvidenceParam]?, effectiveAt: Timestamp?
    }

    struct PublishParams: RPCParams {
        static let fields: Set<String> = ["id", "channels"]
        var id: String, channels: [String]
    }

    struct ListParams: RPCParams {
        static let fields: Set<String> = ["unit", "status", "asOf"]
        var unit: String?, status: String?, asOf: Timestamp?
    }

    struct GuideParams: RPCParams {
        static let fields: Set<String> = ["id", "note"]
        var id: String, note: String
    }

    struct FilingGetParams: RPCParams {
        static let fields: Set<String> = ["id", "asOf"]
        var id: String, asOf: Timestamp?
    }

    struct FilingSubmitParams: RPCParams {
        static let fields: Set<String> = ["unit", "adjustments", "form"]
        var unit: String, adjustments: [String], form: JSONValue?
    }

    struct FilingForwardParams: RPCParams {
        static let fields: Set<String> = ["id", "to"]
        var id: String, to: [String]?
    }

    struct FilingListParams: RPCParams {
        static let fields: Set<String> = ["unit", "asOf"]
        var unit: String?, asOf: Timestamp?
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("adjustment.submit", SubmitParams.self,
                       summary: "Submit an adjustment (动态调整) with basis, reason and evidence for review.") { p, c in
            guard let list = AdjustmentList(rawValue: p.list) else {
                throw RPCError.invalidParams("list", "expected \"catalogue\" or \"implementation\"")
            }
            try c.authorize(unit: p.unit, action: "submit adjustments")
            let proposal = AdjustmentProposal(unit: p.unit, list: list, kind: p.kind, target: p.target, changes: p.changes ?? [:],
                                              basis: p.basis, reason: p.reason, evidence: (p.evidence ?? []).map(\.evidence), effectiveAt: p.effectiveAt)
            return try RecordJSON.adjustment(try await registry.submit(proposal, actor: c.actor))
        }
        table.register("adjustment.return", ReturnParams.self, summary: "Return an adjustment to its unit, stating the reason (退回).") { p, c in
            try RecordJSON.adjustment(try await registry.returnAdjustment(id: p.id, reason: p.reason, actor: c.actor))
        }
        table.register("adjustment.resubmit", ResubmitParams.self, summary: "Resubmit a returned adjustment, revised.") { p, c in
            try authorize(c, adjustment: p.id, action: "resubmit adjustments", registry)
            return try RecordJSON.adjustment(try await registry.resubmit(id: p.id, changes: p.changes, basis: p.basis, reason: p.reason,
                                                                  evidence: p.evidence?.map(\.evidence), effectiveAt: p.effectiveAt, actor: c.actor))
        }
        table.register("adjustment.approve", IDParams.self,
                       summary: "Approve an adjustment (审核通过); its effects reach the catalogue or implementation list.") { p, c in
            try RecordJSON.adjustment(try await registry.approve(id: p.id, actor: c.actor))
        }
        table.register("adjustment.publish", PublishParams.self, summary: "Record the publication of an approved adjustment (公布).") { p, c in
            try authorize(c, adjustment: p.id, action: "publish adjustments", registry)
            return try RecordJSON.adjustment(try await registry.publish(id: p.id, channels: p.channels, actor: c.actor))
        }
        table.register("adjustment.archive", IDParams.self, summary: "Archive an adjustment's materials (整理归档).") { p, c in
            try authorize(c, adjustment: p.id, action: "archive adjustments", registry)
            return try RecordJSON.adjustment(try await registry.archive(id: p.id, actor: c.actor))
        }
        table.register("adjustment.get", GetParams.self, summary: "One adjustment with its history (as it stood at asOf, if given).") { p, _ in
            guard let a = try p.asOf.map({ try registry.adjustment(p.id, asOf: $0) }) ?? registry.adjustment(p.id) else { throw RegistryError.notFound(what: "adjustment", key: p.id) }
            return try RecordJSON.adjustment(a)
        }
        table.register("adjustment.updateGuide", GuideParams.self,
                       summary: "Record that the offline guide (线下办事指南) and window display follow an approved implementation-list change (seed 002 §16).") { p, c in
            try authorize(c, adjustment: p.id, action: "record guide updates", registry)
            return try RecordJSON.adjustment(try await registry.recordGuideUpdate(id: p.id, note: p.note, actor: c.actor))
        }
        table.register("adjustment.list", ListParams.self, summary: "Adjustments of a unit and/or in a status, now or as they stood at asOf.") { p, _ in
            var status: AdjustmentStatus?
            if let s = p.status {
                guard let parsed = AdjustmentStatus(rawValue: s) else {
                    throw RPCError.invalidParams("status", "expected one of \(AdjustmentStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = parsed
            }
            let found = try p.asOf.map { try registry.adjustments(unit: p.unit, status: status, asOf: $0) } ?? registry.adjustments(unit: p.unit, status: status)
            return .array(try found.map(RecordJSON.adjustment))
        }

        table.register("filing.submit", FilingSubmitParams.self,
                       summary: "File adjustments with the reform office (书面备案): one, or a batch detail table.") { p, c in
            try c.authorize(unit: p.unit, action: "file adjustments")
            return try RecordJSON.filing(try await registry.file(unit: p.unit, adjustments: p.adjustments, form: p.form ?? [:], actor: c.actor))
        }
        table.register("filing.forward", FilingForwardParams.self,
                       summary: "Forward a filing to the justice bureau and the service centre (抄送).") { p, c in
            try RecordJSON.filing(try await registry.forwardFiling(id: p.id, to: p.to ?? [], actor: c.actor))
        }
        table.register("filing.get", FilingGetParams.self, summary: "One filing (as it stood at asOf, if given).") { p, _ in
            guard let f = try p.asOf.map({ try registry.filing(p.id, asOf: $0) }) ?? registry.filing(p.id) else {
                throw RegistryError.notFound(what: "filing", key: p.id)
            }
            return try RecordJSON.filing(f)
        }
        table.register("filing.list", FilingListParams.self, summary: "Filings, optionally of one unit, now or as they stood at asOf.") { p, _ in
            .array(try (p.asOf.map { try registry.filings(unit: p.unit, asOf: $0) } ?? registry.filings(unit: p.unit)).map(RecordJSON.filing))
        }
    }

    /// A unit-bound caller may act only on its unit's adjustments (an unknown id is left to the
    /// command, which names it).
    static func authorize(_ c: RequestContext, adjustment id: String, action: String, _ registry: Registry) throws {
        guard c.grant?.unit != nil, let a = try registry.adjustment(id) else { return }
        try c.authorize(unit: a.unit, action: action)
    }
}
