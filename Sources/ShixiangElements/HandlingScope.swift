import ShixiangCodes

/// 通办范围 (handling scope), seed 001 Annex 4 row 26: 全国/跨省市/跨区（县）.
///
/// The annex gives the three words but no codes, so the codes are lowerCamel names (like
/// ``ShixiangCodes/ItemStatus``) and the labels are the annex words verbatim.
public enum HandlingScope: CodeTable {
    /// 全国: handled anywhere in the country (全国通办).
    case nationwide
    /// 跨省市: handled across provinces and cities.
    case crossProvince
    /// 跨区（县）: handled across districts and counties.
    case crossDistrict

    public static let tableName = "通办范围 (handling scope)"
    public static let allCases: [HandlingScope] = [.nationwide, .crossProvince, .crossDistrict]

    public var code: String {
        switch self {
        case .nationwide: "nationwide"
        case .crossProvince: "crossProvince"
        case .crossDistrict: "crossDistrict"
        }
    }

    public var label: String {
        switch self {
        case .nationwide: "全国"
        case .crossProvince: "跨省市"
        case .crossDistrict: "跨区（县）"
        }
    }

    public init?(code: String) {
        guard let value = HandlingScope.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
