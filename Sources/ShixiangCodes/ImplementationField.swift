/// One of the 36 fields of the 实施清单 (implementation list), seed 001 Annex 4, in annex order.
///
/// `header` is the exact 字段名 of the annex (use it as the CSV column header), `key` the lowerCamel
/// English key, `instruction` the annex's 数据类型（填写说明及规范） text verbatim.
///
/// The annex lists 36 rows while the plan's body text says "34项要素": rows 1–2 (基本编码,
/// 实施编码) are marked （不填） because the system assigns them, leaving 34 for units to fill.
public enum ImplementationField: Int, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// 1 基本编码.
    case basicCode = 1
    /// 2 实施编码.
    case implementationCode = 2
    /// 3 事项名称.
    case name = 3
    /// 4 事项类型.
    case itemType = 4
    /// 5 设定依据.
    case legalBasis = 5
    /// 6 行使层级.
    case exerciseLevel = 6
    /// 7 权限划分.
    case authorityDivision = 7
    /// 8 行使内容.
    case content = 8
    /// 9 实施机构.
    case implementingBody = 9
    /// 10 实施主体性质.
    case bodyNature = 10
    /// 11 法定办结时限.
    case statutoryTimeLimit = 11
    /// 12 受理条件.
    case acceptanceConditions = 12
    /// 13 申请材料.
    case materials = 13
    /// 14 联办机构.
    case jointBodies = 14
    /// 15 中介服务.
    case intermediaryServices = 15
    /// 16 办理流程.
    case procedure = 16
    /// 17 数量限制.
    case quantityLimit = 17
    /// 18 结果名称.
    case resultName = 18
    /// 19 结果样本.
    case resultSample = 19
    /// 20 是否收费.
    case chargesFee = 20
    /// 21 收费标准.
    case feeStandard = 21
    /// 22 收费依据.
    case feeBasis = 22
    /// 23 服务对象.
    case serviceObject = 23
    /// 24 办件类型.
    case caseType = 24
    /// 25 承诺办结时限.
    case promisedTimeLimit = 25
    /// 26 通办范围.
    case handlingScope = 26
    /// 27 办理形式.
    case handlingForm = 27
    /// 28 是否支持预约办理.
    case supportsAppointment = 28
    /// 29 是否支持网上支付.
    case supportsOnlinePayment = 29
    /// 30 是否支持物流快递.
    case supportsDelivery = 30
    /// 31 运行系统.
    case operatingSystemLevel = 31
    /// 32 办理地点.
    case place = 32
    /// 33 办理时间.
    case hours = 33
    /// 34 咨询电话.
    case enquiryPhone = 34
    /// 35 常见问题.
    case faq = 35
    /// 36 监督电话.
    case complaintPhone = 36

    /// 1-based position in Annex 4.
    public var number: Int { rawValue }

    /// The lowerCamel English key, e.g. `"legalBasis"`.
    public var key: String {
        switch self {
        case .basicCode: "basicCode"
        case .implementationCode: "implementationCode"
        case .name: "name"
        case .itemType: "itemType"
        case .legalBasis: "legalBasis"
        case .exerciseLevel: "exerciseLevel"
        case .authorityDivision: "authorityDivision"
        case .content: "content"
        case .implementingBody: "implementingBody"
        case .bodyNature: "bodyNature"
        case .statutoryTimeLimit: "statutoryTimeLimit"
        case .acceptanceConditions: "acceptanceConditions"
        case .materials: "materials"
        case .jointBodies: "jointBodies"
        case .intermediaryServices: "intermediaryServices"
        case .procedure: "procedure"
        case .quantityLimit: "quantityLimit"
        case .resultName: "resultName"
        case .resultSample: "resultSample"
        case .chargesFee: "chargesFee"
        case .feeStandard: "feeStandard"
        case .feeBasis: "feeBasis"
        case .serviceObject: "serviceObject"
        case .caseType: "caseType"
        case .promisedTimeLimit: "promisedTimeLimit"
        case .handlingScope: "handlingScope"
        case .handlingForm: "handlingForm"
        case .supportsAppointment: "supportsAppointment"
        case .supportsOnlinePayment: "supportsOnlinePayment"
        case .supportsDelivery: "supportsDelivery"
        case .operatingSystemLevel: "operatingSystemLevel"
        case .place: "place"
        case .hours: "hours"
        case .enquiryPhone: "enquiryPhone"
        case .faq: "faq"
        case .complaintPhone: "complaintPhone"
        }
    }

    /// The exact column header (字段名) from the annex, e.g. `"设定依据"`.
    public var header: String {
        switch self {
        case .basicCode: "基本编码"
        case .implementationCode: "实施编码"
        case .name: "事项名称"
        case .itemType: "事项类型"
        case .legalBasis: "设定依据"
        case .exerciseLevel: "行使层级"
        case .authorityDivision: "权限划分"
        case .content: "行使内容"
        case .implementingBody: "实施机构"
        case .bodyNature: "实施主体性质"
        case .statutoryTimeLimit: "法定办结时限"
        case .acceptanceConditions: "受理条件"
        case .materials: "申请材料"
        case .jointBodies: "联办机构"
        case .intermediaryServices: "中介服务"
        case .procedure: "办理流程"
        case .quantityLimit: "数量限制"
        case .resultName: "结果名称"
        case .resultSample: "结果样本"
        case .chargesFee: "是否收费"
        case .feeStandard: "收费标准"
        case .feeBasis: "收费依据"
        case .serviceObject: "服务对象"
        case .caseType: "办件类型"
        case .promisedTimeLimit: "承诺办结时限"
        case .handlingScope: "通办范围"
        case .handlingForm: "办理形式"
        case .supportsAppointment: "是否支持预约办理"
        case .supportsOnlinePayment: "是否支持网上支付"
        case .supportsDelivery: "是否支持物流快递"
        case .operatingSystemLevel: "运行系统"
        case .place: "办理地点"
        case .hours: "办理时间"
        case .enquiryPhone: "咨询电话"
        case .faq: "常见问题"
        case .complaintPhone: "监督电话"
        }
    }

    /// The annex's filling instruction (数据类型（填写说明及规范）), verbatim.
    public var instruction: String {
        switch self {
        case .basicCode:
            "（不填）。"
        case .implementationCode:
            "（不填）。"
        case .name:
            "政务服务事项的具体名称。"
        case .itemType:
            "分别填写行政审批、行政处罚、行政征收、行政强制、行政确认、行政裁决、行政给付、行政奖励、行政检查、其他行政权力等，基本公共教育、劳动就业服务、社会保险、基本社会服务、基本医疗卫生、人口和计划生育、基本住房保障、公共文化体育、残疾人基本公共服务、其他公共服务等。"
        case .legalBasis:
            """
            1．法律《ⅹⅹ法》第ⅹ条：……（具体内容）。
            2．行政法规《ⅹⅹ条例》第ⅹ条：……（具体内容）。
            3．国务院决定：……（具体内容）。
            4．地方性法规《ⅹⅹ条例》第ⅹ条：……（具体内容）。
            5．规章《ⅹⅹ办法》第ⅹ条：……（具体内容）。
            6．授权依据或委托依据：……（具体内容）。
            """
        case .exerciseLevel:
            "市、区县、乡镇（街道）。"
        case .authorityDivision:
            "划分同一事项在不同层级间行使的标准。多级共有事项必填。如：市、区县共同行使；市级审定、区县级受理等。"
        case .content:
            "根据法定依据规定，提供该项政务服务的目的、内容、方式等基本要素。对不同层级的实施机构行使同一事项有区别性规定的情况，应备注说明。"
        case .implementingBody:
            "办理具体政务服务事项的机构名称。"
        case .bodyNature:
            "法定机关、授权组织、受委托组织。"
        case .statutoryTimeLimit:
            "法规条款明确的某一政务服务事项的具体办结时限。"
        case .acceptanceConditions:
            "法规和文件列明的具体条件。"
        case .materials:
            "应包括材料名称、材料类型、材料样本、电子表单、来源渠道、纸质材料份数和规格、填报须知、受理标准、是否需电子材料。凡是能通过网络共享复用的材料，不得要求企业和群众重复提交；凡是能通过网络核验的信息，不得要求其他单位重复提供。"
        case .jointBodies:
            "同一事项有2个以上实施机构，填写本栏，否则填“无”。"
        case .intermediaryServices:
            "涉及的有规章以上依据的中介服务。"
        case .procedure:
            "以流程图形式说明所涉及的法定程序和环节以及时限要求（如申请、受理、审查、决定、制证发证等），并附以相应的文字说明（按照简化和压缩后的时限编制）。提供图片格式文件，图片清晰美观（如程序和流程较为复杂可在本附件后单独制作）。"
        case .quantityLimit:
            "政务服务事项有数量限制的应予标注，否则填“无”。"
        case .resultName:
            "依据行政规范性文件及以上确立的名称。"
        case .resultSample:
            "政务服务事项申请批准后形成的批文或证照等结果文书样本。证照、批文采用安全通用的文件格式，图片清晰美观，图片中涉及企业、个人信息须隐藏。"
        case .chargesFee:
            "是/否。"
        case .feeStandard:
            "物价部门核定的标准，填写文件规范全称及文号。"
        case .feeBasis:
            "政府部门正式批文，填写文件规范全称及文号。"
        case .serviceObject:
            "自然人/法人。"
        case .caseType:
            "承诺件/即办件。"
        case .promisedTimeLimit:
            "实际对外承诺办件办结时限。"
        case .handlingScope:
            "全国/跨省市/跨区（县）。"
        case .handlingForm:
            "窗口/网上办理"
        case .supportsAppointment:
            "是/否。"
        case .supportsOnlinePayment:
            "是/否。"
        case .supportsDelivery:
            "是/否。"
        case .operatingSystemLevel:
            "国家级/市级/区县级。"
        case .place:
            "具体承办单位所在地点。"
        case .hours:
            "提供该项服务的工作时间。"
        case .enquiryPhone:
            "办理咨询电话。"
        case .faq:
            "常见问题解答，采用问答式。"
        case .complaintPhone:
            "投诉监督联系方式（电话、投诉举报网络平台）。"
        }
    }

    /// Whether units must fill the field. See ``FieldRequirement`` for how each was decided.
    public var requirement: FieldRequirement {
        switch self {
        case .basicCode: .systemAssigned
        case .implementationCode: .systemAssigned
        case .name: .required
        case .itemType: .required
        case .legalBasis: .required
        case .exerciseLevel: .required
        case .authorityDivision: .conditional("多级共有事项必填")
        case .content: .required
        case .implementingBody: .required
        case .bodyNature: .required
        case .statutoryTimeLimit: .required
        case .acceptanceConditions: .required
        case .materials: .required
        case .jointBodies: .required
        case .intermediaryServices: .conditional("涉及有规章以上依据的中介服务时填写")
        case .procedure: .required
        case .quantityLimit: .required
        case .resultName: .required
        case .resultSample: .required
        case .chargesFee: .required
        case .feeStandard: .conditional("是否收费为“是”时必填")
        case .feeBasis: .conditional("是否收费为“是”时必填")
        case .serviceObject: .required
        case .caseType: .required
        case .promisedTimeLimit: .required
        case .handlingScope: .optional
        case .handlingForm: .required
        case .supportsAppointment: .required
        case .supportsOnlinePayment: .required
        case .supportsDelivery: .required
        case .operatingSystemLevel: .required
        case .place: .required
        case .hours: .required
        case .enquiryPhone: .required
        case .faq: .required
        case .complaintPhone: .required
        }
    }

    /// True only when the field is unconditionally required of units.
    public var isRequired: Bool { requirement == .required }

    /// What kind of value the field holds.
    public var valueKind: FieldValueKind {
        switch self {
        case .basicCode: .code
        case .implementationCode: .code
        case .name: .text
        case .itemType: .code
        case .legalBasis: .text
        case .exerciseLevel: .code
        case .authorityDivision: .text
        case .content: .text
        case .implementingBody: .text
        case .bodyNature: .code
        case .statutoryTimeLimit: .timeLimit
        case .acceptanceConditions: .text
        case .materials: .structured
        case .jointBodies: .text
        case .intermediaryServices: .text
        case .procedure: .attachment
        case .quantityLimit: .text
        case .resultName: .text
        case .resultSample: .attachment
        case .chargesFee: .yesNo
        case .feeStandard: .structured
        case .feeBasis: .structured
        case .serviceObject: .code
        case .caseType: .code
        case .promisedTimeLimit: .timeLimit
        case .handlingScope: .choice
        case .handlingForm: .code
        case .supportsAppointment: .yesNo
        case .supportsOnlinePayment: .yesNo
        case .supportsDelivery: .yesNo
        case .operatingSystemLevel: .choice
        case .place: .text
        case .hours: .text
        case .enquiryPhone: .phone
        case .faq: .structured
        case .complaintPhone: .phone
        }
    }

    /// True for fields holding a list of records rather than one value: 申请材料, 收费标准,
    /// 收费依据 (per fee item) and 常见问题 (question/answer pairs).
    public var isStructured: Bool { valueKind == .structured }

    /// The enumerated values the annex gives for the field, verbatim (split on "/" or "、"),
    /// or an empty array when the annex gives none. These are the seed's wording, which is
    /// coarser than the code tables (e.g. 服务对象 自然人/法人 vs ``ServiceObject``).
    public var seedValues: [String] {
        switch self {
        case .exerciseLevel: ["市", "区县", "乡镇（街道）"]
        case .bodyNature: ["法定机关", "授权组织", "受委托组织"]
        case .chargesFee: ["是", "否"]
        case .serviceObject: ["自然人", "法人"]
        case .caseType: ["承诺件", "即办件"]
        case .handlingScope: ["全国", "跨省市", "跨区（县）"]
        case .handlingForm: ["窗口", "网上办理"]
        case .supportsAppointment: ["是", "否"]
        case .supportsOnlinePayment: ["是", "否"]
        case .supportsDelivery: ["是", "否"]
        case .operatingSystemLevel: ["国家级", "市级", "区县级"]
        default: []
        }
    }

    /// Whether a change of this field alone must be filed with the reform office: true only for
    /// 事项名称 and 设定依据 (seed 000 Annex 1 §4, which says 名称、设立依据).
    public var changeRequiresFiling: Bool {
        ImplementationAdjustmentKind.filingRelevantFields.contains(self)
    }

    /// `"3 事项名称 (name)"`.
    public var description: String { "\(number) \(header) (\(key))" }

    /// The 36 headers in annex order, for CSV templates.
    public static var headers: [String] { allCases.map(\.header) }

    /// The field whose `header` equals `header` exactly, or nil.
    public init?(header: String) {
        guard let field = ImplementationField.allCases.first(where: { $0.header == header }) else { return nil }
        self = field
    }

    /// The field whose `key` equals `key` exactly, or nil.
    public init?(key: String) {
        guard let field = ImplementationField.allCases.first(where: { $0.key == key }) else { return nil }
        self = field
    }

    /// The attributes each 申请材料 entry must carry (Annex 4 row 13), verbatim, in order.
    public static let materialAttributes: [String] = [
        "材料名称", "材料类型", "材料样本", "电子表单", "来源渠道", "纸质材料份数和规格", "填报须知", "受理标准", "是否需电子材料",
    ]

    /// Codable as the `key` string.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let field = ImplementationField(key: raw) else {
            throw CodeTableError(
                table: "实施清单字段 (implementation field)", code: raw,
                validCodes: ImplementationField.allCases.map(\.key).joined(separator: ", "))
        }
        self = field
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
