import ShixiangCodes
import ShixiangJSON

/// Validation and normalisation of an implementation entry's fields (实施清单, seed 001
/// Annex 4), stored as a JSON object keyed by ``ShixiangCodes/ImplementationField/key``.
///
/// 基本编码 and 实施编码 (rows 1–2, （不填）) are derived by the registry from the unit, the
/// exercise level and the catalogue item: giving them is a `derived` finding. The other 34:
///
/// | kind | keys | stored form |
/// |---|---|---|
/// | text | name, legalBasis, authorityDivision, content, implementingBody, acceptanceConditions, jointBodies, intermediaryServices, quantityLimit, resultName, resultSample, place, hours | string |
/// | code | itemType (``ShixiangCodes/ItemType``), exerciseLevel and operatingSystemLevel (``ShixiangCodes/ExerciseLevel``; 市/区县/乡镇（街道）/区县级 accepted), bodyNature, caseType, handlingScope (``HandlingScope``) | code string; labels accepted |
/// | code list | serviceObject, handlingForm | array of code strings; one label/code or several joined by 、 accepted |
/// | yes/no | chargesFee, supportsAppointment, supportsOnlinePayment, supportsDelivery | boolean; 是/否 accepted |
/// | time limit | statutoryTimeLimit, promisedTimeLimit | `{value, unit}`; text such as `20个工作日` accepted |
/// | phone | enquiryPhone, complaintPhone | string, see ``PhoneNumber`` |
/// | structured | materials (``MaterialAttribute``), feeStandard (``FeeItemKey``), feeBasis (list of text), faq (``FAQKey``), procedure (``ProcedureKey``) | arrays/objects |
///
/// Requirements follow ``ShixiangCodes/ImplementationField/requirement``, with these readings of
/// the conditional ones:
/// - 收费标准 / 收费依据 are required when 是否收费 is 是; when it is 否 they must be empty
///   (`feeNotCharged`).
/// - 权限划分 ("多级共有事项必填") is required when 行使层级 is 7 分级行使 — the only multi-level
///   signal inside one entry; the registry, which sees all entries of a catalogue item, may
///   require it more widely.
/// - 中介服务 ("涉及…") cannot be decided from the entry: optional, checked when given.
/// - 通办范围 is optional.
/// "否则填“无”" fields (联办机构, 数量限制) are required: the clerk writes 无.
///
/// Cross-field rules: the promised time limit must not exceed the statutory one
/// (`promisedExceedsStatutory`, via ``ShixiangCodes/TimeLimit/exceeds(_:)``; comparisons the
/// calendar would decide are not reported, see ``compareTimeLimits(_:)``); 即办件 needs a 即办
/// promised time limit and 承诺件 one that is not 即办 (`caseType`).
public enum ImplementationFields: Sendable {
    /// The keys units fill: fields 3–36 in annex order (without 基本编码 and 实施编码).
    public static var keys: [String] {
        ImplementationField.allCases.filter { $0.requirement != .systemAssigned }.map(\.key)
    }

    /// Checks `object`. See ``ValidationMode`` and the type's documentation for the rules.
    public static func validate(_ object: JSONValue, mode: ValidationMode) -> [ElementFinding] {
        var pass = schema.run(object, mode: mode)
        guard pass.isObject else { return pass.checker.findings }
        let n = pass.normalised

        switch n[ImplementationField.chargesFee.key] {
        case .bool(true)?:
            for field in [ImplementationField.feeStandard, .feeBasis] {
                schema.requireConditional(field.key, because: "是否收费 (charges a fee) is 是", in: &pass, mode: mode)
            }
        case .bool(false)?:
            for field in [ImplementationField.feeStandard, .feeBasis] where !ElementObject.isEmpty(pass.members[field.key]) {
                pass.checker.add(field.key, .feeNotCharged, "\(name(field)) is given although 是否收费 (charges a fee) is 否; remove it or set 是否收费 to 是")
            }
        default:
            break
        }

        if n[ImplementationField.exerciseLevel.key] == .string(ExerciseLevel.graded.code) {
            schema.requireConditional(ImplementationField.authorityDivision.key, because: "行使层级 (exercise level) is 分级行使: say how the levels share the item (多级共有事项必填)", in: &pass, mode: mode)
        }

        let comparison = compareTimeLimits(.object(n))
        if comparison?.exceeds == true, let promised = comparison?.promised, let statutory = comparison?.statutory {
            pass.checker.add(ImplementationField.promisedTimeLimit.key, .promisedExceedsStatutory,
                             "承诺办结时限 (promised time limit) \(promised) exceeds the statutory \(statutory); the promise must not be longer than the law allows (seed 004 §25)")
        }

        if let caseCode = n[ImplementationField.caseType.key]?.stringValue, let caseType = CaseType(code: caseCode),
           let promisedJSON = n[ImplementationField.promisedTimeLimit.key],
           let promised = try? TimeLimit.read(json: promisedJSON) {
            switch caseType {
            case .immediate where !promised.isImmediate:
                pass.checker.add(ImplementationField.caseType.key, .caseType,
                                 "办件类型 (case type) is 即办件 (decided on the spot) but 承诺办结时限 (promised time limit) is \(promised); use 即办 or 承诺件")
            case .promised where promised.isImmediate:
                pass.checker.add(ImplementationField.caseType.key, .caseType,
                                 "办件类型 (case type) is 承诺件 but 承诺办结时限 (promised time limit) is 即办; use 即办件 or give the promised time limit")
            default:
                break
            }
        }
        return pass.checker.findings
    }

