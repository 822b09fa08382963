/// 实施主体性质 (nature of the implementing body), GB/T 39046-2020 Appendix A.
public enum BodyNature: CodeTable {
    /// 1 法定机关.
    case statutoryAuthority
    /// 2 授权组织.
    case authorisedOrganisation
    /// 3 受委托组织.
    case entrustedOrganisation
    /// 9 其他.
    case other

    public static let tableName = "实施主体性质 (nature of the implementing body)"
    public static let allCases: [BodyNature] = [.statutoryAuthority, .authorisedOrganisation, .entrustedOrganisation, .other]

    public var code: String {
        switch self {
        case .statutoryAuthority: "1"
        case .authorisedOrganisation: "2"
        case .entrustedOrganisation: "3"
        case .other: "9"
        }
    }

    public var label: String {
        switch self {
        case .statutoryAuthority: "法定机关"
        case .authorisedOrganisation: "授权组织"
        case .entrustedOrganisation: "受委托组织"
        case .other: "其他"
        }
    }

    public init?(code: String) {
        guard let value = BodyNature.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
