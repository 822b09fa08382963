import Foundation

/// The outcome of ``BagValidator/validate(at:)``: every check in the order run.
///
/// Codable for `--json`; ``text`` is the human form, one line per check.
public struct BagReport: Sendable, Equatable, Codable {
    /// The bag's root directory.
    public let bagPath: String
    /// Whether every check passed.
    public let passed: Bool
    /// All checks, in the order they ran.
    public let checks: [BagCheckResult]

    public init(bagPath: String, checks: [BagCheckResult]) {
        self.bagPath = bagPath
        self.checks = checks
        self.passed = checks.allSatisfy(\.passed)
    }

    /// The failed checks.
    public var failures: [BagCheckResult] { checks.filter { !$0.passed } }

    /// The first result with `id`, if that check ran.
    public func result(_ id: String) -> BagCheckResult? {
        checks.first { $0.id == id }
    }

    /// A headline, then one `✓`/`✗` line per check.
    public var text: String {
        let headline = passed
            ? "bag \(bagPath): valid (\(checks.count) checks passed)"
            : "bag \(bagPath): INVALID (\(failures.count) of \(checks.count) checks failed)"
        return ([headline] + checks.map(\.line)).joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON with sorted keys (stable for diffing).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
