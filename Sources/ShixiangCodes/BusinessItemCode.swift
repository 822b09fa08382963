/// 业务办理项编码 (business item code): a 实施编码 followed by 2 digits (33 characters with the
/// deployed layout), one per business handling item of an implementation entry.
public struct BusinessItemCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The implementation entry.
    public let implementation: ImplementationCode
    /// The 2-digit business item number, `"00"`–`"99"`.
    public let suffix: String

    /// The full code string.
    public var value: String { implementation.value + suffix }

    /// Builds a code from an implementation code and a number 0–99; throws for other numbers.
    public init(implementation: ImplementationCode, number: Int) throws(ImplementationCodeError) {
        guard (0...99).contains(number) else {
            throw .invalidBusinessSuffix(String(number))
        }
        self.implementation = implementation
        self.suffix = number < 10 ? "0\(number)" : String(number)
    }

    /// Parses a code: implementation code + 2 ASCII digits.
    public init(_ string: String, layout: BasicCodeLayout = .deployed) throws(ImplementationCodeError) {
        let characters = Array(string)
        let expected = ImplementationCode.length(layout: layout) + 2
        guard characters.count == expected else {
            throw .wrongLength(expected: expected, actual: characters.count, text: string,
                               name: "业务办理项编码 (business item code)")
        }
        let suffix = characters.suffix(2)
        guard suffix.allSatisfy(\.isASCIIDigit) else {
            throw .invalidBusinessSuffix(String(suffix))
        }
        implementation = try ImplementationCode(String(characters.dropLast(2)), layout: layout)
        self.suffix = String(suffix)
    }

    /// The business item number 0–99.
    public var number: Int { Int(suffix) ?? 0 }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        let layout = decoder.userInfo[.basicCodeLayout] as? BasicCodeLayout ?? .deployed
        self = try BusinessItemCode(raw, layout: layout)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
