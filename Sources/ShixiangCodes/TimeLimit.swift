/// A time limit (办结时限): statutory (法定办结时限) or promised (承诺办结时限).
///
/// Comparison rules (seed 004 §25: the promised limit 应当少于法定期限 — must be shorter than the
/// statutory one). Limits in the same unit compare by value. Across units only what holds under
/// every reasonable reading is answered; otherwise the answer is `nil` (unknown):
/// - 即办 (or a value of 0) is shorter than or equal to anything;
/// - N 工作日 always last at least N 自然日, so W 工作日 > N 自然日 when W > N, and
///   N 自然日 ≤ W 工作日 when N ≤ W; other working/natural pairs depend on the calendar → nil;
/// - hours against days: every day, working or natural, is taken to provide at least 8 hours of
///   handling time and a natural day at most 24, so H 小时 ≤ N 日 when H ≤ 8·N, H 小时 > N 自然日
///   when H > 24·N, N 日 > H 小时 when 8·N > H; anything else → nil.
public struct TimeLimit: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The unit of a time limit.
    public enum Unit: CodeTable {
        /// 工作日: working days (Mon–Fri minus holidays plus make-up workdays).
        case workingDays
        /// 自然日: calendar days.
        case naturalDays
        /// 小时: hours.
        case hours
        /// 即办: decided on the spot; the value is 0.
        case immediate

        public static let tableName = "时限单位 (time limit unit)"
        public static let allCases: [Unit] = [.workingDays, .naturalDays, .hours, .immediate]

        public var code: String {
            switch self {
            case .workingDays: "workingDays"
            case .naturalDays: "naturalDays"
            case .hours: "hours"
            case .immediate: "immediate"
            }
        }

        public var label: String {
            switch self {
            case .workingDays: "工作日"
            case .naturalDays: "自然日"
            case .hours: "小时"
            case .immediate: "即办"
            }
        }

        public init?(code: String) {
            guard let unit = Unit.allCases.first(where: { $0.code == code }) else { return nil }
            self = unit
        }
    }

    /// The amount, ≥ 0 (0 for ``Unit/immediate``).
    public let value: Int
    /// The unit.
    public let unit: Unit

    /// Creates a limit. Throws for a negative value; for ``Unit/immediate`` the value is stored
    /// as 0 whatever is passed.
    public init(value: Int, unit: Unit) throws(TimeLimitError) {
        guard value >= 0 else { throw .negativeValue(value) }
        self.value = unit == .immediate ? 0 : value
        self.unit = unit
    }

    private init(unchecked value: Int, unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// 即办.
    public static let immediate = TimeLimit(unchecked: 0, unit: .immediate)

    /// N 工作日; throws for negative N.
    public static func workingDays(_ n: Int) throws(TimeLimitError) -> TimeLimit { try TimeLimit(value: n, unit: .workingDays) }
    /// N 自然日; throws for negative N.
    public static func naturalDays(_ n: Int) throws(TimeLimitError) -> TimeLimit { try TimeLimit(value: n, unit: .naturalDays) }
    /// N 小时; throws for negative N.
    public static func hours(_ n: Int) throws(TimeLimitError) -> TimeLimit { try TimeLimit(value: n, unit: .hours) }

    /// True for 即办 or a value of 0.
    public var isImmediate: Bool { unit == .immediate || value == 0 }

    /// Whether this (promised) limit is longer than `statutory`; nil when the units cannot be
    /// compared without a calendar. See the type's rules.
    public func exceeds(_ statutory: TimeLimit) -> Bool? {
        if isImmediate { return false }
        if statutory.isImmediate { return true }
        let p = value, s = statutory.value
        switch (unit, statutory.unit) {
        case (.workingDays, .workingDays), (.naturalDays, .naturalDays), (.hours, .hours):
            return p > s
        case (.workingDays, .naturalDays):
            return p > s ? true : nil
        case (.naturalDays, .workingDays):
            return p <= s ? false : nil
        case (.hours, .workingDays):
            return p <= 8 * s ? false : nil
        case (.hours, .naturalDays):
            if p <= 8 * s { return false }
            return p > 24 * s ? true : nil
        case (.workingDays, .hours), (.naturalDays, .hours):
            return 8 * p > s ? true : nil
        default:
            return nil
        }
    }

    /// Whether this (promised) limit is strictly shorter than `statutory`, the wording of seed
    /// 004 §25 (少于); nil when unknown. Two 即办 limits are not shorter than each other.
    public func isShorter(than statutory: TimeLimit) -> Bool? {
        if statutory.isImmediate { return false }
        if isImmediate { return true }
        let p = value, s = statutory.value
        switch (unit, statutory.unit) {
        case (.workingDays, .workingDays), (.naturalDays, .naturalDays), (.hours, .hours):
            return p < s
        case (.workingDays, .naturalDays):
            return p >= s ? false : nil
        case (.naturalDays, .workingDays):
            return p < s ? true : nil
        case (.hours, .workingDays), (.hours, .naturalDays):
            return p < 8 * s ? true : nil
        case (.workingDays, .hours), (.naturalDays, .hours):
            return 8 * p >= s ? false : nil
        default:
            return nil
        }
    }

    /// 承诺时限压缩率 = 1 − promised / statutory (seed 002 §15).
    ///
    /// Defined when the statutory limit is not 即办 and either the promised limit is 即办 (rate 1)
    /// or both share a unit; nil otherwise. A promised limit longer than the statutory one gives
    /// a negative rate.
    public static func compressionRate(promised: TimeLimit, statutory: TimeLimit) -> Double? {
        guard !statutory.isImmediate else { return nil }
        if promised.isImmediate { return 1 }
        guard promised.unit == statutory.unit else { return nil }
        return 1 - Double(promised.value) / Double(statutory.value)
    }

    /// Parses the usual wording: `20个工作日`, `20工作日`, `15个自然日`, `2小时`, `即办`,
    /// `即办件`, `当场办结`. ASCII or full-width digits. Bare `日`/`天` are rejected as ambiguous
    /// (行政许可法 §82 counts 日 as working days, other laws do not). Surrounding whitespace is
    /// ignored.
    public static func parse(_ text: String) throws(TimeLimitError) -> TimeLimit {
        let trimmed = text.trimmingWhitespace()
        if ["即办", "即办件", "当场办结", "当场", "立即办结"].contains(trimmed) { return .immediate }
        var digits = 0
        var count = 0
        var rest = Substring(trimmed)
        while let c = rest.first, let d = c.arabicDigitValue {
            guard count < 9 else { throw .unrecognised(text) }
            digits = digits * 10 + d
            count += 1
            rest = rest.dropFirst()
        }
        guard count > 0 else { throw .unrecognised(text) }
        if rest.hasPrefix("个") { rest = rest.dropFirst() }
        switch rest.trimmingWhitespace() {
        case "工作日": return TimeLimit(unchecked: digits, unit: .workingDays)
        case "自然日": return TimeLimit(unchecked: digits, unit: .naturalDays)
        case "小时": return TimeLimit(unchecked: digits, unit: .hours)
        case "日", "天": throw .ambiguousUnit(text)
        default: throw .unrecognised(text)
        }
    }

    /// `"20个工作日"`, `"15个自然日"`, `"2小时"`, `"即办"`.
    public var description: String {
        switch unit {
        case .immediate: "即办"
        case .hours: "\(value)小时"
        case .workingDays, .naturalDays: "\(value)个\(unit.label)"
        }
    }

    public init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case value, unit }
        let c = try decoder.container(keyedBy: Keys.self)
        try self.init(value: c.decodeIfPresent(Int.self, forKey: .value) ?? 0, unit: c.decode(Unit.self, forKey: .unit))
    }

    public func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey { case value, unit }
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(value, forKey: .value)
        try c.encode(unit, forKey: .unit)
    }
}

/// Why a time limit is invalid or unreadable.
public enum TimeLimitError: Error, CustomStringConvertible, Hashable, Sendable {
    case negativeValue(Int)
    case unrecognised(String)
    case ambiguousUnit(String)

    public var description: String {
        switch self {
        case .negativeValue(let v):
            "办结时限 (time limit) cannot be negative, got \(v)"
        case .unrecognised(let text):
            "办结时限 (time limit) “\(text)” is not understood; write e.g. 20个工作日, 15个自然日, 2小时 or 即办"
        case .ambiguousUnit(let text):
            "办结时限 (time limit) “\(text)” does not say whether 日 means 工作日 or 自然日; write 个工作日 or 个自然日"
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension Character {
    /// 0–9 for ASCII digits and full-width digits (０–９), nil otherwise (also for 五, 十 …).
    var arabicDigitValue: Int? {
        guard unicodeScalars.count == 1, let scalar = unicodeScalars.first else { return nil }
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0xFF10...0xFF19: return Int(scalar.value - 0xFF10)
        default: return nil
        }
    }
}
