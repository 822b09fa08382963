/// One field of the 动态调整备案表 (adjustment filing form), seed 000 Annex 2, in form order.
///
/// The form's 调整内容 cell has two rows, 基本目录 and 实施清单; they are two fields here, and
/// exactly one of them is filled per filing (see ``requirement``). `label` is the cell text of the
/// form with its line breaks removed; `csvHeader` adds the group for the two 调整内容 rows so
/// every header is unique.
public enum FilingFormField: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// 实施/指导单位（盖章）.
    case unit = 1
    /// 政务服务事项名称.
    case itemName
    /// 行使层级: □区级 □乡镇级.
    case exerciseLevel
    /// 调整内容 → 基本目录.
    case catalogueAdjustment
    /// 调整内容 → 实施清单.
    case implementationAdjustment
    /// 调整详情.
    case details
    /// 调整依据.
    case basis
    /// 备注.
    case remarks

    /// The form's title, with the district name of the seed (黔江区).
    public static let seedTitle = "黔江区政务服务事项动态调整备案表"
    /// The title without the district name.
    public static let genericTitle = "政务服务事项动态调整备案表"
    /// The form's notes (注), verbatim.
    public static let notes: [String] = [
        "市级职能部门下发正式文件实施调整的，可用正式文件备案",
        "动态调整涉及事项多且复杂的，可另行编制动态调整明细表备案",
        "调整详情和调整依据较多时，可另附页说明",
    ]

    /// 1-based position on the form.
    public var number: Int { rawValue }

    /// The cell label on the form, verbatim (line breaks removed).
    public var label: String {
        switch self {
        case .unit: "实施/指导单位"
        case .itemName: "政务服务事项名称"
        case .exerciseLevel: "行使层级"
        case .catalogueAdjustment: "基本目录"
        case .implementationAdjustment: "实施清单"
        case .details: "调整详情"
        case .basis: "调整依据"
        case .remarks: "备注"
        }
    }

    /// The enclosing cell (调整内容) for the two adjustment rows, nil otherwise.
    public var group: String? {
        switch self {
        case .catalogueAdjustment, .implementationAdjustment: "调整内容"
        default: nil
        }
    }

    /// A unique column header: the label, prefixed by its group when it has one
    /// (`"调整内容（基本目录）"`).
    public var csvHeader: String {
        if let group { return "\(group)（\(label)）" }
        return label
    }

    /// The lowerCamel English key.
    public var key: String {
        switch self {
        case .unit: "unit"
        case .itemName: "itemName"
        case .exerciseLevel: "exerciseLevel"
        case .catalogueAdjustment: "catalogueAdjustment"
        case .implementationAdjustment: "implementationAdjustment"
        case .details: "details"
        case .basis: "basis"
        case .remarks: "remarks"
        }
    }

    /// The tick boxes the form prints for the field, verbatim (blanks shown as （ ） in the form
    /// are omitted); empty for free-text fields.
    public var options: [String] {
        switch self {
        case .exerciseLevel: ["区级", "乡镇级"]
        case .catalogueAdjustment: CatalogueAdjustmentKind.allCases.map(\.label)
        case .implementationAdjustment: ["基本目录调整", "颗粒化拆分", "取消", "调整行使层级", "变更（名称、设立依据）", "其他"]
        default: []
        }
    }

    /// Whether the unit must seal the cell (the form prints （盖章） under 实施/指导单位).
    public var requiresSeal: Bool { self == .unit }

    /// 备注 is optional; the two 调整内容 rows are conditional (exactly one is ticked, according
    /// to whether the catalogue or the implementation list was adjusted); the rest are required.
    public var requirement: FieldRequirement {
        switch self {
        case .remarks: .optional
        case .catalogueAdjustment: .conditional("调整基本目录时填写（与实施清单二选一）")
        case .implementationAdjustment: .conditional("调整实施清单时填写（与基本目录二选一）")
        default: .required
        }
    }

    /// True only when the field is unconditionally required.
    public var isRequired: Bool { requirement == .required }

    /// `"4 调整内容（基本目录） (catalogueAdjustment)"`.
    public var description: String { "\(number) \(csvHeader) (\(key))" }

    /// The unique headers in form order.
    public static var headers: [String] { allCases.map(\.csvHeader) }

    /// The field whose `csvHeader` or `label` equals `header` exactly, or nil.
    public init?(header: String) {
        guard let field = FilingFormField.allCases.first(where: { $0.csvHeader == header || $0.label == header })
        else { return nil }
        self = field
    }
}
