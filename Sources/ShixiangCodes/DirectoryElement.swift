/// One of the 9 elements of the 目录清单 (directory list), seed 001 Annex 3, in column order.
///
/// `header` is the exact column header of the annex. The annex's first column, 序号, is not an
/// element: "编制完成后序号由基本编码替代" (note 2), see ``sequenceHeader`` and
/// ``basicCodeHeader``. All 9 elements are required ("9项基本要素"); when 是否公开 is 否, a basis
/// document must be attached (note 11).
public enum DirectoryElement: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// 事项名称.
    case name = 1
    /// 事项类型.
    case itemType
    /// 行使内容.
    case content
    /// 实施机构名称.
    case implementingBody
    /// 服务对象.
    case serviceObject
    /// 服务主题.
    case theme
    /// 设定依据.
    case legalBasis
    /// 办理形式.
    case handlingForm
    /// 是否公开.
    case isPublic

    /// The annex's first column before coding.
    public static let sequenceHeader = "序号"
    /// The column that replaces 序号 once items are coded (note 2).
    public static let basicCodeHeader = "基本编码"

    /// 1-based position among the 9 elements.
    public var number: Int { rawValue }

    /// The exact column header of Annex 3.
    public var header: String {
        switch self {
        case .name: "事项名称"
        case .itemType: "事项类型"
        case .content: "行使内容"
        case .implementingBody: "实施机构名称"
        case .serviceObject: "服务对象"
        case .theme: "服务主题"
        case .legalBasis: "设定依据"
        case .handlingForm: "办理形式"
        case .isPublic: "是否公开"
        }
    }

    /// The lowerCamel English key.
    public var key: String {
        switch self {
        case .name: "name"
        case .itemType: "itemType"
        case .content: "content"
        case .implementingBody: "implementingBody"
        case .serviceObject: "serviceObject"
        case .theme: "theme"
        case .legalBasis: "legalBasis"
        case .handlingForm: "handlingForm"
        case .isPublic: "isPublic"
        }
    }

    /// All 9 are required.
    public var isRequired: Bool { true }

    /// The enumerated values the annex notes give, verbatim; empty when free text.
    /// 事项类型 → ``ItemType/seedCategoryLabels``; 服务主题 → ``personThemes`` and
    /// ``legalPersonThemes`` (not merged here because the list depends on 服务对象).
    public var seedValues: [String] {
        switch self {
        case .itemType: ItemType.seedCategoryLabels.map(\.label)
        case .serviceObject: ["个人（含个体工商户）", "法人（含其他组织）"]
        case .handlingForm: ["窗口办理", "网上办理"]
        case .isPublic: ["是", "否"]
        default: []
        }
    }

    /// The matching implementation-list field (Annex 4), e.g. 实施机构名称 → 实施机构; nil for
    /// 服务主题 and 是否公开, which Annex 4 does not carry.
    public var implementationField: ImplementationField? {
        switch self {
        case .name: .name
        case .itemType: .itemType
        case .content: .content
        case .implementingBody: .implementingBody
        case .serviceObject: .serviceObject
        case .theme: nil
        case .legalBasis: .legalBasis
        case .handlingForm: .handlingForm
        case .isPublic: nil
        }
    }

    /// `"1 事项名称 (name)"`.
    public var description: String { "\(number) \(header) (\(key))" }

    /// The 9 element headers in column order (without 序号 / 基本编码).
    public static var headers: [String] { allCases.map(\.header) }

    /// The element whose `header` equals `header` exactly, or nil.
    public init?(header: String) {
        guard let element = DirectoryElement.allCases.first(where: { $0.header == header }) else { return nil }
        self = element
    }

    /// The element whose `key` equals `key` exactly, or nil.
    public init?(key: String) {
        guard let element = DirectoryElement.allCases.first(where: { $0.key == key }) else { return nil }
        self = element
    }

    /// 服务主题 for items serving individuals (Annex 3 note 8), verbatim, in the annex's order.
    public static let personThemes: [String] = [
        "生育收养", "户籍办理", "民族宗教", "教育科研", "入伍服役", "就业创业", "设立变更", "准营准办",
        "抵押质押", "职业资格", "行政缴费", "婚姻登记", "优待抚恤", "规划建设", "住房保障",
        "社会保障（社会保险、社会救助）", "证件办理", "交通出行", "旅游观光", "出境入境", "消费维权",
        "公共安全", "司法公证", "知识产权", "环保绿化", "文化体育", "公用事业", "医疗卫生", "离职退休",
        "死亡殡葬", "其他",
    ]

    /// 服务主题 for items serving legal persons (Annex 3 note 8), verbatim, in the annex's order
    /// (法人生命周期). The annex's trailing "（按照法人生命周期排序）" is a remark, not part of 其他.
    public static let legalPersonThemes: [String] = [
        "设立变更", "准营准办", "资质认证", "年检年审", "税收财务", "人力资源", "社会保障", "投资审批",
        "融资信贷", "抵押质押", "商务贸易", "招标拍卖", "海关口岸", "涉外服务", "农林牧渔", "国土和规划建设",
        "交通运输", "环保绿化", "应对气候变化", "水务气象", "医疗卫生", "科技创新", "文体教育", "知识产权",
        "民族宗教", "质量技术", "检验检疫", "安全生产", "公安消防", "司法公证", "公用事业", "法人注销",
        "档案文物", "其他",
    ]
}
