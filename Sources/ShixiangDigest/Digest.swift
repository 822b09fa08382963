import CCrypto

/// One-shot digests and their hexadecimal form.
public enum Digest {
    /// The digest of `bytes` under `algorithm`.
    ///
    /// Throws ``DigestError`` only if libcrypto lacks the algorithm (SHA-256 and SHA-512 are always present).
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: UnsafeRawBufferPointer) throws(DigestError) -> [UInt8] {
        guard let md = algorithm.evpMD else {
            throw DigestError(algorithm: algorithm, reason: "the system libcrypto does not provide it")
        }
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { outBuffer in
            EVP_Digest(bytes.baseAddress, bytes.count, outBuffer.baseAddress, &length, md, nil)
        }
        guard ok == 1, Int(length) == algorithm.byteCount else {
            throw DigestError(algorithm: algorithm, reason: "the digest computation failed")
        }
        return out
    }

    /// The digest of a byte collection under `algorithm`.
    public static func hash<Bytes: Sequence<UInt8>>(_ algorithm: DigestAlgorithm, _ bytes: Bytes) throws(DigestError) -> [UInt8] {
        let digest = bytes.withContiguousStorageIfAvailable { try? hash(algorithm, UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { try? hash(algorithm, $0) }
        guard let digest else {
            throw DigestError(algorithm: algorithm, reason: "the system libcrypto does not provide it")
        }
        return digest
    }

    /// SHA-256 of `bytes`. SHA-256 is built into every libcrypto, so this cannot fail.
    public static func sha256<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        (try? hash(.sha256, bytes)) ?? []
    }

    /// Lowercase hexadecimal text of `bytes`.
    @inlinable
    public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        appendHex(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the lowercase hexadecimal text of `bytes` to `out`.
    @inlinable
    public static func appendHex<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to out: inout [UInt8]) {
        for byte in bytes {
            out.append(hexDigit(byte >> 4))
            out.append(hexDigit(byte & 0x0f))
        }
    }

    /// The lowercase hex digit of `value` (0…15).
    @inlinable
    public static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Bytes of a hexadecimal string (either case), or `nil` if it is not an even run of hex digits.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// The value of one hex digit (either case), or nil.
    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
