import Foundation
import ShixiangDigest

/// The result of ``BagWriter/finish(info:)``: where the bag is and what it holds.
public struct WrittenBag: Sendable, Equatable {
    /// The finished bag's directory.
    public let url: URL
    /// Payload files in manifest order (sorted by UTF-8 bytes of the path).
    public let payload: [BagPayloadFile]
    /// The manifest algorithms, in the configured order.
    public let algorithms: [DigestAlgorithm]
    /// The `Payload-Oxum` value written, `octets.count`.
    public let payloadOxum: String
}
