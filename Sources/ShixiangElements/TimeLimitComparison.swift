import ShixiangCodes

/// A promised time limit set against the statutory one (seed 004 §25).
///
/// The seed says the promise 应当少于法定期限 (must be *shorter*); the registry enforces the
/// weaker "must not exceed" (``exceeds`` true is a finding), because a promise equal to the
/// statutory limit is common and lawful. ``isShorter`` gives the literal reading for reports.
/// Both are nil when the units cannot be compared without a calendar (e.g. 自然日 against 工作日).
public struct TimeLimitComparison: Hashable, Sendable {
    /// 承诺办结时限.
    public let promised: TimeLimit
    /// 法定办结时限.
    public let statutory: TimeLimit

    public init(promised: TimeLimit, statutory: TimeLimit) {
        self.promised = promised
        self.statutory = statutory
    }

    /// Whether the promise is longer than the statutory limit (the enforced rule).
    public var exceeds: Bool? { promised.exceeds(statutory) }

    /// Whether the promise is strictly shorter (the seed's literal 少于).
    public var isShorter: Bool? { promised.isShorter(than: statutory) }
}
