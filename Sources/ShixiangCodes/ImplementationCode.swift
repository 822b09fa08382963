/// 实施编码 (implementation code): identifies one unit's implementation of a catalogue item.
///
/// Layout: 18-character 统一社会信用代码 of the implementing unit + 1-digit ``ExerciseLevel`` +
/// the ``BasicCode`` (12 characters with the deployed layout, 31 in total), e.g.
/// `11450721MB1558081` `1` | `4` | `000104002000`.
///
/// A wrong credit-code check character does not make the code invalid (see
/// ``UnifiedSocialCreditCode``); read ``unit``'s `checkDigitValid` to warn.
public struct ImplementationCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The implementing unit.
    public let unit: UnifiedSocialCreditCode
    /// The exercise level (19th character).
    public let level: ExerciseLevel
    /// The catalogue item.
    public let basic: BasicCode

    /// The full code string.
    public var value: String { unit.value + level.code + basic.value }

    /// Total length for a layout: 18 + 1 + layout length (31 for the deployed layout).
    public static func length(layout: BasicCodeLayout = .deployed) -> Int {
        UnifiedSocialCreditCode.length + 1 + layout.totalLength
    }

    /// Builds the code from its parts. Never fails: every part is already valid.
    public static func derive(unit: UnifiedSocialCreditCode, level: ExerciseLevel, basic: BasicCode) -> ImplementationCode {
        ImplementationCode(unit: unit, level: level, basic: basic)
    }

    /// Memberwise; same as ``derive(unit:level:basic:)``.
    public init(unit: UnifiedSocialCreditCode, level: ExerciseLevel, basic: BasicCode) {
        self.unit = unit
        self.level = level
        self.basic = basic
    }

    /// Parses a code. Errors name the part and the 1-based position in the whole code.
    public init(_ string: String, layout: BasicCodeLayout = .deployed) throws(ImplementationCodeError) {
        let characters = Array(string)
        let expected = Self.length(layout: layout)
        guard characters.count == expected else {
            throw .wrongLength(expected: expected, actual: characters.count, text: string)
        }
        do {
            unit = try UnifiedSocialCreditCode(String(characters[0..<18]))
        } catch {
            throw .invalidUnit(error)
        }
        let levelText = String(characters[18])
        guard let level = ExerciseLevel(code: levelText) else {
            throw .invalidLevel(levelText)
        }
        self.level = level
        do {
            basic = try BasicCode(String(characters[19...]), layout: layout)
        } catch {
            throw .invalidBasicCode(error, offset: 19)
        }
    }

    /// Parses a code; same as `init(_:layout:)`.
    public static func parse(_ string: String, layout: BasicCodeLayout = .deployed) throws(ImplementationCodeError) -> ImplementationCode {
        try ImplementationCode(string, layout: layout)
    }

    /// Compares the code's parts with what the record around it says. Pass only the parts you
    /// know; returns one mismatch per differing part, empty when consistent.
    public func mismatches(unit: UnifiedSocialCreditCode? = nil, level: ExerciseLevel? = nil, basic: BasicCode? = nil) -> [ImplementationCodeMismatch] {
        var result: [ImplementationCodeMismatch] = []
        if let unit, unit.value != self.unit.value {
            result.append(.unit(expected: unit.value, actual: self.unit.value))
        }
        if let level, level != self.level {
            result.append(.level(expected: level, actual: self.level))
        }
        if let basic, basic.value != self.basic.value {
            result.append(.basicCode(expected: basic.value, actual: self.basic.value))
        }
        return result
    }

    /// True when ``mismatches(unit:level:basic:)`` is empty.
    public func isConsistent(unit: UnifiedSocialCreditCode? = nil, level: ExerciseLevel? = nil, basic: BasicCode? = nil) -> Bool {
        mismatches(unit: unit, level: level, basic: basic).isEmpty
    }

    public var description: String { value }

    /// Decodes the code string; the layout comes from `userInfo[.basicCodeLayout]` or is
    /// ``BasicCodeLayout/deployed``.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        let layout = decoder.userInfo[.basicCodeLayout] as? BasicCodeLayout ?? .deployed
        self = try ImplementationCode(raw, layout: layout)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A part of an implementation code that differs from the record it belongs to.
public enum ImplementationCodeMismatch: Hashable, Sendable, CustomStringConvertible {
    case unit(expected: String, actual: String)
    case level(expected: ExerciseLevel, actual: ExerciseLevel)
    case basicCode(expected: String, actual: String)

    public var description: String {
        switch self {
        case let .unit(expected, actual):
            "实施编码 (implementation code) names unit \(actual), but the implementing unit's 统一社会信用代码 is \(expected)"
        case let .level(expected, actual):
            "实施编码 (implementation code) has 行使层级 (exercise level) \(actual), but the entry says \(expected)"
        case let .basicCode(expected, actual):
            "实施编码 (implementation code) contains 基本编码 (basic code) \(actual), but the entry's catalogue item is \(expected)"
        }
    }
}

/// Why a string is not a 实施编码 or 业务办理项编码.
public enum ImplementationCodeError: Error, CustomStringConvertible, Hashable, Sendable {
    /// Wrong total length.
    case wrongLength(expected: Int, actual: Int, text: String, name: String = "实施编码 (implementation code)")
    /// Characters 1–18 are not a credit code.
    case invalidUnit(UnifiedSocialCreditCodeError)
    /// Character 19 is not an exercise level.
    case invalidLevel(String)
    /// Characters 20… are not a basic code; `offset` is the number of characters before it.
    case invalidBasicCode(BasicCodeError, offset: Int)
    /// The 2-digit business item suffix is not digits.
    case invalidBusinessSuffix(String)

    public var description: String {
        switch self {
        case let .wrongLength(expected, actual, text, name):
            return "\(name) must be \(expected) characters, got \(actual): \"\(text)\""
        case let .invalidUnit(error):
            return "实施编码 (implementation code) characters 1–18: \(error)"
        case let .invalidLevel(text):
            return "实施编码 (implementation code) character 19: \(CodeTableError(table: ExerciseLevel.tableName, code: text, validCodes: ExerciseLevel.validCodesDescription))"
        case let .invalidBasicCode(error, offset):
            return "实施编码 (implementation code) characters \(offset + 1)–: \(error) (positions counted within the 基本编码; add \(offset) for the whole code)"
        case let .invalidBusinessSuffix(text):
            return "业务办理项编码 (business item code): the last 2 characters must be digits, got \"\(text)\""
        }
    }
}
