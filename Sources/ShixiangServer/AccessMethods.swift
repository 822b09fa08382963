import Registry
import ShixiangJSON
import ShixiangRPC

/// `system.whoami` and `gateway.actFor`: who the daemon takes the caller for, and a gateway
/// naming the unit it acts for.
public enum AccessMethods {
    struct ActForParams: RPCParams {
        static let fields: Set<String> = ["unit", "person"]
        var unit: String?, person: String?
    }

    public static func register(into table: inout MethodTable, registry: Registry, policy: PolicyStore) {
        table.register("system.whoami", NoParams.self,
                       summary: "Who the daemon takes the caller for: the socket peer, its principal, roles and unit.") { _, c in
            whoami(c, policy: policy)
        }
        table.register("gateway.actFor", ActForParams.self,
                       summary: "A gateway names the unit (and person) it acts for on this connection; no unit stops acting for one.") { p, c in
            guard let grant = c.grant else { throw RPCError(code: RPCErrorCode.permissionDenied, message: "Permission denied: the caller is not identified.") }
            guard let code = p.unit?.trimmingCharacters(in: .whitespaces) else {
                c.connection.actingFor = nil
                return whoami(c, policy: policy)
            }
            guard !code.isEmpty else { throw RPCError.invalidParams("unit", "expected a unit's credit code, or no unit to stop acting for one") }
            if let allowed = grant.principal.gatewayUnits, !allowed.contains(code) {
                throw RPCError(code: RPCErrorCode.permissionDenied,
                               message: "Permission denied: the access policy does not let \(grant.principal.name) act for unit \(code).",
                               data: ["unit": .string(code)])
            }
            guard let unit = try registry.unit(code) else { throw RegistryError.notFound(what: "unit", key: code) }
            guard !unit.dissolved else {
                throw RegistryError.illegalTransition(what: "unit \(code)", state: "dissolved", action: "act for")
            }
            let person = p.person?.trimmingCharacters(in: .whitespaces)
            c.connection.actingFor = ActingFor(unit: code, person: person?.isEmpty == false ? person : nil)
            var context = c
            context.grant?.actingFor = c.connection.actingFor
            return whoami(context, policy: policy)
        }
    }

    static func whoami(_ c: RequestContext, policy: PolicyStore) -> JSONValue {
        let principal = c.grant?.principal
        var peer: JSONValue = .null
        if let p = c.peer {
            peer = ["uid": .int(Int64(p.uid)), "gid": .int(Int64(p.gid)), "pid": .int(Int64(p.pid)),
                    "groups": .array(p.groups.map { .int(Int64($0)) })]
        }
        let acting = c.connection.actingFor
        return [
            "peer": peer,
            "principal": principal.map { .string($0.name) } ?? .null,
            "roles": .array((principal?.roles.sorted() ?? []).map { .string($0.rawValue) }),
            "unit": principal?.unit.map(JSONValue.string) ?? .null,
            "actingFor": acting.map { a in ["unit": .string(a.unit), "person": a.person.map(JSONValue.string) ?? .null] } ?? .null,
            "policy": .string(policy.policy.source),
        ]
    }
}
