/// The keys of one 申请材料 (application material) entry in the `materials` array.
///
/// Annex 4 row 13 (``ShixiangCodes/ImplementationField/materialAttributes``) lists nine
/// attributes; 纸质材料份数和规格 is split into ``copies`` and ``specification`` so the count is a
/// number. Only ``name`` is required; the rest are optional but type-checked when given:
///
/// | key | header | value |
/// |---|---|---|
/// | `name` | 材料名称 | text, required |
/// | `type` | 材料类型 | text (原件, 复印件, 原件和复印件 …) |
/// | `sample` | 材料样本 | text: attachment reference or description |
/// | `electronicForm` | 电子表单 | text: form reference |
/// | `source` | 来源渠道 | text (申请人自备, 政府部门核发 …) |
/// | `copies` | 纸质材料份数 | integer ≥ 0 (also `"2"` or `"2份"`, normalised to 2) |
/// | `specification` | 纸质材料规格 | text (A4 …) |
/// | `instructions` | 填报须知 | text |
/// | `acceptanceStandard` | 受理标准 | text |
/// | `electronicRequired` | 是否需电子材料 | boolean (是/否 accepted, normalised) |
///
/// Every text attribute is checked for vague wording (其他材料 …), with paths such as
/// `materials[2].name`.
public enum MaterialAttribute: String, CaseIterable, Hashable, Sendable, Codable {
    case name
    case type
    case sample
    case electronicForm
    case source
    case copies
    case specification
    case instructions
    case acceptanceStandard
    case electronicRequired

    /// The JSON key.
    public var key: String { rawValue }

    /// The Chinese attribute name (from Annex 4 row 13).
    public var header: String {
        switch self {
        case .name: "材料名称"
        case .type: "材料类型"
        case .sample: "材料样本"
        case .electronicForm: "电子表单"
        case .source: "来源渠道"
        case .copies: "纸质材料份数"
        case .specification: "纸质材料规格"
        case .instructions: "填报须知"
        case .acceptanceStandard: "受理标准"
        case .electronicRequired: "是否需电子材料"
        }
    }

    /// True only for ``name``.
    public var isRequired: Bool { self == .name }
}
