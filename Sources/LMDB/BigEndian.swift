/// Keys as 8-byte big-endian integers sort numerically under LMDB's default byte comparison.
public enum BigEndianKey {
    /// The 8 bytes of `value`, most significant first.
    @inline(__always)
    public static func bytes(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Appends the 8 bytes of `value`, most significant first.
    @inline(__always)
    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    /// Reads 8 big-endian bytes at `offset`; `nil` if the buffer is too short.
    @inline(__always)
    public static func read(_ buffer: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64? {
        guard buffer.count >= offset + 8 else { return nil }
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 8])) }
        return UInt64(bigEndian: value)
    }

    public static func read(_ bytes: [UInt8], at offset: Int = 0) -> UInt64? {
        bytes.withUnsafeBytes { read($0, at: offset) }
    }
}
