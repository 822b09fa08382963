/// 事项状态 (item status). Codes are the lowerCamel names: `inUse`, `suspended`, `cancelled`.
public enum ItemStatus: CodeTable {
    /// 在用.
    case inUse
    /// 暂停.
    case suspended
    /// 取消. A cancelled item stops being accepted (seed 004 §13).
    case cancelled

    public static let tableName = "事项状态 (item status)"
    public static let allCases: [ItemStatus] = [.inUse, .suspended, .cancelled]

    public var code: String {
        switch self {
        case .inUse: "inUse"
        case .suspended: "suspended"
        case .cancelled: "cancelled"
        }
    }

    public var label: String {
        switch self {
        case .inUse: "在用"
        case .suspended: "暂停"
        case .cancelled: "取消"
        }
    }

    /// True only for 在用: suspended and cancelled items accept no applications.
    public var acceptsApplications: Bool { self == .inUse }

    public init?(code: String) {
        guard let value = ItemStatus.allCases.first(where: { $0.code == code }) else { return nil }
        self = value
    }
}
