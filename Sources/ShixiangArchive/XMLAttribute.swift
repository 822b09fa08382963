/// A `name="value"` attribute of an ``XMLElementNode``.
public struct XMLAttribute: Sendable, Equatable {
    /// Qualified name, e.g. `xmlns` or `eep版本`. See ``XMLElementNode`` for invalid names.
    public var name: String
    /// Any text; escaped on output.
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
