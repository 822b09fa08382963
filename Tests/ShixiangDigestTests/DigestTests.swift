import Testing
import ShixiangDigest

@Suite struct DigestTests {
    @Test func sha256KnownVectors() throws {
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// GB/T 32905-2016 Appendix A: both example messages.
    @Test func sm3StandardVectors() throws {
        let abc = try Digest.hash(.sm3, Array("abc".utf8))
        #expect(Digest.hex(abc) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        let long = Array(String(repeating: "abcd", count: 16).utf8)
        #expect(Digest.hex(try Digest.hash(.sm3, long)) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test func streamingEqualsOneShot() throws {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for algorithm in DigestAlgorithm.allCases {
            var hasher = try StreamingHasher(algorithm)
            hasher.update(bytes[0..<17])
            hasher.update(bytes[17..<4096])
            hasher.update(bytes[4096...])
            let streamed = hasher.finalize()
            #expect(streamed == (try Digest.hash(algorithm, bytes)))
            #expect(streamed.count == algorithm.byteCount)
        }
    }

    @Test func hexRoundTrip() {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff, 0x10]
        #expect(Digest.hex(bytes) == "0001abff10")
        #expect(Digest.bytes(hex: "0001ABff10") == bytes)
        #expect(Digest.bytes(hex: "abc") == nil)
        #expect(Digest.bytes(hex: "zz") == nil)
    }
}
