/// 实施清单调整内容 (kind of implementation-list adjustment).
///
/// The filing form (seed 000 Annex 2) offers □基本目录调整 □颗粒化拆分 □取消 □调整行使层级
/// □变更（名称、设立依据） □其他. Two workflow kinds that the form has no box for are added:
/// ``claim`` (认领, seed 002 §4) and ``add`` (新增 when an omission is found, seed 000 Annex 1
/// 一(二)4); on the form they are ticked as 其他 (see ``filingFormLabel``).
///
/// ``change`` covers every element change. Whether it must be filed depends on which fields
/// changed: only 事项名称 and 设定依据 (the seed says 设立依据) need filing, see
/// ``requiresFiling(changedFields:)``.
public enum ImplementationAdjustmentKind: CodeTable {
    /// 认领: take up a catalogue item distributed from above.
    case claim
    /// 基本目录调整: follow a catalogue adjustment.
    case followCatalogue
    /// 颗粒化拆分: split into finer entries.
    case split
    /// 取消: cancel the entry.
    case cancel
    /// 调整行使层级: change the exercise level.
    case changeLevel
    /// 变更（名称、设立依据）and other element changes.
    case change
    /// 新增: an omission was found.
    case add
    /// 其他.
    case other

    public static let tableName = "实施清单调整内容 (implementation adjustment kind)"
    public static let allCases: [ImplementationAdjustmentKind] = [
        .claim, .followCatalogue, .split, .cancel, .changeLevel, .change, .add, .other,
    ]

    public var code: String {
        switch self {
        case .claim: "claim"
        case .followCatalogue: "followCatalogue"
        case .split: "split"
        case .cancel: "cancel"
        case .changeLevel: "changeLevel"
        case .change: "change"
        case .add: "add"
        case .other: "other"
        }
    }

    public var label: String {
        switch self {
        case .claim: "认领"
        case .followCatalogue: "基本目录调整"
        case .split: "颗粒化拆分"
        case .cancel: "取消"
        case .changeLevel: "调整行使层级"
        case .change: "变更（名称、设立依据）"
        case .add: "新增"
        case .other: "其他"
        }
    }

    /// The box to tick on the filing form: the label itself, or 其他 for ``claim`` and ``add``
    /// (whose 其他 blank should then name 认领 / 新增).
    public var filingFormLabel: String {
        switch self {
        case .claim, .add, .other: "其他"
        default: label
        }
    }

    /// The fields whose change must be filed: 事项名称 and 设定依据 (seed 000 Annex 1 §4).
    public static let filingRelevantFields: Set<ImplementationField> = [.name, .legalBasis]

    /// Whether the adjustment must be filed with the reform office within 2 working days.
    ///
    /// - For ``change``: true iff `changedFields` contains 事项名称 or 设定依据; other element
    ///   changes "原则上可不进行备案" (seed 000 Annex 1 §4). An empty set needs no filing.
    /// - For every other kind: true, whatever `changedFields` holds. The seed exempts only
    ///   element changes; claims and additions are filed as 其他 (a conservative reading).
    public func requiresFiling(changedFields: Set<ImplementationField> = []) -> Bool {
        switch self {
        case .change:
            !changedFields.isDisjoint(with: Self.filingRelevantFields)
        default:
            true
        }
    }

    public init?(code: String) {
        guard let value = ImplementationAdjustmentKind.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
