import ShixiangJSON

/// Helpers for the JSON objects that hold elements and fields.
public enum ElementObject: Sendable {
    /// Applies a partial change to a stored object: every key of `change` replaces the stored
    /// value, and a `null` in `change` removes the key. Non-object inputs are treated as empty
    /// objects. The result is always an object.
    public static func merging(_ change: JSONValue, into base: JSONValue) -> JSONValue {
        var result = base.objectValue ?? [:]
        for (key, value) in change.objectValue ?? [:] {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    /// ``merging(_:into:)`` of canonical objects, as bytes where they allow it
    /// (``CanonicalJSON/replacingMembers(with:)``) and as trees otherwise: how a fold applies an
    /// item's or an entry's changes (see ``PatchedObject``).
    public static func merging(_ change: CanonicalJSON, into base: CanonicalJSON) -> CanonicalJSON {
        base.replacingMembers(with: change) ?? CanonicalJSON(merging(change.value, into: base.value))
    }

    /// True when `value` counts as empty for a required element: absent, null, a string that
    /// is empty after trimming whitespace, or an empty array or object.
    public static func isEmpty(_ value: JSONValue?) -> Bool {
        guard let value else { return true }
        switch value {
        case .null: return true
        case .string(let s): return s.allSatisfy(\.isWhitespace)
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        case .bool, .int, .double: return false
        }
    }
}
