/// The answer to a deadline question: a deadline, or "unknown" because the period reaches into
/// a year with no published holiday notice (which is never guessed).
public enum DeadlineResult: Sendable, Hashable, CustomStringConvertible {
    /// The deadline could be computed.
    case due(Deadline)
    /// The period reaches into `year`, for which no notice is recorded.
    case unknown(year: Int)

    /// The deadline, or nil when unknown.
    public var deadline: Deadline? {
        switch self {
        case let .due(deadline): return deadline
        case .unknown: return nil
        }
    }

    /// The deadline; throws `CalendarError.unknownYear` when unknown.
    public func get() throws(CalendarError) -> Deadline {
        switch self {
        case let .due(deadline): return deadline
        case let .unknown(year): throw CalendarError.unknownYear(year)
        }
    }

    public var description: String {
        switch self {
        case let .due(deadline): return deadline.description
        case let .unknown(year): return CalendarError.unknownYear(year).description
        }
    }
}
