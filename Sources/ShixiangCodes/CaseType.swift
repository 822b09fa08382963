/// 办件类型 (case type), GB/T 39046-2020 Appendix A.
public enum CaseType: CodeTable {
    /// 1 即办件: decided on the spot.
    case immediate
    /// 2 承诺件: decided within a promised time limit.
    case promised
    /// 9 其他.
    case other

    public static let tableName = "办件类型 (case type)"
    public static let allCases: [CaseType] = [.immediate, .promised, .other]

    public var code: String {
        switch self {
        case .immediate: "1"
        case .promised: "2"
        case .other: "9"
        }
    }

    public var label: String {
        switch self {
        case .immediate: "即办件"
        case .promised: "承诺件"
        case .other: "其他"
        }
    }

    public init?(code: String) {
        guard let value = CaseType.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
