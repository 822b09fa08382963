/// 权力来源 (power source), as common in deployed systems: the outcome of take-over (承接) and
/// delegate (下放（委托）) adjustments.
public enum PowerSource: CodeTable {
    /// 1 法定本级行使.
    case statutory
    /// 2 上级下放.
    case delegatedFromAbove
    /// 3 上级授权.
    case authorisedByUpperLevel
    /// 4 同级授权.
    case authorisedBySameLevel
    /// 5 上级委托.
    case entrustedByUpperLevel
    /// 6 同级委托.
    case entrustedBySameLevel

    public static let tableName = "权力来源 (power source)"
    public static let allCases: [PowerSource] = [
        .statutory, .delegatedFromAbove, .authorisedByUpperLevel, .authorisedBySameLevel,
        .entrustedByUpperLevel, .entrustedBySameLevel,
    ]

    public var code: String {
        switch self {
        case .statutory: "1"
        case .delegatedFromAbove: "2"
        case .authorisedByUpperLevel: "3"
        case .authorisedBySameLevel: "4"
        case .entrustedByUpperLevel: "5"
        case .entrustedBySameLevel: "6"
        }
    }

    public var label: String {
        switch self {
        case .statutory: "法定本级行使"
        case .delegatedFromAbove: "上级下放"
        case .authorisedByUpperLevel: "上级授权"
        case .authorisedBySameLevel: "同级授权"
        case .entrustedByUpperLevel: "上级委托"
        case .entrustedBySameLevel: "同级委托"
        }
    }

    public init?(code: String) {
        guard let value = PowerSource.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
