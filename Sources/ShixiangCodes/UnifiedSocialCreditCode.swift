/// 统一社会信用代码 (unified social credit code), GB 32100-2015.
///
/// Layout (1-based positions): 1 registration authority (登记管理部门), 2 organisation category
/// (机构类别), 3–8 administrative division (登记管理机关行政区划码), 9–17 organisation body code
/// (主体标识码), 18 check character (校验码).
///
/// Contract: ``parse(_:)`` rejects anything that is not exactly 18 characters from the charset
/// `0123456789ABCDEFGHJKLMNPQRTUWXY` (upper case; I, O, Z, S, V never occur). A wrong check
/// character is *not* rejected: real registered codes fail the check, so it is reported through
/// ``checkDigitValid`` and ``expectedCheckCharacter`` for the caller to warn about.
public struct UnifiedSocialCreditCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 31 characters allowed, in value order (index = value).
    public static let charset: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// Weights of positions 1–17.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// Number of characters.
    public static let length = 18

    /// The code exactly as parsed (18 characters).
    public let value: String
    /// The check character computed from positions 1–17.
    public let expectedCheckCharacter: Character
    /// Whether the 18th character equals ``expectedCheckCharacter``. False is a warning only.
    public var checkDigitValid: Bool { checkCharacter == expectedCheckCharacter }

    /// Position 1: registration authority code (e.g. `1` 机构编制, `5` 民政, `9` 工商).
    public var registrationAuthority: Character { character(at: 0) }
    /// Position 2: organisation category within the authority (e.g. `1` 机关 under `1`).
    public var organisationCategory: Character { character(at: 1) }
    /// Positions 3–8: the registering authority's administrative division code (GB/T 2260).
    public var divisionCode: String { slice(2, 8) }
    /// Positions 9–17: the organisation body code (主体标识码, the old 组织机构代码 when present).
    public var organisationCode: String { slice(8, 17) }
    /// Position 18: the check character as written.
    public var checkCharacter: Character { character(at: 17) }

    /// Parses a code. See the type's contract.
    public init(_ string: String) throws(UnifiedSocialCreditCodeError) {
        let characters = Array(string)
        guard characters.count == Self.length else {
            throw .wrongLength(actual: characters.count, text: string)
        }
        let first17 = try Self.values(of: characters[0..<17], offset: 0)
        let check = characters[17]
        guard Self.charset.contains(check) else {
            throw .invalidCharacter(position: 18, character: check)
        }
        self.value = string
        self.expectedCheckCharacter = Self.checkCharacter(values: first17)
    }

    /// Parses a code; same as `init(_:)`.
    public static func parse(_ string: String) throws(UnifiedSocialCreditCodeError) -> UnifiedSocialCreditCode {
        try UnifiedSocialCreditCode(string)
    }

    /// Computes the check character for the first 17 characters of a code.
    public static func checkCharacter(forFirst17 string: String) throws(UnifiedSocialCreditCodeError) -> Character {
        let characters = Array(string)
        guard characters.count == 17 else {
            throw .wrongLength(actual: characters.count, text: string, expected: 17)
        }
        return checkCharacter(values: try values(of: characters[0..<17], offset: 0))
    }

    /// Builds a code with a correct check character from its first 17 characters.
    public static func make(first17 string: String) throws(UnifiedSocialCreditCodeError) -> UnifiedSocialCreditCode {
        let check = try checkCharacter(forFirst17: string)
        return try UnifiedSocialCreditCode(string + String(check))
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = try UnifiedSocialCreditCode(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    // MARK: - Private

    private static func values(of characters: ArraySlice<Character>, offset: Int) throws(UnifiedSocialCreditCodeError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(characters.count)
        for (index, character) in characters.enumerated() {
            guard let value = charset.firstIndex(of: character) else {
                throw .invalidCharacter(position: offset + index + 1, character: character)
            }
            result.append(value)
        }
        return result
    }

    private static func checkCharacter(values: [Int]) -> Character {
        var sum = 0
        for (value, weight) in zip(values, weights) { sum += value * weight }
        let check = (31 - sum % 31) % 31
        return charset[check]
    }

    private func character(at offset: Int) -> Character {
        value[value.index(value.startIndex, offsetBy: offset)]
    }

    private func slice(_ from: Int, _ to: Int) -> String {
        let start = value.index(value.startIndex, offsetBy: from)
        let end = value.index(value.startIndex, offsetBy: to)
        return String(value[start..<end])
    }
}

/// Why a string is not a 统一社会信用代码. Positions are 1-based.
public enum UnifiedSocialCreditCodeError: Error, CustomStringConvertible, Hashable, Sendable {
    /// The text does not have the expected number of characters (18, or 17 for the check
    /// computation).
    case wrongLength(actual: Int, text: String, expected: Int = 18)
    /// A character outside `0-9 A-H J-N P-R T U W-Y`.
    case invalidCharacter(position: Int, character: Character)

    public var description: String {
        switch self {
        case let .wrongLength(actual, text, expected):
            return "统一社会信用代码 (unified social credit code) must be \(expected) characters, got \(actual): \"\(text)\""
        case let .invalidCharacter(position, character):
            var hint = "allowed are 0–9 and the capital letters A–H, J–N, P–R, T, U, W–Y"
            if character.isLowercase {
                hint += "; write letters in upper case"
            } else if "IOZSV".contains(character) {
                hint += "; I, O, Z, S and V never occur (did you mean 1, 0, 2, 5 or U?)"
            }
            return "统一社会信用代码 (unified social credit code): character '\(character)' at position \(position) is not allowed (\(hint))"
        }
    }
}
