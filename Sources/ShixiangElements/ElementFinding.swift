/// One problem found in a directory-element or implementation-field object.
///
/// Contract:
/// - `field` is a dotted path into the object using the lowerCamel keys, with `[i]` (0-based)
///   for array elements: `name`, `materials[2].name`, `faq[0].answer`, `procedure.steps[1].timeLimit`.
/// - `rule` is a stable identifier callers may switch on (see ``ElementRule`` for the list);
///   it never changes with the wording of `message`.
/// - `message` is one sentence for a clerk, naming the Chinese term with the English in
///   parentheses, e.g. "承诺办结时限 (promised time limit) 30个工作日 exceeds the statutory 20个工作日".
public struct ElementFinding: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Dotted path of the offending value.
    public var field: String
    /// Stable rule identifier, one of the ``ElementRule`` raw values.
    public var rule: String
    /// A sentence a clerk understands.
    public var message: String

    public init(field: String, rule: String, message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    init(_ field: String, _ rule: ElementRule, _ message: String) {
        self.init(field: field, rule: rule.rawValue, message: message)
    }

    /// The first path component (the top-level key), e.g. `materials` for `materials[2].name`.
    public var topLevelKey: String {
        var key = ""
        for c in field {
            if c == "." || c == "[" { break }
            key.append(c)
        }
        return key
    }

    /// `"field: message [rule]"`.
    public var description: String { "\(field): \(message) [\(rule)]" }
}

/// The stable rule identifiers used in ``ElementFinding/rule``.
public enum ElementRule: String, CaseIterable, Hashable, Sendable, Codable {
    /// A required value is missing, null or empty (also conditional requirements once their
    /// condition holds, e.g. 收费标准 when 是否收费 is 是, or the non-public basis when 是否公开 is 否).
    case required
    /// A key that is not an element/field (or not an attribute of a structured entry).
    case unknownField
    /// A system-assigned code (基本编码, 实施编码) was given; the registry derives it.
    case derived
    /// The JSON type is wrong (e.g. a number where text is expected).
    case type
    /// Not a valid code or label of the field's code table.
    case code
    /// The same code appears twice in a list.
    case duplicate
    /// 不确定性表述 such as 其他材料 / 有关部门 (seed 004 §14).
    case vagueWording
    /// A time limit that cannot be read (e.g. "20天", which does not say working or natural days).
    case timeLimit
    /// The promised time limit is longer than the statutory one (seed 004 §25).
    case promisedExceedsStatutory
    /// 办件类型 contradicts the promised time limit (即办件 not 即办, or 承诺件 that is 即办).
    case caseType
    /// Fee details given although 是否收费 is 否.
    case feeNotCharged
    /// A structured value (materials, fees, FAQ, procedure) has the wrong shape.
    case structure
    /// A number out of range (negative copies, negative time limit).
    case range
    /// A phone field that does not look like a phone number.
    case phone
    /// 服务主题 is not one of the annex's themes for the item's service object.
    case theme
}
