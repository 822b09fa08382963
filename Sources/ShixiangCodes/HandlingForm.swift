/// 办理形式 (handling form), GB/T 39046-2020 Appendix A as deployed.
/// An item usually has several; store a set. The seeds only say 窗口办理 / 网上办理.
public enum HandlingForm: CodeTable {
    /// 1 窗口办理.
    case window
    /// 2 网上办理 (PC).
    case online
    /// 3 移动端办理.
    case mobile
    /// 4 快递办理 (delivery).
    case delivery
    /// 9 其他.
    case other

    public static let tableName = "办理形式 (handling form)"
    public static let allCases: [HandlingForm] = [.window, .online, .mobile, .delivery, .other]

    public var code: String {
        switch self {
        case .window: "1"
        case .online: "2"
        case .mobile: "3"
        case .delivery: "4"
        case .other: "9"
        }
    }

    public var label: String {
        switch self {
        case .window: "窗口办理"
        case .online: "网上办理"
        case .mobile: "移动端办理"
        case .delivery: "快递办理"
        case .other: "其他"
        }
    }

    public init?(code: String) {
        guard let value = HandlingForm.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
