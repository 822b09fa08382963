/// Whether a list field must be filled.
///
/// Decided from the seed wording: "（不填）" → ``systemAssigned``; "多级共有事项必填",
/// "涉及…" and fee details that only apply when 是否收费 is 是 → ``conditional(_:)``;
/// "否则填“无”" → ``required`` (the clerk writes 无); 通办范围, which only applies to items
/// handled across regions, → ``optional``; everything else → ``required``.
public enum FieldRequirement: Hashable, Sendable, CustomStringConvertible {
    /// Must be filled by the unit.
    case required
    /// Must be filled when the condition (Chinese, from or after the seed) holds.
    case conditional(String)
    /// May be left empty.
    case optional
    /// Assigned by the system, not filled by the unit (基本编码, 实施编码).
    case systemAssigned

    public var description: String {
        switch self {
        case .required: "必填"
        case .conditional(let condition): "条件必填（\(condition)）"
        case .optional: "选填"
        case .systemAssigned: "系统生成（不填）"
        }
    }
}

/// What kind of value a list field holds.
public enum FieldValueKind: String, Hashable, Sendable, Codable {
    /// Free text.
    case text
    /// A value from a code table or a code (基本编码, 事项类型, 行使层级 …).
    case code
    /// One of a few enumerated words that have no code table (通办范围, 运行系统).
    case choice
    /// 是 / 否.
    case yesNo
    /// A time limit, see ``TimeLimit``.
    case timeLimit
    /// A list of records (申请材料, fee items, FAQ).
    case structured
    /// A file: flow chart (办理流程) or result sample (结果样本).
    case attachment
    /// A telephone number or contact channel.
    case phone
}
