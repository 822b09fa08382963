/// 基本编码 (basic code): the catalogue identity of a service item.
///
/// Deployed layout (see ``BasicCodeLayout``): 2 region + 2 item type + 5 main item
/// (2 guiding department + 3 sequence) + 3 sub-item, e.g. `000104002000` = national (`00`),
/// 01 行政许可, main item `04002`, no sub-items (`000`).
///
/// Parsing contract, part by part (positions in errors are 1-based within the whole code):
/// - length must equal the layout's total;
/// - region: ASCII digits; all zeros = national, otherwise local (a province's own code);
/// - item type: two ASCII digits, checked against ``ItemType`` including local extensions;
/// - main item: ASCII digits;
/// - sub-item: all zeros = none, zeros followed by a final `Y` = a main item that has sub-items,
///   otherwise ASCII digits not all zero = sub-item number (`001`–`999`).
public struct BasicCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code as parsed.
    public let value: String
    /// The layout it was parsed with.
    public let layout: BasicCodeLayout
    /// The region part.
    public let region: Region
    /// The item type part.
    public let itemType: ItemType
    /// The guiding department part of the main item (`04` in `000104002000`).
    public let guidingDepartmentCode: String
    /// The sequence part of the main item (`002` in `000104002000`).
    public let sequenceCode: String
    /// The sub-item part.
    public let subItem: SubItem

    /// Region of a basic code.
    public enum Region: Hashable, Sendable, CustomStringConvertible {
        /// `00`: a national catalogue item.
        case national
        /// A province's own item; the associated value is the region digits (`45` = 广西).
        case local(String)

        /// The region digits.
        public var code: String {
            switch self {
            case .national: "00"
            case .local(let code): code
            }
        }

        /// True for ``national``.
        public var isNational: Bool { self == .national }

        /// The province name for a known 2-digit GB/T 2260 province code, else nil.
        public var provinceName: String? {
            switch self {
            case .national: nil
            case .local(let code): BasicCode.provinceNames[code]
            }
        }

        public var description: String {
            switch self {
            case .national: "00 国家"
            case .local(let code): "\(code) \(BasicCode.provinceNames[code] ?? "地方")"
            }
        }
    }

    /// Sub-item part of a basic code.
    public enum SubItem: Hashable, Sendable, CustomStringConvertible {
        /// `000`: a main item without sub-items.
        case none
        /// `00Y`: a main item that has sub-items.
        case hasSubItems
        /// `001`–`999`: sub-item number n.
        case subItem(Int)

        public var description: String {
            switch self {
            case .none: "无子项"
            case .hasSubItems: "有子项的主项"
            case .subItem(let n): "子项 \(n)"
            }
        }
    }

    /// The main item part: guiding department + sequence (`04002`).
    public var mainItemCode: String { guidingDepartmentCode + sequenceCode }

    /// True when this code denotes a sub-item (`001`–`999`).
    public var isSubItem: Bool {
        if case .subItem = subItem { return true }
        return false
    }

    /// For a sub-item, the basic code of its main item (sub-item part `0…0Y`); nil otherwise.
    public var mainItemBasicCode: BasicCode? {
        guard isSubItem else { return nil }
        let prefix = String(value.prefix(layout.totalLength - layout.subItemLength))
        let sub = String(repeating: "0", count: layout.subItemLength - 1) + "Y"
        return try? BasicCode(prefix + sub, layout: layout)
    }

    /// Parses `string` with `layout`. See the type's contract.
    public init(_ string: String, layout: BasicCodeLayout = .deployed) throws(BasicCodeError) {
        let characters = Array(string)
        guard characters.count == layout.totalLength else {
            throw .wrongLength(expected: layout.totalLength, actual: characters.count, text: string)
        }
        var offset = 0
        func take(_ count: Int) -> (text: String, start: Int, characters: ArraySlice<Character>) {
            let slice = characters[offset..<(offset + count)]
            defer { offset += count }
            return (String(slice), offset + 1, slice)
        }
        func firstNonDigit(_ part: (text: String, start: Int, characters: ArraySlice<Character>)) -> (Int, Character)? {
            for (i, c) in part.characters.enumerated() where !c.isASCIIDigit {
                return (part.start + i, c)
            }
            return nil
        }

        let regionPart = take(layout.regionLength)
        if let (position, c) = firstNonDigit(regionPart) {
            throw .invalidCharacter(part: .region, position: position, character: c)
        }
        let typePart = take(layout.typeLength)
        if let (position, c) = firstNonDigit(typePart) {
            throw .invalidCharacter(part: .itemType, position: position, character: c)
        }
        guard let type = ItemType(code: typePart.text) else {
            throw .invalidItemType(typePart.text)
        }
        let departmentPart = take(layout.guidingDepartmentLength)
        if let (position, c) = firstNonDigit(departmentPart) {
            throw .invalidCharacter(part: .mainItem, position: position, character: c)
        }
        let sequencePart = take(layout.sequenceLength)
        if let (position, c) = firstNonDigit(sequencePart) {
            throw .invalidCharacter(part: .mainItem, position: position, character: c)
        }
        let subPart = take(layout.subItemLength)
        let subItem: SubItem
        if subPart.characters.allSatisfy({ $0 == "0" }) {
            subItem = .none
        } else if subPart.characters.last == "Y", subPart.characters.dropLast().allSatisfy({ $0 == "0" }) {
            subItem = .hasSubItems
        } else if let (position, c) = firstNonDigit(subPart) {
            throw .invalidSubItem(subPart.text, position: position, character: c)
        } else if let n = Int(subPart.text) {
            subItem = .subItem(n)
        } else {
            throw .invalidSubItem(subPart.text, position: subPart.start, character: subPart.characters.first ?? "?")
        }

        self.value = string
        self.layout = layout
        self.region = regionPart.characters.allSatisfy({ $0 == "0" }) ? .national : .local(regionPart.text)
        self.itemType = type
        self.guidingDepartmentCode = departmentPart.text
        self.sequenceCode = sequencePart.text
        self.subItem = subItem
    }

    /// Parses `string` with `layout`; same as `init(_:layout:)`.
    public static func parse(_ string: String, layout: BasicCodeLayout = .deployed) throws(BasicCodeError) -> BasicCode {
        try BasicCode(string, layout: layout)
    }

    public var description: String { value }

    /// Decodes the code string with the layout found under ``Foundation/CodingUserInfoKey/basicCodeLayout``,
    /// or ``BasicCodeLayout/deployed``.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        let layout = decoder.userInfo[.basicCodeLayout] as? BasicCodeLayout ?? .deployed
        self = try BasicCode(raw, layout: layout)
    }

    /// Encodes the bare code string (the layout is not encoded).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// GB/T 2260 province-level codes (first two digits) and names.
    public static let provinceNames: [String: String] = [
        "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
        "21": "辽宁", "22": "吉林", "23": "黑龙江",
        "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
        "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
        "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
        "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
        "71": "台湾", "81": "香港", "82": "澳门",
    ]
}

