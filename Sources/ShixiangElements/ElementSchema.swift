import ShixiangCodes
import ShixiangJSON

/// Whether a key must be filled (internal; the public requirement lives in ShixiangCodes).
enum Presence: Sendable {
    /// Must be present and non-empty for ``ValidationMode/complete``; may never be cleared.
    case required
    /// May be absent or empty.
    case optional
    /// Required only when a cross-field condition holds (checked by the schema's owner).
    case conditional
    /// System-assigned: rejected with rule `derived` whenever given.
    case derived
}

/// One key of an element object (internal).
struct FieldSpec: Sendable {
    let key: String
    /// Chinese term with English in parentheses, for messages.
    let name: String
    let kind: ValueKind
    let presence: Presence
}

/// The keys of an element object and the shared normalise-and-check pass (internal).
struct ElementSchema: Sendable {
    let specs: [FieldSpec]
    /// What the object is called in messages ("目录清单要素 (directory elements)").
    let objectName: String

    func spec(_ key: String) -> FieldSpec? {
        specs.first { $0.key == key }
    }

    /// The result of one pass: the normalised members (nil when the input is not an object),
    /// the original members and the checker holding the findings.
    struct Pass {
        var members: [String: JSONValue]
        var normalised: [String: JSONValue]
        var checker: Checker
        var isObject: Bool
    }

    /// Normalises every known key, reports unknown and derived keys, and checks required keys
    /// for `mode`. Cross-field rules are left to the caller.
    func run(_ object: JSONValue, mode: ValidationMode) -> Pass {
        var checker = Checker()
        guard let members = object.objectValue else {
            checker.add("", .type, "\(objectName) must be a JSON object keyed by field names, got \(object.typeName)")
            return Pass(members: [:], normalised: [:], checker: checker, isObject: false)
        }
        var normalised: [String: JSONValue] = [:]
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            normalised[key] = value
            guard let spec = spec(key) else {
                checker.add(key, .unknownField, "“\(key)” is not a field of the \(objectName); known fields: \(specs.filter { $0.presence != .derived }.map(\.key).joined(separator: ", "))")
                continue
            }
            if spec.presence == .derived {
                checker.add(key, .derived, "\(spec.name) is assigned by the registry (derived from the unit, the exercise level and the catalogue item); do not give it")
                continue
            }
            if ElementObject.isEmpty(value) { continue }
            normalised[key] = checker.check(value, kind: spec.kind, path: key, name: spec.name)
        }
        for spec in specs where spec.presence == .required {
            switch mode {
            case .complete:
                if ElementObject.isEmpty(members[spec.key]) {
                    checker.add(spec.key, .required, "\(spec.name) is required")
                }
            case .partial:
                if members[spec.key] != nil, ElementObject.isEmpty(members[spec.key]) {
                    checker.add(spec.key, .required, "\(spec.name) is required and cannot be cleared")
                }
            }
        }
        return Pass(members: members, normalised: normalised, checker: checker, isObject: true)
    }

    /// A conditional requirement once its condition holds: in ``ValidationMode/complete`` the
    /// key must be present and non-empty; in ``ValidationMode/partial`` it may be absent (the
    /// stored value counts) but not given empty.
    func requireConditional(_ key: String, because reason: String, in pass: inout Pass, mode: ValidationMode) {
        let value = pass.members[key]
        let missing = mode == .complete ? ElementObject.isEmpty(value) : (value != nil && ElementObject.isEmpty(value))
        guard missing, let spec = spec(key) else { return }
        pass.checker.add(key, .required, "\(spec.name) is required when \(reason)")
    }

    /// The rules whose findings mean a value could not be normalised.
    static let normalisationRules: Set<String> = [
        ElementRule.type.rawValue, ElementRule.code.rawValue, ElementRule.timeLimit.rawValue,
        ElementRule.structure.rawValue, ElementRule.range.rawValue,
    ]

    /// ``run(_:mode:)`` reduced to normalisation: the normalised object and the findings about
    /// values that could not be normalised.
    func normalise(_ object: JSONValue) -> (JSONValue, [ElementFinding]) {
        let pass = run(object, mode: .partial)
        guard pass.isObject else { return (object, pass.checker.findings) }
        return (.object(pass.normalised), pass.checker.findings.filter { Self.normalisationRules.contains($0.rule) })
    }
}
