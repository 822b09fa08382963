import ShixiangDigest

/// A file written into a bag, with its size and digests (what its manifest lines say).
public struct BagPayloadFile: Sendable, Equatable {
    /// The bag-relative path, starting `data/` for payload files.
    public let path: String
    /// Size in bytes.
    public let size: UInt64
    /// Digest bytes per configured algorithm.
    public let digests: [DigestAlgorithm: [UInt8]]

    public init(path: String, size: UInt64, digests: [DigestAlgorithm: [UInt8]]) {
        self.path = path
        self.size = size
        self.digests = digests
    }

    /// Lowercase hex of the digest under `algorithm`, or `nil` if it was not computed.
    public func hex(_ algorithm: DigestAlgorithm) -> String? {
        digests[algorithm].map { Digest.hex($0) }
    }
}
