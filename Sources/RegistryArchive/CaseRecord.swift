import EventLog
import Foundation
import Registry
import ShixiangArchive
import ShixiangDigest
import ShixiangJSON

/// The DA/T 48 encapsulation package of one adjustment case: a file entity for its events (by
/// digest), a 业务实体 for each step of the procedure, and the unit as 机构人员实体.
enum CaseRecord {
    static let actions: [String: String] = [
        EventType.adjustmentSubmitted: "提交申请", EventType.adjustmentReturned: "审核退回", EventType.adjustmentResubmitted: "重新提交",
        EventType.adjustmentApproved: "审核通过", EventType.adjustmentPublished: "公布", EventType.adjustmentFiled: "书面备案",
        EventType.adjustmentForwarded: "抄送", EventType.adjustmentArchived: "整理归档", EventType.filingSubmitted: "提交备案表",
    ]

    static func package(id: String, events: [EventEnvelope], adjustment: AdjustmentRecord?, unit: UnitRecord?,
                        json: BagPayloadFile, organization: String) -> EncapsulationPackage {
        let unitName = unit?.name ?? adjustment?.unit ?? "未知单位"
        let agentID = unit?.code ?? adjustment?.unit ?? "unknown"
        let year = String((events.first?.recordedAt.rfc3339 ?? "0000").prefix(4))
        let title = "\(unitName) \(adjustment?.list.label ?? "") \(adjustment?.kind ?? "") \(adjustment?.target ?? id)"
        let file = EncapsulationPackage.FileEntity(
            aggregationLevel: "件",
            provenance: .init(fondsName: organization, creatingUnitName: unitName),
            recordNumber: id,
            archivalCode: .init(fondsNumber: "SX", year: year, retentionPeriod: "永久", organizationOrIssue: adjustment?.list.label, itemNumber: id),
            title: title, author: unitName, date: String((events.first?.recordedAt.rfc3339 ?? "").prefix(10)),
            documents: [.init(identifier: id, sequence: "1", encodings: [
                .init(fileName: "cases/\(id).json", fileSize: json.size, format: "JSON", digests: EncapsulationPackage.DigestReference.of(json), description: "本事项调整的全部事件（规范化JSON）"),
            ])])
        let business = events.map { e in
            EncapsulationPackage.BusinessEntity(
                businessID: "seq-\(e.seq)", agentID: agentID, fileID: id,
                action: actions[e.type] ?? e.type, actionTime: e.recordedAt.rfc3339,
                basis: e.data["basis"]?.stringValue ?? adjustment?.basis,
                description: "\(e.type) seq \(e.seq) hash \(Digest.hex(e.hash))")
        }
        let agent = EncapsulationPackage.AgentEntity(agentID: agentID, type: "单位", name: unitName)
        return EncapsulationPackage(createdAt: EncapsulationPackage.timestamp(Date()), creatingUnit: organization,
                                    fileEntities: [file], businessEntities: business, agentEntities: [agent])
    }
}
