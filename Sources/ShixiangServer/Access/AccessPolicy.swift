import Foundation
import Glibc
import ShixiangJSON

/// Someone the daemon knows: a name, the roles it holds and, for a clerk, its unit.
public struct Principal: Sendable, Equatable {
    /// How the policy names it (recorded in every event it causes).
    public var name: String
    public var roles: Set<Role>
    /// The unit (统一社会信用代码) it belongs to; a clerk acts only for this unit.
    public var unit: String?
    /// For a gateway: the units it may act for (`nil`: any registered unit).
    public var gatewayUnits: Set<String>?

    public init(name: String, roles: Set<Role>, unit: String? = nil, gatewayUnits: Set<String>? = nil) {
        self.name = name
        self.roles = roles
        self.unit = unit
        self.gatewayUnits = gatewayUnits
    }

    /// "区市场监管局窗口 (clerk of 11510000…)", for messages.
    public var summary: String {
        let roles = self.roles.sorted().map(\.rawValue).joined(separator: ", ")
        return "\(name) (\(roles)\(unit.map { " of unit \($0)" } ?? ""))"
    }
}

/// Who may connect, and as whom: the policy file mapping the socket peer's uid and groups to
/// principals.
///
/// A peer is matched by its uid first; failing that, by its groups (the primary gid from
/// `SO_PEERCRED`, then the supplementary groups from `SO_PEERGROUPS`), the first entry in file
/// order winning. A peer that matches nothing is refused.
public struct AccessPolicy: Sendable {
    public struct Entry: Sendable, Equatable {
        public var principal: Principal
        public var uids: Set<UInt32>
        public var gids: Set<UInt32>
    }

    public let entries: [Entry]
    /// Where the policy came from, for logs and `system.whoami`.
    public var source: String
    /// The first entry (in file order) naming each uid and each gid: every request looks its
    /// principal up, so this is a hash lookup, not a scan of the file.
    private let byUID: [UInt32: Int]
    private let byGID: [UInt32: Int]

    public init(entries: [Entry], source: String) {
        self.entries = entries
        self.source = source
        var byUID: [UInt32: Int] = [:], byGID: [UInt32: Int] = [:]
        for (index, entry) in entries.enumerated() {
            for uid in entry.uids where byUID[uid] == nil { byUID[uid] = index }
            for gid in entry.gids where byGID[gid] == nil { byGID[gid] = index }
        }
        self.byUID = byUID
        self.byGID = byGID
    }

    /// The principal a peer acts as, or `nil` when the policy does not know it.
    public func principal(for peer: PeerCredentials) -> Principal? {
        if let index = byUID[peer.uid] { return entries[index].principal }
        var first: Int?
        for gid in [peer.gid] + peer.groups {
            if let index = byGID[gid], index < (first ?? .max) { first = index }
        }
        return first.map { entries[$0].principal }
    }

    /// The policy without a file: the daemon's own user, as admin, and no one else.
    public static func ownerOnly(uid: UInt32 = getuid()) -> AccessPolicy {
        AccessPolicy(entries: [Entry(principal: Principal(name: "owner", roles: [.admin]), uids: [uid], gids: [])],
                     source: "built-in (no policy file): only uid \(uid), the daemon's own user, as admin")
    }

    // MARK: - The file

    /// Reads a policy file (JSON; see `ops/policy.json.example` and `Schemas/config/policy.schema.json`).
    public static func load(path: String) throws(PolicyError) -> AccessPolicy {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        return try parse(Array(data), path: path)
    }

    /// The members a principal entry may have.
    static let entryMembers: Set<String> = ["name", "uids", "users", "gids", "groups", "roles", "unit", "units", "note"]

