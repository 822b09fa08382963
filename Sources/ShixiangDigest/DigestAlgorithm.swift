import CCrypto

/// A hash function the registry uses: SHA-256 for the event chain and BagIt manifests,
/// SHA-512 for BagIt tools that want it, and SM3 (GB/T 32905) for Chinese archive practice.
///
/// All three come from the system's OpenSSL 3 `libcrypto` (Debian `libssl-dev`), which is
/// maintained and audited; swift-crypto's BoringSSL does not provide SM3.
public enum DigestAlgorithm: String, Sendable, CaseIterable, Codable {
    case sha256
    case sha512
    case sm3

    /// Length of the digest in bytes.
    public var byteCount: Int {
        switch self {
        case .sha256, .sm3: return 32
        case .sha512: return 64
        }
    }

    /// The name BagIt uses in `manifest-<name>.txt`.
    public var bagItName: String { rawValue }

    /// The OpenSSL message digest, fetched once per process.
    ///
    /// `nil` only when the linked libcrypto lacks the algorithm (SM3 can be disabled at build time).
    var evpMD: OpaquePointer? {
        switch self {
        case .sha256: return EVPDigests.sha256
        case .sha512: return EVPDigests.sha512
        case .sm3: return EVPDigests.sm3
        }
    }
}

/// Process-wide OpenSSL digest handles.
///
/// `nonisolated(unsafe)` is sound here: each handle is written once during lazy global
/// initialisation (which Swift makes thread-safe) and OpenSSL documents fetched `EVP_MD`
/// objects as immutable and shareable between threads.
enum EVPDigests {
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
    nonisolated(unsafe) static let sha512: OpaquePointer? = EVP_MD_fetch(nil, "SHA512", nil)
    nonisolated(unsafe) static let sm3: OpaquePointer? = EVP_MD_fetch(nil, "SM3", nil)
}
