/// One `Label: value` line of a tag file such as `bag-info.txt`.
public struct BagInfoLabel: Sendable, Equatable, Codable {
    /// The label, e.g. `Source-Organization`. Compared case-insensitively by readers.
    public var label: String
    /// The value; any Unicode text (Chinese included) without CR or LF.
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}
