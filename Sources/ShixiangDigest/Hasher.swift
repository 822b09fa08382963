import CCrypto

/// An incremental hash over bytes fed in pieces, for files and streams too large to hold.
///
/// Not copyable: it owns an OpenSSL context that is freed when the hasher goes away.
public struct StreamingHasher: ~Copyable {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    /// Starts a hash. Throws ``DigestError`` if libcrypto does not provide the algorithm.
    public init(_ algorithm: DigestAlgorithm) throws(DigestError) {
        guard let md = algorithm.evpMD else {
            throw DigestError(algorithm: algorithm, reason: "the system libcrypto does not provide it")
        }
        guard let ctx = EVP_MD_CTX_new() else {
            throw DigestError(algorithm: algorithm, reason: "out of memory")
        }
        guard EVP_DigestInit_ex2(ctx, md, nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            throw DigestError(algorithm: algorithm, reason: "initialisation failed")
        }
        self.algorithm = algorithm
        self.context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        // EVP_DigestUpdate only fails on a context that was never initialised, which init rules out.
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Feeds the bytes of a collection into the hash.
    public mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { self.update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { self.update($0) }
        }
    }

    /// Finishes the hash and returns the digest. Consumes the hasher.
    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        out.removeSubrange(Int(length)...)
        return out
    }
}
