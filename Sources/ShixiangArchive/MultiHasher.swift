import ShixiangDigest

/// Hashes one byte stream with several algorithms in a single pass.
///
/// `StreamingHasher` is non-copyable and cannot live in an `Array`, so each one sits in a box.
final class MultiHasher {
    private final class Slot {
        var hasher: StreamingHasher?
        init(_ hasher: consuming StreamingHasher) { self.hasher = .some(hasher) }
    }

    let algorithms: [DigestAlgorithm]
    private let slots: [Slot]

    /// Starts one hash per algorithm. Throws `DigestError` if libcrypto lacks one of them.
    init(_ algorithms: [DigestAlgorithm]) throws(DigestError) {
        var slots: [Slot] = []
        for algorithm in algorithms {
            slots.append(Slot(try StreamingHasher(algorithm)))
        }
        self.algorithms = algorithms
        self.slots = slots
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        for slot in slots { slot.hasher?.update(bytes) }
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes every hash; afterwards the hasher is spent.
    func finalize() -> [DigestAlgorithm: [UInt8]] {
        var out: [DigestAlgorithm: [UInt8]] = [:]
        for (algorithm, slot) in zip(algorithms, slots) {
            if let digest = slot.hasher.take()?.finalize() { out[algorithm] = digest }
        }
        return out
    }
}
