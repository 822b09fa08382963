/// A ``BagCheck`` made from a closure: one result with a fixed id and property.
///
/// If the closure throws, the check fails with the error's description as its message.
public struct ClosureBagCheck: BagCheck {
    /// The result's id.
    public let id: String
    /// The result's DA/T 70 property.
    public let property: ArchiveProperty
    private let body: @Sendable (BagSnapshot) throws -> BagCheckOutcome

    public init(id: String, property: ArchiveProperty, _ body: @escaping @Sendable (BagSnapshot) throws -> BagCheckOutcome) {
        self.id = id
        self.property = property
        self.body = body
    }

    /// Runs the closure once and wraps its outcome (or thrown error) in one result.
    public func run(on bag: BagSnapshot) -> [BagCheckResult] {
        do {
            let outcome = try body(bag)
            return [BagCheckResult(id: id, property: property, passed: outcome.passed, message: outcome.message)]
        } catch {
            return [BagCheckResult(id: id, property: property, passed: false, message: "check could not run: \(error)")]
        }
    }
}
