/// What a ``ClosureBagCheck`` body reports: pass or fail, with a message naming the files.
public struct BagCheckOutcome: Sendable, Equatable {
    /// Whether the check passed.
    public var passed: Bool
    /// One line for people, naming the files concerned.
    public var message: String

    public init(passed: Bool, message: String) {
        self.passed = passed
        self.message = message
    }

    /// A passing outcome.
    public static func pass(_ message: String) -> BagCheckOutcome { BagCheckOutcome(passed: true, message: message) }
    /// A failing outcome.
    public static func fail(_ message: String) -> BagCheckOutcome { BagCheckOutcome(passed: false, message: message) }
}
