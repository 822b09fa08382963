/// The outcome of one check on a bag.
public struct BagCheckResult: Sendable, Equatable, Codable {
    /// Stable identifier, e.g. `payload.digests.sha256` (see ``BagCheckID``).
    public var id: String
    /// The DA/T 70 property the check serves.
    public var property: ArchiveProperty
    /// Whether the bag passed.
    public var passed: Bool
    /// One line for people, naming the files concerned.
    public var message: String

    public init(id: String, property: ArchiveProperty, passed: Bool, message: String) {
        self.id = id
        self.property = property
        self.passed = passed
        self.message = message
    }

    /// The result as one report line: `✓ id [真实性 authenticity] message`.
    public var line: String {
        "\(passed ? "✓" : "✗") \(id) [\(property.chineseName) \(property.rawValue)] \(message)"
    }
}
