/// What a principal may do, by office (seed 000 Annex 1: who submits, reviews, files, forwards).
///
/// A role grants methods (see ``MethodAccess``); the clerk role is further bound to the principal's
/// own unit, and the gateway role to the unit it currently acts for.
public enum Role: String, CaseIterable, Sendable, Hashable, Comparable {
    /// A unit's clerk: submits, resubmits, publishes, files and archives its own unit's adjustments.
    case clerk
    /// The service centre (行政服务中心): approves or returns adjustments.
    case reviewer
    /// The reform office (审改办): registers units, forwards filings, issues rectification notices,
    /// publishes the working-day calendar, imports the catalogue.
    case reformOffice = "reform-office"
    /// The justice bureau (司法局): reads, replays and verifies (it receives forwarded filings).
    case justiceBureau = "justice-bureau"
    /// An auditor: reads, replays and verifies.
    case auditor
    /// The archives: exports electronic records and verifies them.
    case archivist
    /// The operator: everything, including rebuilds and raw events.
    case admin
    /// A trusted front end that acts on behalf of a named unit (with a clerk's rights for that
    /// unit); both its own identity and the unit's are recorded.
    case gateway

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

    /// What the role is, for messages.
    public var label: String {
        switch self {
        case .clerk: return "clerk (经办)"
        case .reviewer: return "reviewer (行政服务中心)"
        case .reformOffice: return "reform office (审改办)"
        case .justiceBureau: return "justice bureau (司法局)"
        case .auditor: return "auditor"
        case .archivist: return "archivist"
        case .admin: return "admin"
        case .gateway: return "gateway"
        }
    }
}
