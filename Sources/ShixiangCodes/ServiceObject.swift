/// 服务对象 (service object), GB/T 39046-2020 Appendix A as deployed.
///
/// The seeds use coarser wording: Annex 4 says 自然人/法人, Annex 3 says 个人（含个体工商户）or
/// 法人（含其他组织）. ``isNaturalPerson`` maps to that split.
public enum ServiceObject: CodeTable {
    /// 1 自然人.
    case naturalPerson
    /// 2 企业法人.
    case enterprise
    /// 3 事业单位法人.
    case publicInstitution
    /// 4 社会组织法人.
    case socialOrganisation
    /// 5 行政机关.
    case administrativeOrgan
    /// 6 其他组织.
    case other

    public static let tableName = "服务对象 (service object)"
    public static let allCases: [ServiceObject] = [
        .naturalPerson, .enterprise, .publicInstitution, .socialOrganisation, .administrativeOrgan, .other,
    ]

    public var code: String {
        switch self {
        case .naturalPerson: "1"
        case .enterprise: "2"
        case .publicInstitution: "3"
        case .socialOrganisation: "4"
        case .administrativeOrgan: "5"
        case .other: "6"
        }
    }

    public var label: String {
        switch self {
        case .naturalPerson: "自然人"
        case .enterprise: "企业法人"
        case .publicInstitution: "事业单位法人"
        case .socialOrganisation: "社会组织法人"
        case .administrativeOrgan: "行政机关"
        case .other: "其他组织"
        }
    }

    /// True for 自然人; every other value is 法人（含其他组织）in the seed's two-way split.
    public var isNaturalPerson: Bool { self == .naturalPerson }

    public init?(code: String) {
        guard let value = ServiceObject.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
