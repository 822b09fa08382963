import EventLog
import ShixiangJSON

/// An adjustment case (动态调整) and where it stands in the procedure of seed 000, Annex 1.
public struct AdjustmentRecord: Codable, Sendable, Equatable {
    public var id: String
    /// The submitting unit.
    public var unit: String
    public var list: AdjustmentList
    /// The kind, a `CatalogueAdjustmentKind` or `ImplementationAdjustmentKind` code.
    public var kind: String
    /// What it adjusts: a 基本编码 (catalogue, claim, add) or a 实施编码 (other implementation kinds).
    public var target: String
    /// What it changes, kept as canonical JSON (``changes`` is the value).
    public var changesJSON: CanonicalJSON
    public var changes: JSONValue {
        get { changesJSON.value }
        set { changesJSON = CanonicalJSON(newValue) }
    }
    /// 调整依据, 调整事由, 佐证材料.
    public var basis: String
    public var reason: String
    public var evidence: [Evidence]
    public var effectiveAt: Timestamp?
    public var status: AdjustmentStatus
    /// Whether it must be filed with the reform office (seed 000, Annex 1 §4).
    public var filingRequired: Bool
    /// Who files it: the unit, or a township's guiding district department.
    public var filer: String
    /// The filing that covers it, once filed.
    public var filing: String?
    /// The last return's reason, while returned.
    public var returnReason: String?
    public var publishedChannels: [String]?
    /// Every status it has been in, with when and why.
    public var history: [StatusChange]
    /// When the unit recorded that its offline guide (线下办事指南) and window display were
    /// updated after this implementation-list change (seed 002 §16).
    public var offlineGuide: GuideUpdate?
    public var version: UInt64

    enum CodingKeys: String, CodingKey {
        case id, unit, list, kind, target, changesJSON = "changes", basis, reason, evidence, effectiveAt, status, filingRequired, filer,
             filing, returnReason, publishedChannels, history, offlineGuide, version
    }

    /// When it first reached `status`, if it did.
    public func date(of status: AdjustmentStatus) -> Timestamp? {
        history.first { $0.status == status }?.at
    }
}

/// Which list an adjustment changes.
public enum AdjustmentList: String, Codable, Sendable, CaseIterable {
    case catalogue
    case implementation

    public var label: String { self == .catalogue ? "基本目录" : "实施清单" }
}

/// A step of the adjustment procedure.
public enum AdjustmentStatus: String, Codable, Sendable, CaseIterable {
    case submitted, returned, resubmitted, approved, published, filed, forwarded, archived

    public var label: String {
        switch self {
        case .submitted: "已提交"
        case .returned: "已退回"
        case .resubmitted: "已重新提交"
        case .approved: "已审核通过"
        case .published: "已公布"
        case .filed: "已备案"
        case .forwarded: "已转送"
        case .archived: "已归档"
        }
    }
}

/// One change of status: what, when, who, and the reason where one is given.
public struct StatusChange: Codable, Sendable, Equatable {
    public var status: AdjustmentStatus
    public var at: Timestamp
    public var seq: UInt64
    public var reason: String?

    enum CodingKeys: String, CodingKey { case status, at, seq, reason }
}

/// The unit's record that the offline guide and window display follow a change (seed 002 §16).
public struct GuideUpdate: Codable, Sendable, Equatable {
    public var at: Timestamp
    public var seq: UInt64
    /// What was updated, for people (e.g. 大厅纸质指南已更新并摆放).
    public var note: String

    enum CodingKeys: String, CodingKey { case at, seq, note }
}

/// A supporting document, kept by digest (the registry stores digests, not files).
public struct Evidence: Codable, Sendable, Equatable {
    public var name: String
    public var sha256: String
    public var size: Int64

    public init(name: String, sha256: String, size: Int64) {
        self.name = name
        self.sha256 = sha256
        self.size = size
    }

    enum CodingKeys: String, CodingKey { case name, sha256, size }
}

/// A written filing (书面备案) with the reform office: one adjustment or a batch detail table.
public struct FilingRecord: Codable, Sendable, Equatable {
    public var id: String
    public var unit: String
    public var adjustments: [String]
    /// The filing form's own fields (seed 000, Annex 2): remarks, details, contact, …, kept as
    /// canonical JSON (``form`` is the value).
    public var formJSON: CanonicalJSON
    public var form: JSONValue {
        get { formJSON.value }
        set { formJSON = CanonicalJSON(newValue) }
    }
    public var submittedAt: Timestamp
    public var forwardedAt: Timestamp?
    public var forwardedTo: [String]?
    public var version: UInt64

    enum CodingKeys: String, CodingKey { case id, unit, adjustments, formJSON = "form", submittedAt, forwardedAt, forwardedTo, version }
}
