/// Who may call each method: the one table every request is checked against.
///
/// A method missing from the table is refused to everyone but admin, so a new method cannot slip
/// through unguarded (a test checks that every registered method has a rule). Admin may call
/// everything. Rules whose roles include ``Role/clerk`` are *unit-bound*: a clerk is granted the
/// call only for its own unit, a gateway only for the unit it acts for, and the method's handler
/// checks the unit it touches with ``RequestContext/authorize(unit:action:)``.
public enum MethodAccess {
    public struct Rule: Sendable, Equatable {
        /// The roles that may call the method (admin always may).
        public var roles: Set<Role>
        /// Clerk and gateway grants are limited to a unit the handler checks.
        public var unitBound: Bool { roles.contains(.clerk) }
    }

    static let everyone = Set(Role.allCases)
    static let auditors: Set<Role> = [.auditor, .justiceBureau, .reformOffice, .archivist]
    static let clerks: Set<Role> = [.clerk]

    /// Every method's rule.
    public static let rules: [String: Rule] = {
        var r: [String: Set<Role>] = [:]
        // Anyone the policy knows.
        for m in ["system.ping", "system.methods", "system.stats", "system.whoami"] { r[m] = everyone }
        // The registry's public state: every principal may read it.
        for m in ["unit.get", "unit.list", "catalogue.get", "catalogue.list", "catalogue.export", "catalogue.history",
                  "implementation.get", "implementation.list", "implementation.export", "implementation.history",
                  "ledger.get", "ledger.export", "adjustment.get", "adjustment.list", "adjustment.deadlines",
                  "filing.get", "filing.list", "filing.export", "calendar.get", "supervision.overdue", "metrics.get"] {
            r[m] = everyone
        }
        // The raw log, replay and verification: auditors, the justice bureau, the reform office, the archives.
        for m in ["events.read", "events.subscribe", "events.unsubscribe", "audit.verify", "audit.replay", "audit.history",
                  "audit.diff", "admin.checkProjections"] {
            r[m] = auditors
        }
        // A unit's own steps of the procedure.
        for m in ["adjustment.submit", "adjustment.resubmit", "adjustment.publish", "adjustment.archive", "adjustment.updateGuide", "filing.submit", "unit.zeroReport"] {
            r[m] = clerks
        }
        // The service centre's review.
        for m in ["adjustment.approve", "adjustment.return"] { r[m] = [.reviewer] }
        // The reform office.
        for m in ["filing.forward", "supervision.notice", "calendar.publish", "unit.register", "unit.rename", "unit.dissolve",
                  "catalogue.import", "implementation.import"] {
            r[m] = [.reformOffice]
        }
        // A rectification is reported by the notified unit (or recorded by the reform office).
        r["supervision.rectify"] = [.clerk, .reformOffice]
        // The archives.
        r["archive.export"] = [.archivist]
        r["archive.verify"] = auditors
        // A gateway names the unit it acts for.
        r["gateway.actFor"] = [.gateway]
        // Operator-only: raw events (the registry's own streams are refused to everyone anyway),
        // rebuilds, and backups (a file the daemon writes where the caller says).
        for m in ["events.append", "admin.rebuild", "system.backup"] { r[m] = [] }
        return r.mapValues { Rule(roles: $0) }
    }()

    /// Decides whether `principal` may call `method`, acting for `actingFor` (a gateway's current unit).
    public static func grant(_ method: String, to principal: Principal, actingFor: ActingFor?) -> Result<Grant, AccessDenial> {
        if principal.roles.contains(.admin) {
            return .success(Grant(principal: principal, unit: nil, actingFor: actingFor))
        }
        guard let rule = rules[method] else {
            return .failure(AccessDenial(method: method, principal: principal, reason: "only admin may call it"))
        }
        let held = rule.roles.intersection(principal.roles)
        // An office role the rule names, or a rule open to gateways (reading): no unit limit.
        if !held.subtracting([.clerk, .gateway]).isEmpty || (rule.roles.contains(.gateway) && !held.isEmpty) {
            return .success(Grant(principal: principal, unit: nil, actingFor: actingFor))
        }
        // A unit's own step: a clerk for its unit, a gateway for the unit it acts for.
        if held.contains(.clerk), let unit = principal.unit {
            return .success(Grant(principal: principal, unit: unit, actingFor: nil))
        }
        if rule.roles.contains(.clerk), principal.roles.contains(.gateway) {
            guard let actingFor else {
                return .failure(AccessDenial(method: method, principal: principal,
                    reason: "a gateway must first name the unit it acts for (gateway.actFor)"))
            }
            return .success(Grant(principal: principal, unit: actingFor.unit, actingFor: actingFor))
        }
        let needed = rule.roles.isEmpty ? "only admin may call it" : "it needs the role \(rule.roles.sorted().map(\.rawValue).joined(separator: " or "))"
        return .failure(AccessDenial(method: method, principal: principal, reason: needed))
    }
}

/// The unit a gateway connection currently acts for, and the person at the front end.
public struct ActingFor: Sendable, Equatable {
    public var unit: String
    public var person: String?

    public init(unit: String, person: String?) {
        self.unit = unit
        self.person = person
    }
}

/// A call the policy allows, and within what limits.
public struct Grant: Sendable, Equatable {
    public var principal: Principal
    /// The only unit the call may touch (a clerk's own, or a gateway's current one); `nil`: any.
    public var unit: String?
    /// For a gateway: on whose behalf it acts (recorded with its own identity).
    public var actingFor: ActingFor?
}

/// Why a call was refused.
public struct AccessDenial: Error, Sendable, Equatable {
    public var method: String
    public var principal: Principal
    public var reason: String
}
