/// 基本目录调整内容 (kind of catalogue adjustment): the 基本目录 row of the filing form
/// (seed 000 Annex 2: □新增 □承接 □下放（委托） □取消 □合并 □变更（ ） □其他).
///
/// The form's 变更 and 其他 boxes carry a blank to say what changed; that text belongs to the
/// adjustment record, not to this code.
public enum CatalogueAdjustmentKind: CodeTable {
    /// 新增: legal basis made, institutional reform, or omission found.
    case add
    /// 承接: take over an item the State Council / city government devolved.
    case takeOver
    /// 下放（委托）: delegate the item down.
    case delegate
    /// 取消: cancel the item.
    case cancel
    /// 合并: merge items.
    case merge
    /// 变更: change the item (the form asks what, in the parentheses).
    case change
    /// 其他.
    case other

    public static let tableName = "基本目录调整内容 (catalogue adjustment kind)"
    public static let allCases: [CatalogueAdjustmentKind] = [.add, .takeOver, .delegate, .cancel, .merge, .change, .other]

    public var code: String {
        switch self {
        case .add: "add"
        case .takeOver: "takeOver"
        case .delegate: "delegate"
        case .cancel: "cancel"
        case .merge: "merge"
        case .change: "change"
        case .other: "other"
        }
    }

    /// The exact box label on the filing form.
    public var label: String {
        switch self {
        case .add: "新增"
        case .takeOver: "承接"
        case .delegate: "下放（委托）"
        case .cancel: "取消"
        case .merge: "合并"
        case .change: "变更"
        case .other: "其他"
        }
    }

    /// True for 变更 and 其他, whose box on the form has a blank that must say what.
    public var needsDescription: Bool { self == .change || self == .other }

    /// Every catalogue adjustment is filed with the reform office (seed 000 Annex 1 §4); the
    /// no-filing exemption covers implementation-list element changes only.
    public var requiresFiling: Bool { true }

    public init?(code: String) {
        guard let value = CatalogueAdjustmentKind.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
