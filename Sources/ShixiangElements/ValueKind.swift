/// What one element or field holds, and so how it is normalised and checked (internal).
enum ValueKind: Sendable {
    /// Free text, checked for vague wording.
    case text
    /// One code of a table (label or alias accepted, normalised to the code).
    case code(CodeField)
    /// A non-empty list of codes without duplicates; a single string (also several separated
    /// by 、 , ， ; ； /) is accepted and normalised to the list.
    case codeList(CodeField)
    /// A boolean; 是/否 accepted and normalised.
    case bool
    /// A time limit, normalised to `{value, unit}`.
    case timeLimit
    /// A phone number (see ``PhoneNumber``); `allowURL` for the complaint channel.
    case phone(allowURL: Bool)
    /// A list of text items; a single string is normalised to a one-element list.
    case textList
    /// 申请材料.
    case materials
    /// 收费标准 fee items.
    case feeItems
    /// 常见问题.
    case faq
    /// 办理流程.
    case procedure
    /// A whole number ≥ 0 (material copies); digit text, optionally ending in 份, is accepted.
    case count

    /// True when a CSV cell holds the value as JSON text.
    var isJSONCell: Bool {
        switch self {
        case .materials, .feeItems, .faq, .procedure, .textList: true
        default: false
        }
    }
}
