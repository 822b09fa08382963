/// 事项类型 (item type), GB/T 39046-2020 Appendix A, as deployed.
///
/// Standard codes: `00`–`10` administrative power, `20` public service. Local extensions are
/// accepted as ``localExtension(_:)``: `11`–`19` extend administrative power (e.g. 行政备案),
/// `21`–`99` extend public service. `code` is always two digits.
public enum ItemType: CodeTable {
    /// 00 行政权力 (administrative power, unspecified kind).
    case administrativePower
    /// 01 行政许可.
    case licensing
    /// 02 行政处罚.
    case penalty
    /// 03 行政强制.
    case enforcement
    /// 04 行政征收.
    case levy
    /// 05 行政给付.
    case benefit
    /// 06 行政检查.
    case inspection
    /// 07 行政确认.
    case confirmation
    /// 08 行政奖励.
    case reward
    /// 09 行政裁决.
    case adjudication
    /// 10 其他行政权力.
    case otherPower
    /// 20 公共服务.
    case publicService
    /// A local extension code, 11–19 or 21–99. Only values built by `init?(code:)` or
    /// `init?(number:)` are guaranteed to be in range.
    case localExtension(Int)

    public static let tableName = "事项类型 (item type)"

    public static let allCases: [ItemType] = [
        .administrativePower, .licensing, .penalty, .enforcement, .levy, .benefit,
        .inspection, .confirmation, .reward, .adjudication, .otherPower, .publicService,
    ]

    public static var validCodesDescription: String {
        allCases.map(\.description).joined(separator: ", ")
            + "; local extensions 11–19 (行政权力) and 21–99 (公共服务)"
    }

    /// The numeric value of the code (0–99).
    public var number: Int {
        switch self {
        case .administrativePower: 0
        case .licensing: 1
        case .penalty: 2
        case .enforcement: 3
        case .levy: 4
        case .benefit: 5
        case .inspection: 6
        case .confirmation: 7
        case .reward: 8
        case .adjudication: 9
        case .otherPower: 10
        case .publicService: 20
        case .localExtension(let n): n
        }
    }

    /// Two-digit code, e.g. `"01"`, `"20"`, `"11"`.
    public var code: String {
        let n = number
        return n < 10 && n >= 0 ? "0\(n)" : String(n)
    }

    public var label: String {
        switch self {
        case .administrativePower: "行政权力"
        case .licensing: "行政许可"
        case .penalty: "行政处罚"
        case .enforcement: "行政强制"
        case .levy: "行政征收"
        case .benefit: "行政给付"
        case .inspection: "行政检查"
        case .confirmation: "行政确认"
        case .reward: "行政奖励"
        case .adjudication: "行政裁决"
        case .otherPower: "其他行政权力"
        case .publicService: "公共服务"
        case .localExtension(let n):
            n < 20 ? "地方扩展行政权力事项类型" : "地方扩展公共服务事项类型"
        }
    }

    /// True for 00–19 (administrative power incl. its local extensions).
    public var isAdministrativePower: Bool { number < 20 }

    /// True for 20–99 (public service incl. its local extensions).
    public var isPublicService: Bool { number >= 20 }

    /// True for local extension codes (11–19, 21–99).
    public var isLocalExtension: Bool {
        if case .localExtension = self { return true }
        return false
    }

    /// Accepts exactly two ASCII digits, `"00"`–`"99"`.
    public init?(code: String) {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count == 2,
              let tens = scalars[0].asciiDigitValue, let ones = scalars[1].asciiDigitValue
        else { return nil }
        self.init(number: tens * 10 + ones)
    }

    /// Accepts the numeric value 0–99. Useful for sources that drop the leading zero, such as
    /// the `task_type` column of provincial exports (`"1"` for 01 行政许可).
    public init?(number: Int) {
        switch number {
        case 0: self = .administrativePower
        case 1: self = .licensing
        case 2: self = .penalty
        case 3: self = .enforcement
        case 4: self = .levy
        case 5: self = .benefit
        case 6: self = .inspection
        case 7: self = .confirmation
        case 8: self = .reward
        case 9: self = .adjudication
        case 10: self = .otherPower
        case 20: self = .publicService
        case 11...19, 21...99: self = .localExtension(number)
        default: return nil
        }
    }

    /// The item-type wording the seed lists use (seed 001, Annex 3 note 4 and Annex 4 row 4),
    /// mapped to codes. 行政审批 is the older name for 行政许可; every public-service category
    /// maps to 20 公共服务.
    public static let seedCategoryLabels: [(label: String, type: ItemType)] = [
        ("行政审批", .licensing), ("行政处罚", .penalty), ("行政征收", .levy),
        ("行政强制", .enforcement), ("行政确认", .confirmation), ("行政裁决", .adjudication),
        ("行政给付", .benefit), ("行政奖励", .reward), ("行政检查", .inspection),
        ("其他行政权力", .otherPower),
        ("基本公共教育", .publicService), ("劳动就业服务", .publicService),
        ("社会保险", .publicService), ("基本社会服务", .publicService),
        ("基本医疗卫生", .publicService), ("人口和计划生育", .publicService),
        ("基本住房保障", .publicService), ("公共文化体育", .publicService),
        ("残疾人基本公共服务", .publicService), ("其他公共服务", .publicService),
    ]

    /// Maps a Chinese label to a type: the table labels (行政许可 …) and the seed wording
    /// (``seedCategoryLabels``). Returns `nil` for anything else.
    public init?(label: String) {
        if let standard = ItemType.value(forLabel: label) {
            self = standard
        } else if let seed = ItemType.seedCategoryLabels.first(where: { $0.label == label }) {
            self = seed.type
        } else {
            return nil
        }
    }
}

extension Unicode.Scalar {
    /// 0–9 for ASCII digits, otherwise nil.
    var asciiDigitValue: Int? {
        (48...57).contains(value) ? Int(value) - 48 : nil
    }
}
