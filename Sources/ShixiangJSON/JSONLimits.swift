/// Resource limits applied while parsing untrusted JSON.
///
/// Every limit is checked before the corresponding work is done, so an input
/// that exceeds a limit fails fast with a `JSONParseError` and never exhausts
/// the stack or memory because of it.
public struct JSONLimits: Sendable, Hashable {
    /// Maximum nesting of arrays and objects. A scalar at the top level has
    /// depth 0; `[]` has depth 1. Default 64. The parser uses an explicit heap
    /// stack, so even very large values cannot overflow the thread stack.
    public var maxDepth: Int
    /// Maximum length of one string (member names included), in UTF-8 bytes of the
    /// raw input between the quotes. `nil` means unlimited.
    public var maxStringBytes: Int?
    /// Maximum size of the whole input in bytes. `nil` means unlimited.
    public var maxInputBytes: Int?

    /// Creates limits; the defaults match `JSONLimits.default`.
    public init(maxDepth: Int = 64, maxStringBytes: Int? = nil, maxInputBytes: Int? = nil) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxInputBytes = maxInputBytes
    }

    /// Depth 64, no string or input size limit.
    public static let `default` = JSONLimits()
}
