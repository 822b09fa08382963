/// How much of an element object a validation expects.
public enum ValidationMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Adding an item or entry: every required element must be present and non-empty, and every
    /// cross-field rule is checked.
    case complete
    /// A change: only the keys present are checked, every key must be known, and required
    /// elements may not be cleared (set to null or empty). Cross-field rules are checked only
    /// when all the fields they involve are in the object; validate the merged result (see
    /// ``ElementObject/merging(_:into:)``) with ``complete`` to check them against stored values.
    case partial
}
