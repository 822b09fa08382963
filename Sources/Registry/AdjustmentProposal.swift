import EventLog
import ShixiangJSON

/// What a unit asks to change: the content of `adjustment.submit` (and of a resubmission).
///
/// `changes` depends on the kind:
///
/// | list | kind | changes |
/// |---|---|---|
/// | catalogue | add | `{elements, powerSource?}`: all required directory elements |
/// | catalogue | takeOver | `{elements?, exerciseLevel?, powerSource?}` (`elements` required for an item new to the catalogue; power source defaults to 2 上级下放) |
/// | catalogue | delegate | `{exerciseLevel, powerSource?}` (2 上级下放 or 5 上级委托; default 2) |
/// | catalogue | cancel | `{legalityReview}`: the justice bureau's legality-review document |
/// | catalogue | merge | `{sources: [基本编码, …] (two or more), elements?}` (`elements` required when the target is new) |
/// | catalogue | change | `{elements?, status?}` (changed elements; `status` `inUse` or `suspended`) |
/// | catalogue | reinstate | `{}`: restores a cancelled item (the only adjustment a cancelled item accepts) |
/// | catalogue | other | `{description}` |
/// | implementation | claim, add | `{level?, fields}`: the implementation fields (name, type and basis default to the catalogue's) |
/// | implementation | change, followCatalogue | `{fields}`: the changed fields |
/// | implementation | split | `{into: [{fields}, …]}` (two or more finer entries) |
/// | implementation | changeLevel | `{level, fields?}` (fields the new level needs, e.g. 权限划分 for 分级行使) |
/// | implementation | cancel | `{}` |
/// | implementation | other | `{description}` |
///
/// `target` is a 基本编码 for catalogue kinds, claim and add; a 实施编码 for the other implementation kinds.
public struct AdjustmentProposal: Sendable, Equatable {
    public var unit: String
    public var list: AdjustmentList
    public var kind: String
    public var target: String
    public var changes: JSONValue
    public var basis: String
    public var reason: String
    public var evidence: [Evidence]
    public var effectiveAt: Timestamp?

    public init(unit: String, list: AdjustmentList, kind: String, target: String, changes: JSONValue, basis: String,
                reason: String, evidence: [Evidence], effectiveAt: Timestamp? = nil) {
        self.unit = unit
        self.list = list
        self.kind = kind
        self.target = target
        self.changes = changes
        self.basis = basis
        self.reason = reason
        self.evidence = evidence
        self.effectiveAt = effectiveAt
    }

    /// The kinds of each list.
    public static let catalogueKinds = ["add", "takeOver", "delegate", "cancel", "merge", "change", "reinstate", "other"]
    public static let implementationKinds = ["claim", "followCatalogue", "split", "cancel", "changeLevel", "change", "add", "other"]
}
