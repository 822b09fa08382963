import Foundation

/// A DA/T 48-2009 electronic-record encapsulation package (EEP, 电子文件封装包) as XML.
///
/// Rendered structure (element names are the Chinese DA/T 46/48 names):
///
///     电子文件封装包 (xmlns = ``namespace``)
///       封装包格式描述, 版本
///       被签名对象 (eep版本 = 版本)
///         封装包类型, 封装包类型描述, 封装包创建时间, 封装包创建单位
///         封装内容
///           文件实体块 → 文件实体*        (``FileEntity``)
///           业务实体块 → 业务实体*        (``BusinessEntity``)
///           机构人员实体块 → 机构人员实体* (``AgentEntity``)
///
/// Not modelled (the standard has them; add when needed):
/// - 电子签名块 (电子签名: 签名标识符, 签名规则, 签名时间, 签名人, 签名结果, 证书块, 证书引证,
///   签名算法标识) and 锁定签名 after 被签名对象. Long-term integrity here rests on the digests
///   and the bag's manifests, not on signatures (which archives may drop).
/// - 修改封装内容 (the modification layer of a 修改型 package, wrapping the original 被签名对象).
/// - Most DA/T 46 metadata of 文件实体: 档案馆代码; 档号's 目录号, 类别号, 案卷号, 页号;
///   内容描述's 并列题名, 主题词, 关键词, 摘要, 文件编号, 文种, 紧急程度, 主送, 抄送, 密级,
///   保密期限; 形式特征; 存储位置; 权限管理; 信息系统描述; 附注; 实体关系.
/// - Embedded content: the standard's 编码 carries 编码描述 / 反编码关键字 (base64) / 编码数据
///   with the file itself. Here 编码 references the BagIt payload file by name, size and
///   数字摘要 instead (see ``EncapsulationPackage/Encoding``); 数字摘要 is this profile's element.
/// - 数字化属性 and 电子属性's 文档创建程序 / 信息系统描述.
///
/// All values are plain strings written as given (escaped); the caller supplies dates in the
/// forms its archive expects (``timestamp(_:timeZone:)`` helps for 封装包创建时间 / 行为时间).
public struct EncapsulationPackage: Sendable, Equatable {
    /// The DA/T 48 namespace, written as the root's default namespace.
    public static let namespace = "http://www.saac.gov.cn/standards/ERM/encapsulation"
    /// The standard's fixed 封装包格式描述 text.
    public static let standardFormatDescription = "本EEP根据中华人民共和国档案行业标准DA/T 48-2009《基于XML的电子文件封装规范》生成"

    /// 封装包类型: 原始型 (original) or 修改型 (modified).
    public enum PackageType: String, Sendable, Equatable, CaseIterable {
        case original = "原始型"
        case modified = "修改型"

        /// The usual 封装包类型描述 for this type.
        public var standardDescription: String {
            switch self {
            case .original: return "本封装包包含电子文件数据及其元数据，原始封装，未经修改"
            case .modified: return "本封装包包含电子文件数据及其元数据，系修改封装，在保留原封装包的基础上，添加了修改层"
            }
        }
    }

    /// 封装包格式描述.
    public var formatDescription: String
    /// 版本 (also the 被签名对象's `eep版本` attribute).
    public var version: String
    /// 封装包类型.
    public var type: PackageType
    /// 封装包类型描述; `nil` writes ``PackageType/standardDescription``.
    public var typeDescription: String?
    /// 封装包创建时间, e.g. `2025-03-14T09:30:00+08:00`.
    public var createdAt: String
    /// 封装包创建单位.
    public var creatingUnit: String
    /// 文件实体块 content.
    public var fileEntities: [FileEntity]
    /// 业务实体块 content: one 业务实体 per business action (e.g. each workflow event of an adjustment).
    public var businessEntities: [BusinessEntity]
    /// 机构人员实体块 content.
    public var agentEntities: [AgentEntity]

    public init(
        createdAt: String,
        creatingUnit: String,
        type: PackageType = .original,
        typeDescription: String? = nil,
        version: String = "2009",
        formatDescription: String = EncapsulationPackage.standardFormatDescription,
        fileEntities: [FileEntity] = [],
        businessEntities: [BusinessEntity] = [],
        agentEntities: [AgentEntity] = []
    ) {
        self.createdAt = createdAt
        self.creatingUnit = creatingUnit
        self.type = type
        self.typeDescription = typeDescription
        self.version = version
        self.formatDescription = formatDescription
        self.fileEntities = fileEntities
        self.businessEntities = businessEntities
        self.agentEntities = agentEntities
    }

    /// The package as an element tree (root `电子文件封装包`). The three blocks are always
    /// present, empty (`<业务实体块/>`) when they have no entities.
    public func xmlTree() -> XMLElementNode {
        var signed = XMLElementNode("被签名对象", attributes: [XMLAttribute("eep版本", version)])
        signed.append("封装包类型", type.rawValue)
        signed.append("封装包类型描述", typeDescription ?? type.standardDescription)
        signed.append("封装包创建时间", createdAt)
        signed.append("封装包创建单位", creatingUnit)
        signed.append(XMLElementNode("封装内容", elements: [
            XMLElementNode("文件实体块", elements: fileEntities.map { $0.xmlTree() }),
            XMLElementNode("业务实体块", elements: businessEntities.map { $0.xmlTree() }),
            XMLElementNode("机构人员实体块", elements: agentEntities.map { $0.xmlTree() }),
        ]))

        var root = XMLElementNode("电子文件封装包", attributes: [XMLAttribute("xmlns", EncapsulationPackage.namespace)])
        root.append("封装包格式描述", formatDescription)
        root.append("版本", version)
        root.append(signed)
        return root
    }

    /// The UTF-8 XML document with declaration and two-space indentation.
    public func render() -> [UInt8] {
        xmlTree().renderDocument()
    }

    /// `YYYY-MM-DDThh:mm:ss±hh:mm` of `date` in `timeZone` (China Standard Time by default).
    public static func timestamp(_ date: Date, timeZone: TimeZone = BagInfo.chinaStandardTime) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
            + "\(sign)\(pad(minutes / 60)):\(pad(minutes % 60))"
    }
}
