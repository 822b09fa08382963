/// 单位类别 (kind of unit) in the adjustment workflow (seed 000).
/// Codes are the lowerCamel names.
public enum UnitKind: CodeTable {
    /// 区级职能部门: implements items, guides its townships, files adjustments.
    case districtDepartment
    /// 乡镇（街道）: implements items; its adjustments are filed by the guiding department.
    case township
    /// 审改办: receives filings and forwards them; supervises.
    case reformOffice
    /// 司法局: legality review; receives forwarded filings.
    case justiceBureau
    /// 行政服务中心: reviews adjustment applications; receives forwarded filings.
    case serviceCentre
    /// 其他.
    case other

    public static let tableName = "单位类别 (unit kind)"
    public static let allCases: [UnitKind] = [.districtDepartment, .township, .reformOffice, .justiceBureau, .serviceCentre, .other]

    public var code: String {
        switch self {
        case .districtDepartment: "districtDepartment"
        case .township: "township"
        case .reformOffice: "reformOffice"
        case .justiceBureau: "justiceBureau"
        case .serviceCentre: "serviceCentre"
        case .other: "other"
        }
    }

    public var label: String {
        switch self {
        case .districtDepartment: "区级职能部门"
        case .township: "乡镇（街道）"
        case .reformOffice: "审改办"
        case .justiceBureau: "司法局"
        case .serviceCentre: "行政服务中心"
        case .other: "其他"
        }
    }

    public init?(code: String) {
        guard let value = UnitKind.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
