/// A failure of the system's cryptographic library.
public struct DigestError: Error, Sendable, CustomStringConvertible {
    public let algorithm: DigestAlgorithm
    public let reason: String

    public var description: String {
        "\(algorithm.rawValue.uppercased()) is unavailable: \(reason)"
    }
}
