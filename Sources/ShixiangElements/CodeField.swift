import ShixiangCodes

/// How one code-table element is read and rendered (internal).
///
/// `resolve` accepts a code, the table's exact Chinese label, or a documented alias (the seed's
/// coarser wording), after trimming whitespace and, failing that, after turning ASCII
/// parentheses into full-width ones (乡镇(街道) → 乡镇（街道）). It returns the codes the text
/// stands for: one code, or several for an alias that expands (法人（含其他组织）).
struct CodeField: Sendable {
    /// The table name for messages, e.g. "事项类型 (item type)".
    let tableName: String
    /// The valid codes and labels for messages.
    let validDescription: String
    /// Text → codes, or nil when unknown.
    let resolve: @Sendable (String) -> [String]?
    /// Code → label, when the code is known.
    let labelOf: @Sendable (String) -> String?

    /// Builds the field for a code table with optional aliases and a custom single-value parser
    /// (used for ``ItemType``, whose extension codes and seed wording are not in `allCases`).
    static func table<T: CodeTable>(
        _ type: T.Type, aliases: [String: [T]] = [:], parse: (@Sendable (String) -> T?)? = nil
    ) -> CodeField {
        let single: @Sendable (String) -> T? = parse ?? { T(code: $0) ?? T.value(forLabel: $0) }
        let lookup: @Sendable (String) -> [String]? = { text in
            if let value = single(text) { return [value.code] }
            if let expanded = aliases[text] { return expanded.map(\.code) }
            return nil
        }
        let resolve: @Sendable (String) -> [String]? = { raw in
            let text = raw.trimmedWhitespace
            if let codes = lookup(text) { return codes }
            let fullWidth = text.replacingParenthesesWithFullWidth
            return fullWidth == text ? nil : lookup(fullWidth)
        }
        let aliasNames = aliases.keys.sorted().joined(separator: ", ")
        return CodeField(
            tableName: T.tableName,
            validDescription: T.validCodesDescription
                + (aliasNames.isEmpty ? "" : "; also accepted: \(aliasNames)"),
            resolve: resolve,
            labelOf: { code in T(code: code)?.label })
    }

    /// The text to show a clerk for `code`: the label when it reads back as exactly this code,
    /// otherwise the code itself (e.g. local item-type extensions, whose labels are shared).
    func display(_ code: String) -> String {
        guard let label = labelOf(code), resolve(label) == [code] else { return code }
        return label
    }
}

extension CodeField {
    /// 事项类型: codes 00–99, table labels and the seed wording (行政审批, 基本公共教育 …).
    static let itemType = CodeField.table(ItemType.self, parse: { ItemType(code: $0) ?? ItemType(label: $0) })

    /// 服务对象 as a list; 个人（含个体工商户） (Annex 3) and 自然人 → 1; 法人（含其他组织） and 法人
    /// → every legal-person code (2–6), following ``ShixiangCodes/ServiceObject/isNaturalPerson``.
    static let serviceObject = CodeField.table(ServiceObject.self, aliases: [
        "个人": [.naturalPerson],
        "个人（含个体工商户）": [.naturalPerson],
        "法人": [.enterprise, .publicInstitution, .socialOrganisation, .administrativeOrgan, .other],
        "法人（含其他组织）": [.enterprise, .publicInstitution, .socialOrganisation, .administrativeOrgan, .other],
    ])

    /// 办理形式 as a list; Annex 4's 窗口 → 1 窗口办理.
    static let handlingForm = CodeField.table(HandlingForm.self, aliases: ["窗口": [.window]])

    /// Level wording used by the seeds: Annex 4 (市, 区县, 乡镇（街道）), the filing form (区级,
    /// 乡镇级) and 运行系统 (区县级).
    static let levelAliases: [String: [ExerciseLevel]] = [
        "国家": [.national], "省": [.province], "省级": [.province], "市": [.city],
        "区县": [.county], "区县级": [.county], "区级": [.county], "县": [.county],
        "乡镇（街道）": [.township], "乡镇": [.township], "乡镇级": [.township], "街道": [.township],
        "村（社区）": [.village],
    ]

    /// 行使层级.
    static let exerciseLevel = CodeField.table(ExerciseLevel.self, aliases: levelAliases)
    /// 运行系统: the level of the system the item runs on, as an ``ShixiangCodes/ExerciseLevel`` code.
    static let operatingSystemLevel = CodeField.table(ExerciseLevel.self, aliases: levelAliases)
    /// 实施主体性质.
    static let bodyNature = CodeField.table(BodyNature.self)
    /// 办件类型.
    static let caseType = CodeField.table(CaseType.self)
    /// 通办范围.
    static let handlingScope = CodeField.table(HandlingScope.self)
    /// 状态 (CSV only).
    static let itemStatus = CodeField.table(ItemStatus.self)
    /// 权力来源 (CSV only).
    static let powerSource = CodeField.table(PowerSource.self)
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    var trimmedWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    /// ASCII `(` `)` replaced by full-width `（` `）`.
    var replacingParenthesesWithFullWidth: String {
        String(map { $0 == "(" ? "（" : $0 == ")" ? "）" : $0 })
    }
}
