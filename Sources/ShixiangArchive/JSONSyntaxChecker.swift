import ShixiangJSON

/// A strict RFC 8259 check of a JSON text, for the archive's usability checks.
///
/// Uses the registry's own strict parser (`ShixiangJSON`), which is stricter than Foundation's
/// `JSONSerialization` (that one accepts trailing commas on Linux): exactly one value, valid
/// escapes and UTF-8, numbers per the grammar, no duplicate member names. A leading UTF-8
/// byte-order mark is ignored, as RFC 8259 §8.1 permits. Nesting is limited to ``maxDepth``.
public enum JSONSyntaxChecker {
    /// Deepest nesting of objects and arrays accepted.
    public static let maxDepth = 512

    /// `nil` if `bytes` is one valid JSON text, else a message with the byte offset.
    public static func problem(in bytes: UnsafeRawBufferPointer) -> String? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = UnsafeRawBufferPointer(rebasing: body[3...]) }
        do {
            _ = try JSONValue.parse(body, limits: JSONLimits(maxDepth: maxDepth))
            return nil
        } catch {
            return error.message
        }
    }

    /// `nil` if `bytes` is one valid JSON text, else a message with the byte offset.
    public static func problem(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { problem(in: $0) }
    }
}
