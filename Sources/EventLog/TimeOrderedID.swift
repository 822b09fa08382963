import Foundation

/// The ids the log gives events sent without one: UUID version 7 (RFC 9562 §5.7), the event's
/// `recordedAt` in Unix milliseconds in the first 48 bits, then random bits.
///
/// Why time-ordered: `events-by-id` is a B-tree keyed by the id's 16 bytes. Random (version 4)
/// ids land each insert on a random leaf, so a group commit of N events rewrites about N scattered
/// leaves, and on this disk a durable commit costs about 50 µs per scattered page. Ids that grow
/// with time land together at the right edge of the tree: a batch rewrites one or two leaves.
/// Clients that send their own ids (to retry safely) may use any UUID; version 7 keeps the same
/// benefit for them.
enum TimeOrderedID {
    /// A version-7 UUID for `time` (before 1970 counts as 1970).
    static func make(at time: Timestamp) -> UUID {
        var random = SystemRandomNumberGenerator()
        return make(at: time, using: &random)
    }

    static func make(at time: Timestamp, using random: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(clamping: max(time.microseconds / 1000, 0)) & 0xFFFF_FFFF_FFFF
        let high = random.next() as UInt64
        let low = random.next() as UInt64
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(i))) }
        b[6] = 0x70 | UInt8(truncatingIfNeeded: high & 0x0F)          // version 7, rand_a
        b[7] = UInt8(truncatingIfNeeded: high >> 8)
        b[8] = 0x80 | UInt8(truncatingIfNeeded: (high >> 16) & 0x3F)  // variant 10, rand_b
        for i in 9..<16 { b[i] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(i - 9))) }
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
