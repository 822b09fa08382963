/// One line of a unit's working ledger (台账): an item or entry with one adjustment and the
/// dates it passed through. Plain text throughout (dates as the caller formats them, e.g.
/// `2025-03-04`; empty when not reached).
public struct LedgerLine: Hashable, Sendable, Codable {
    /// 事项名称.
    public var itemName: String
    /// 基本编码.
    public var basicCode: String
    /// 实施编码 (empty for catalogue-only lines).
    public var implementationCode: String
    /// 调整类型 (the adjustment kind's label).
    public var adjustmentKind: String
    /// 状态 (the adjustment's workflow state).
    public var status: String
    /// 提交日期.
    public var submittedOn: String
    /// 审核日期.
    public var reviewedOn: String
    /// 公布日期.
    public var publishedOn: String
    /// 备案日期.
    public var filedOn: String
    /// 转送日期 (forwarded to the justice bureau and service centre).
    public var forwardedOn: String
    /// 归档日期.
    public var archivedOn: String
    /// 备注.
    public var remarks: String

    public init(
        itemName: String, basicCode: String, implementationCode: String = "", adjustmentKind: String, status: String,
        submittedOn: String = "", reviewedOn: String = "", publishedOn: String = "", filedOn: String = "",
        forwardedOn: String = "", archivedOn: String = "", remarks: String = ""
    ) {
        self.itemName = itemName
        self.basicCode = basicCode
        self.implementationCode = implementationCode
        self.adjustmentKind = adjustmentKind
        self.status = status
        self.submittedOn = submittedOn
        self.reviewedOn = reviewedOn
        self.publishedOn = publishedOn
        self.filedOn = filedOn
        self.forwardedOn = forwardedOn
        self.archivedOn = archivedOn
        self.remarks = remarks
    }

    /// The values in ``LedgerCSV/header()`` order.
    public var cells: [String] {
        [itemName, basicCode, implementationCode, adjustmentKind, status, submittedOn, reviewedOn,
         publishedOn, filedOn, forwardedOn, archivedOn, remarks]
    }
}
