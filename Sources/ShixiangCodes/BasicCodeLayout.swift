/// The part lengths of a 基本编码 (basic code).
///
/// The deployed layout (``deployed``, the default) is 2 region + 2 item type + 5 main item
/// (2 guiding department + 3 sequence) + 3 sub-item = 12 characters. The standard text of the
/// older/other national layouts was not available, so no "GB/T" layout is guessed: build one with
/// ``init(regionLength:typeLength:guidingDepartmentLength:sequenceLength:subItemLength:)`` when its
/// lengths are known. The item type part is always 2 digits because ``ItemType`` codes are.
public struct BasicCodeLayout: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Region (`00` national, otherwise a province's own code).
    public let regionLength: Int
    /// Item type (always 2).
    public let typeLength: Int
    /// Guiding department part of the main item.
    public let guidingDepartmentLength: Int
    /// Sequence part of the main item.
    public let sequenceLength: Int
    /// Sub-item part (`0…0` none, `0…0Y` has sub-items, otherwise the sub-item number).
    public let subItemLength: Int

    /// The layout in use on the national platform as deployed: 2 + 2 + (2 + 3) + 3 = 12.
    public static let deployed = BasicCodeLayout(
        uncheckedRegion: 2, type: 2, guidingDepartment: 2, sequence: 3, subItem: 3)

    /// Creates a layout. Throws when any length is below 1, when `typeLength` is not 2, or when
    /// `subItemLength` is below 2 (it must hold `0…0Y`).
    public init(regionLength: Int, typeLength: Int = 2, guidingDepartmentLength: Int, sequenceLength: Int, subItemLength: Int) throws(BasicCodeError) {
        guard regionLength >= 1, guidingDepartmentLength >= 1, sequenceLength >= 1 else {
            throw .invalidLayout("every part needs at least 1 character")
        }
        guard typeLength == 2 else {
            throw .invalidLayout("the 事项类型 (item type) part must be 2 digits, got \(typeLength)")
        }
        guard subItemLength >= 2 else {
            throw .invalidLayout("the 子项 (sub-item) part needs at least 2 characters to hold 0…0Y, got \(subItemLength)")
        }
        self.init(uncheckedRegion: regionLength, type: typeLength, guidingDepartment: guidingDepartmentLength,
                  sequence: sequenceLength, subItem: subItemLength)
    }

    private init(uncheckedRegion region: Int, type: Int, guidingDepartment: Int, sequence: Int, subItem: Int) {
        regionLength = region
        typeLength = type
        guidingDepartmentLength = guidingDepartment
        sequenceLength = sequence
        subItemLength = subItem
    }

    /// Guiding department + sequence.
    public var mainItemLength: Int { guidingDepartmentLength + sequenceLength }
    /// Total length (12 for ``deployed``).
    public var totalLength: Int { regionLength + typeLength + mainItemLength + subItemLength }

    /// `"2+2+(2+3)+3=12"`.
    public var description: String {
        "\(regionLength)+\(typeLength)+(\(guidingDepartmentLength)+\(sequenceLength))+\(subItemLength)=\(totalLength)"
    }

    public init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case regionLength, typeLength, guidingDepartmentLength, sequenceLength, subItemLength }
        let c = try decoder.container(keyedBy: Keys.self)
        try self.init(
            regionLength: c.decode(Int.self, forKey: .regionLength),
            typeLength: c.decodeIfPresent(Int.self, forKey: .typeLength) ?? 2,
            guidingDepartmentLength: c.decode(Int.self, forKey: .guidingDepartmentLength),
            sequenceLength: c.decode(Int.self, forKey: .sequenceLength),
            subItemLength: c.decode(Int.self, forKey: .subItemLength))
    }
}

extension CodingUserInfoKey {
    /// Set a ``BasicCodeLayout`` under this key in a decoder's `userInfo` to decode
    /// ``BasicCode``, ``ImplementationCode`` and ``BusinessItemCode`` strings with a layout other
    /// than ``BasicCodeLayout/deployed``.
    public static let basicCodeLayout: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "ShixiangCodes.basicCodeLayout") else {
            preconditionFailure("CodingUserInfoKey rejected a constant non-empty raw value")
        }
        return key
    }()
}