    /// The object with labels replaced by codes, 是/否 by booleans, time-limit text by
    /// `{value, unit}` objects, single values by lists where the field is a list, and material
    /// copies by numbers; plus findings for values that could not be normalised (rules `type`,
    /// `code`, `timeLimit`, `structure`, `range`), which are returned unchanged. Unknown and
    /// derived keys are kept as given. Idempotent on its own output.
    public static func normalise(_ object: JSONValue) -> (JSONValue, [ElementFinding]) {
        schema.normalise(object)
    }

    /// Both readings of seed 004 §25 for an object's two time limits, or nil when either is
    /// missing or unreadable.
    public static func compareTimeLimits(_ object: JSONValue) -> TimeLimitComparison? {
        guard let p = object[ImplementationField.promisedTimeLimit.key], let s = object[ImplementationField.statutoryTimeLimit.key],
              let promised = try? TimeLimit.read(json: p), let statutory = try? TimeLimit.read(json: s)
        else { return nil }
        return TimeLimitComparison(promised: promised, statutory: statutory)
    }

    /// Chinese term with English, for messages.
    static func name(_ field: ImplementationField) -> String {
        let english = switch field {
        case .basicCode: "basic code"
        case .implementationCode: "implementation code"
        case .name: "item name"
        case .itemType: "item type"
        case .legalBasis: "legal basis"
        case .exerciseLevel: "exercise level"
        case .authorityDivision: "division of authority"
        case .content: "content exercised"
        case .implementingBody: "implementing body"
        case .bodyNature: "nature of the implementing body"
        case .statutoryTimeLimit: "statutory time limit"
        case .acceptanceConditions: "acceptance conditions"
        case .materials: "application materials"
        case .jointBodies: "joint bodies"
        case .intermediaryServices: "intermediary services"
        case .procedure: "procedure"
        case .quantityLimit: "quantity limit"
        case .resultName: "result name"
        case .resultSample: "result sample"
        case .chargesFee: "charges a fee"
        case .feeStandard: "fee standard"
        case .feeBasis: "fee basis"
        case .serviceObject: "service object"
        case .caseType: "case type"
        case .promisedTimeLimit: "promised time limit"
        case .handlingScope: "handling scope"
        case .handlingForm: "handling form"
        case .supportsAppointment: "supports appointments"
        case .supportsOnlinePayment: "supports online payment"
        case .supportsDelivery: "supports delivery"
        case .operatingSystemLevel: "operating system level"
        case .place: "place"
        case .hours: "hours"
        case .enquiryPhone: "enquiry phone"
        case .faq: "FAQ"
        case .complaintPhone: "complaint phone"
        }
        return "\(field.header) (\(english))"
    }

    /// How each field is read.
    static func kind(_ field: ImplementationField) -> ValueKind {
        switch field {
        case .basicCode, .implementationCode: .text
        case .name, .legalBasis, .authorityDivision, .content, .implementingBody, .acceptanceConditions,
             .jointBodies, .intermediaryServices, .quantityLimit, .resultName, .resultSample, .place, .hours:
            .text
        case .itemType: .code(.itemType)
        case .exerciseLevel: .code(.exerciseLevel)
        case .operatingSystemLevel: .code(.operatingSystemLevel)
        case .bodyNature: .code(.bodyNature)
        case .caseType: .code(.caseType)
        case .handlingScope: .code(.handlingScope)
        case .serviceObject: .codeList(.serviceObject)
        case .handlingForm: .codeList(.handlingForm)
        case .chargesFee, .supportsAppointment, .supportsOnlinePayment, .supportsDelivery: .bool
        case .statutoryTimeLimit, .promisedTimeLimit: .timeLimit
        case .enquiryPhone: .phone(allowURL: false)
        case .complaintPhone: .phone(allowURL: true)
        case .materials: .materials
        case .feeStandard: .feeItems
        case .feeBasis: .textList
        case .faq: .faq
        case .procedure: .procedure
        }
    }

    static func presence(_ field: ImplementationField) -> Presence {
        switch field.requirement {
        case .required: .required
        case .systemAssigned: .derived
        case .optional: .optional
        case .conditional: .conditional
        }
    }

    static let schema = ElementSchema(
        specs: ImplementationField.allCases.map {
            FieldSpec(key: $0.key, name: name($0), kind: kind($0), presence: presence($0))
        },
        objectName: "实施清单要素 (implementation fields)")
}
