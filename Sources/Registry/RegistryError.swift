/// Why the registry refused a command, in terms a clerk can act on.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command breaks a rule; `field` names the offending field (a dotted path).
    case rule(field: String, message: String)
    /// The action is not allowed in the object's current state.
    case illegalTransition(what: String, state: String, action: String)
    /// The thing the command refers to does not exist.
    case notFound(what: String, key: String)
    /// The thing the command would create already exists.
    case alreadyExists(what: String, key: String)

    public var description: String {
        switch self {
        case let .rule(field, message): return "\(field): \(message)"
        case let .illegalTransition(what, state, action):
            return "Cannot \(action) \(what): it is \(state)."
        case let .notFound(what, key): return "No \(what) \(key) is registered."
        case let .alreadyExists(what, key): return "\(what.prefix(1).uppercased() + what.dropFirst()) \(key) already exists."
        }
    }
}