/// Why a string is not a 基本编码, or why a layout is unusable. Positions are 1-based.
public enum BasicCodeError: Error, CustomStringConvertible, Hashable, Sendable {
    /// A part of the basic code.
    public enum Part: String, Hashable, Sendable {
        case region = "区划 (region)"
        case itemType = "事项类型 (item type)"
        case mainItem = "主项 (main item)"
        case subItem = "子项 (sub-item)"
    }

    /// The code has the wrong number of characters.
    case wrongLength(expected: Int, actual: Int, text: String)
    /// A part contains a character that is not an ASCII digit.
    case invalidCharacter(part: Part, position: Int, character: Character)
    /// The item type digits are not a known type (cannot happen for two digits; kept for
    /// layouts and future tables).
    case invalidItemType(String)
    /// The sub-item part is neither `0…0`, `0…0Y` nor digits.
    case invalidSubItem(String, position: Int, character: Character)
    /// A ``BasicCodeLayout`` with unusable lengths.
    case invalidLayout(String)

    public var description: String {
        switch self {
        case let .wrongLength(expected, actual, text):
            "基本编码 (basic code) must be \(expected) characters, got \(actual): \"\(text)\""
        case let .invalidCharacter(part, position, character):
            "基本编码 (basic code): \(part.rawValue) must be digits, found '\(character)' at position \(position)"
        case let .invalidItemType(code):
            "基本编码 (basic code): \(CodeTableError(table: ItemType.tableName, code: code, validCodes: ItemType.validCodesDescription))"
        case let .invalidSubItem(text, position, character):
            "基本编码 (basic code): 子项 (sub-item) \"\(text)\" must be 000 (none), 00Y (main item with sub-items) or 001–999, found '\(character)' at position \(position)"
        case let .invalidLayout(reason):
            "基本编码 layout (basic code layout) is unusable: \(reason)"
        }
    }
}

extension Character {
    /// True for "0"…"9" only (not full-width or other Unicode digits).
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
