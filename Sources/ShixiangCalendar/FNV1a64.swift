/// FNV-1a, 64-bit: a cheap deterministic checksum (not a cryptographic hash) used in
/// `WorkingDayCalendar.version`. Integrators wanting a strong digest hash `canonicalText` themselves.
enum FNV1a64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The checksum of the UTF-8 bytes of `text`.
    static func checksum(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The checksum as 16 lowercase hex digits.
    static func hex(_ text: String) -> String {
        let digits = String(checksum(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