    /// Parses a policy, resolving user and group names with the system's databases.
    public static func parse(_ bytes: [UInt8], path: String,
                             lookUpUser: (String) -> UInt32? = systemUser, lookUpGroup: (String) -> UInt32? = systemGroup) throws(PolicyError) -> AccessPolicy {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch { throw .malformed(path: path, where: "the file", reason: "not valid JSON: \(error.message)") }
        guard case .object(let top) = root else { throw .malformed(path: path, where: "the file", reason: "expected a JSON object with \"principals\"") }
        if let unknown = top.keys.sorted().first(where: { $0 != "principals" && $0 != "note" }) {
            throw .malformed(path: path, where: "the file", reason: "unknown member \"\(unknown)\" (allowed: principals, note)")
        }
        guard case .array(let list)? = top["principals"] else {
            throw .malformed(path: path, where: "the file", reason: "\"principals\" must be an array of principals")
        }
        var entries: [Entry] = []
        var names: Set<String> = [], uidOwner: [UInt32: String] = [:], gidOwner: [UInt32: String] = [:]
        for (index, value) in list.enumerated() {
            let place = "principals[\(index)]"
            guard case .object(let o) = value else { throw .malformed(path: path, where: place, reason: "expected an object") }
            if let unknown = o.keys.sorted().first(where: { !entryMembers.contains($0) }) {
                throw .malformed(path: path, where: place, reason: "unknown member \"\(unknown)\" (allowed: \(entryMembers.sorted().joined(separator: ", ")))")
            }
            func strings(_ key: String) throws(PolicyError) -> [String] {
                switch o[key] {
                case nil: return []
                case .array(let a)?:
                    var out: [String] = []
                    for v in a {
                        guard let s = v.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                            throw .malformed(path: path, where: "\(place).\(key)", reason: "expected non-empty strings")
                        }
                        out.append(s)
                    }
                    return out
                default: throw .malformed(path: path, where: "\(place).\(key)", reason: "expected an array of strings")
                }
            }
            func ids(_ key: String) throws(PolicyError) -> [UInt32] {
                switch o[key] {
                case nil: return []
                case .array(let a)?:
                    var out: [UInt32] = []
                    for v in a {
                        guard let n = v.intValue, let id = UInt32(exactly: n) else {
                            throw .malformed(path: path, where: "\(place).\(key)", reason: "expected numeric ids (0…4294967295)")
                        }
                        out.append(id)
                    }
                    return out
                default: throw .malformed(path: path, where: "\(place).\(key)", reason: "expected an array of numbers")
                }
            }
            guard let name = o["name"]?.stringValue?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw .malformed(path: path, where: place, reason: "\"name\" is required (a non-empty string)")
            }
            let at = "\(place) \"\(name)\""
            guard names.insert(name).inserted else { throw .malformed(path: path, where: at, reason: "the name is used twice") }
            var roles: Set<Role> = []
            for r in try strings("roles") {
                guard let role = Role(rawValue: r) else {
                    throw .malformed(path: path, where: "\(at).roles", reason: "unknown role \"\(r)\" (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                roles.insert(role)
            }
            guard !roles.isEmpty else { throw .malformed(path: path, where: at, reason: "\"roles\" must name at least one role") }
            var unit: String?
            if let u = o["unit"] {
                guard let s = u.stringValue?.trimmingCharacters(in: .whitespaces), !s.isEmpty else {
                    throw .malformed(path: path, where: "\(at).unit", reason: "expected a unit's credit code")
                }
                unit = s
            }
            if roles.contains(.clerk) && unit == nil {
                throw .malformed(path: path, where: at, reason: "a clerk must name its \"unit\" (the unit's credit code)")
            }
            var gatewayUnits: Set<String>?
            if o["units"] != nil {
                guard roles.contains(.gateway) else {
                    throw .malformed(path: path, where: "\(at).units", reason: "only a gateway has \"units\" (the units it may act for)")
                }
                gatewayUnits = Set(try strings("units"))
            }
            var uids = try ids("uids"), gids = try ids("gids")
            for user in try strings("users") {
                guard let uid = lookUpUser(user) else { throw .unknownName(path: path, where: "\(at).users", name: user, kind: "user") }
                uids.append(uid)
            }
            for group in try strings("groups") {
                guard let gid = lookUpGroup(group) else { throw .unknownName(path: path, where: "\(at).groups", name: group, kind: "group") }
                gids.append(gid)
            }
            guard !uids.isEmpty || !gids.isEmpty else {
                throw .malformed(path: path, where: at, reason: "name at least one of \"uids\", \"users\", \"gids\" or \"groups\"")
            }
            for uid in uids {
                if let other = uidOwner[uid], other != name { throw .malformed(path: path, where: at, reason: "uid \(uid) is already mapped to \"\(other)\"") }
                uidOwner[uid] = name
            }
            for gid in gids {
                if let other = gidOwner[gid], other != name { throw .malformed(path: path, where: at, reason: "gid \(gid) is already mapped to \"\(other)\"") }
                gidOwner[gid] = name
            }
            entries.append(Entry(principal: Principal(name: name, roles: roles, unit: unit, gatewayUnits: gatewayUnits),
                                 uids: Set(uids), gids: Set(gids)))
        }
        return AccessPolicy(entries: entries, source: path)
    }

    /// A user's uid from the system's user database.
    public static func systemUser(_ name: String) -> UInt32? {
        var pwd = passwd(), result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return pwd.pw_uid
    }

    /// A group's gid from the system's group database.
    public static func systemGroup(_ name: String) -> UInt32? {
        var grp = group(), result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }
}

/// A policy file the daemon cannot use.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case malformed(path: String, where: String, reason: String)
    case unknownName(path: String, where: String, name: String, kind: String)

    public var description: String {
        switch self {
        case .unreadable(let p): return "Cannot read the access policy file \(p)."
        case let .malformed(p, w, r): return "Access policy \(p), \(w): \(r)."
        case let .unknownName(p, w, n, k): return "Access policy \(p), \(w): there is no \(k) named \"\(n)\" on this system."
        }
    }
}
