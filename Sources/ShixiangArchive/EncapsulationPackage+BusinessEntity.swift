extension EncapsulationPackage {
    /// 业务实体: one business action on a record (e.g. one workflow event of an adjustment).
    ///
    /// Rendered as 业务标识, 机构人员标识, 文件标识, 业务状态, 业务行为, 行为时间, 行为依据, 行为描述.
    public struct BusinessEntity: Sendable, Equatable {
        /// 业务标识: this action's identifier (e.g. the event id).
        public var businessID: String
        /// 机构人员标识: the acting agent (an ``AgentEntity/agentID``).
        public var agentID: String
        /// 文件标识: the record acted on (a ``FileEntity/recordNumber``).
        public var fileID: String
        /// 业务状态, e.g. `历史行为` or `计划任务`.
        public var status: String
        /// 业务行为, e.g. `提交申请`, `审核`, `退回`, `公布`, `备案`, `抄送`, `归档`.
        public var action: String
        /// 行为时间, e.g. `2025-03-14T09:30:00+08:00`.
        public var actionTime: String
        /// 行为依据 (the legal or policy basis); omitted when `nil`.
        public var basis: String?
        /// 行为描述; omitted when `nil`.
        public var description: String?

        public init(businessID: String, agentID: String, fileID: String, status: String = "历史行为",
                    action: String, actionTime: String, basis: String? = nil, description: String? = nil) {
            self.businessID = businessID
            self.agentID = agentID
            self.fileID = fileID
            self.status = status
            self.action = action
            self.actionTime = actionTime
            self.basis = basis
            self.description = description
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("业务实体")
            element.append("业务标识", businessID)
            element.append("机构人员标识", agentID)
            element.append("文件标识", fileID)
            element.append("业务状态", status)
            element.append("业务行为", action)
            element.append("行为时间", actionTime)
            element.append("行为依据", basis)
            element.append("行为描述", description)
            return element
        }
    }
}
