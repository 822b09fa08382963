extension EncapsulationPackage {
    /// 机构人员实体: an organisation, department or person that acts on records.
    ///
    /// Rendered as 机构人员标识, 机构人员类型, 机构人员名称, 组织机构代码 or 统一社会信用代码, 个人职位.
    public struct AgentEntity: Sendable, Equatable {
        /// The registration code an organisation is identified by.
        public enum OrganizationCode: Sendable, Equatable {
            /// 统一社会信用代码 (18 characters, GB 32100).
            case unifiedSocialCreditCode(String)
            /// 组织机构代码 (the older 9-character code).
            case organizationCode(String)
        }

        /// 机构人员标识, referenced by ``BusinessEntity/agentID``.
        public var agentID: String
        /// 机构人员类型, e.g. `单位`, `内设机构`, `个人`.
        public var type: String
        /// 机构人员名称.
        public var name: String
        /// 组织机构代码 or 统一社会信用代码; omitted when `nil` (e.g. for a person).
        public var code: OrganizationCode?
        /// 个人职位; omitted when `nil`.
        public var position: String?

        public init(agentID: String, type: String, name: String, code: OrganizationCode? = nil, position: String? = nil) {
            self.agentID = agentID
            self.type = type
            self.name = name
            self.code = code
            self.position = position
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("机构人员实体")
            element.append("机构人员标识", agentID)
            element.append("机构人员类型", type)
            element.append("机构人员名称", name)
            switch code {
            case .unifiedSocialCreditCode(let value)?: element.append("统一社会信用代码", value)
            case .organizationCode(let value)?: element.append("组织机构代码", value)
            case nil: break
            }
            element.append("个人职位", position)
            return element
        }
    }
}
