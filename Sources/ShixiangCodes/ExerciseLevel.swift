/// 行使层级 (exercise level), GB/T 39046-2020 Appendix A. Code is one digit, `"1"`–`"7"`.
/// It is also the 19th character of a 实施编码.
public enum ExerciseLevel: CodeTable {
    /// 1 国家级.
    case national
    /// 2 省级.
    case province
    /// 3 市级.
    case city
    /// 4 县级 (a district such as 黔江区 is county level: the filing form's 区级).
    case county
    /// 5 乡级 (乡镇（街道）: the filing form's 乡镇级).
    case township
    /// 6 村级 (村（社区）).
    case village
    /// 7 分级行使 (exercised at several levels, graded).
    case graded

    public static let tableName = "行使层级 (exercise level)"
    public static let allCases: [ExerciseLevel] = [.national, .province, .city, .county, .township, .village, .graded]

    public var code: String {
        switch self {
        case .national: "1"
        case .province: "2"
        case .city: "3"
        case .county: "4"
        case .township: "5"
        case .village: "6"
        case .graded: "7"
        }
    }

    public var label: String {
        switch self {
        case .national: "国家级"
        case .province: "省级"
        case .city: "市级"
        case .county: "县级"
        case .township: "乡级"
        case .village: "村级"
        case .graded: "分级行使"
        }
    }

    public init?(code: String) {
        guard let value = ExerciseLevel.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }

    /// The wording of the filing form (seed 000 Annex 2: □区级 □乡镇级), for the two levels a
    /// district-level filing covers; `nil` for other levels.
    public var filingFormLabel: String? {
        switch self {
        case .county: "区级"
        case .township: "乡镇级"
        default: nil
        }
    }
}
