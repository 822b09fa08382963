import ShixiangCodes
import ShixiangJSON

/// Validation and normalisation of a catalogue item's 9 directory elements (目录清单要素,
/// seed 001 Annex 3), stored as a JSON object keyed by ``ShixiangCodes/DirectoryElement/key``.
///
/// Stored (normalised) form of each key:
///
/// | key | 要素 | value |
/// |---|---|---|
/// | `name` | 事项名称 | text |
/// | `itemType` | 事项类型 | ``ShixiangCodes/ItemType`` code (`"01"`); labels and the annex wording (行政审批 …) accepted |
/// | `content` | 行使内容 | text |
/// | `implementingBody` | 实施机构名称 | text |
/// | `serviceObject` | 服务对象 | list of ``ShixiangCodes/ServiceObject`` codes; 个人（含个体工商户） → `["1"]`, 法人（含其他组织） → `["2","3","4","5","6"]` |
/// | `theme` | 服务主题 | text, one of the annex's themes for the service object (note 8) |
/// | `legalBasis` | 设定依据 | text |
/// | `handlingForm` | 办理形式 | list of ``ShixiangCodes/HandlingForm`` codes |
/// | `isPublic` | 是否公开 | boolean (是/否 accepted) |
/// | `nonPublicBasis` | 不公开依据 | text: the document justifying non-publication; required when `isPublic` is false (note 11) |
///
/// `nonPublicBasis` is not one of the 9 columns (the annex attaches the document); it is the
/// one extra key the object may carry. Every text value is checked for vague wording.
public enum DirectoryElements: Sendable {
    /// The extra key for the non-public basis document.
    public static let nonPublicBasisKey = "nonPublicBasis"
    /// The CSV header for ``nonPublicBasisKey``.
    public static let nonPublicBasisHeader = "不公开依据"

    /// Every key the object may hold: the 9 element keys in annex order, then ``nonPublicBasisKey``.
    public static var keys: [String] { schema.specs.map(\.key) }

    /// Checks `object`. See ``ValidationMode`` for what each mode requires. Findings are ordered:
    /// per-key findings by key, then required, then cross-field findings.
    ///
    /// Cross-field rules: `isPublic` false needs `nonPublicBasis`; `theme` must be one of
    /// ``ShixiangCodes/DirectoryElement/personThemes`` when the service objects include 自然人,
    /// of ``ShixiangCodes/DirectoryElement/legalPersonThemes`` when they include a legal person,
    /// of either list when the service object is not given.
    public static func validate(_ object: JSONValue, mode: ValidationMode) -> [ElementFinding] {
        var pass = schema.run(object, mode: mode)
        guard pass.isObject else { return pass.checker.findings }
        if pass.normalised[DirectoryElement.isPublic.key] == .bool(false) {
            schema.requireConditional(nonPublicBasisKey, because: "是否公开 (public) is 否; attach the document that justifies not publishing (seed 001 Annex 3 note 11)", in: &pass, mode: mode)
        }
        checkTheme(&pass)
        return pass.checker.findings
    }

    /// The object with labels replaced by codes, 是/否 by booleans and single values by lists,
    /// plus findings for the values that could not be normalised (rules `type`, `code`,
    /// `structure`); those values are returned unchanged. Unknown keys are kept as given.
    /// Idempotent on its own output.
    public static func normalise(_ object: JSONValue) -> (JSONValue, [ElementFinding]) {
        schema.normalise(object)
    }

    /// The allowed themes for a normalised service-object list (nil or invalid → both lists).
    public static func allowedThemes(serviceObject: JSONValue?) -> [String] {
        let codes = serviceObject?.arrayValue?.compactMap(\.stringValue) ?? []
        let objects = codes.compactMap(ServiceObject.init(code:))
        guard !objects.isEmpty, objects.count == codes.count else {
            return DirectoryElement.personThemes + DirectoryElement.legalPersonThemes.filter { !DirectoryElement.personThemes.contains($0) }
        }
        var themes: [String] = []
        if objects.contains(where: \.isNaturalPerson) { themes += DirectoryElement.personThemes }
        if objects.contains(where: { !$0.isNaturalPerson }) {
            themes += DirectoryElement.legalPersonThemes.filter { !themes.contains($0) }
        }
        return themes
    }

    private static func checkTheme(_ pass: inout ElementSchema.Pass) {
        let key = DirectoryElement.theme.key
        guard let theme = pass.normalised[key]?.stringValue, !theme.allSatisfy(\.isWhitespace) else { return }
        let allowed = allowedThemes(serviceObject: pass.normalised[DirectoryElement.serviceObject.key])
        guard !allowed.contains(theme.trimmedWhitespace) else { return }
        pass.checker.add(key, .theme, "服务主题 (service theme) “\(theme)” is not one of the themes of seed 001 Annex 3 note 8 for this service object; use one of: \(allowed.joined(separator: "、"))")
    }

    /// Chinese term with English, for messages.
    static func name(_ element: DirectoryElement) -> String {
        let english = switch element {
        case .name: "item name"
        case .itemType: "item type"
        case .content: "content exercised"
        case .implementingBody: "implementing body"
        case .serviceObject: "service object"
        case .theme: "service theme"
        case .legalBasis: "legal basis"
        case .handlingForm: "handling form"
        case .isPublic: "public"
        }
        return "\(element.header) (\(english))"
    }

    /// How each element is read.
    static func kind(_ element: DirectoryElement) -> ValueKind {
        switch element {
        case .name, .content, .implementingBody, .theme, .legalBasis: .text
        case .itemType: .code(.itemType)
        case .serviceObject: .codeList(.serviceObject)
        case .handlingForm: .codeList(.handlingForm)
        case .isPublic: .bool
        }
    }

    static let schema = ElementSchema(
        specs: DirectoryElement.allCases.map {
            FieldSpec(key: $0.key, name: name($0), kind: kind($0), presence: $0.isRequired ? .required : .optional)
        } + [FieldSpec(key: nonPublicBasisKey, name: "\(nonPublicBasisHeader) (non-public basis document)", kind: .text, presence: .conditional)],
        objectName: "目录清单要素 (directory elements)")
}
