import Foundation

/// Recognises compressed or encrypted containers by their magic numbers.
enum ContentSniffer {
    /// Magic numbers at offset 0 and the container they announce.
    static let signatures: [(name: String, magic: [UInt8])] = [
        ("zip", [0x50, 0x4B, 0x03, 0x04]),
        ("zip (empty)", [0x50, 0x4B, 0x05, 0x06]),
        ("zip (spanned)", [0x50, 0x4B, 0x07, 0x08]),
        ("gzip", [0x1F, 0x8B]),
        ("compress (.Z)", [0x1F, 0x9D]),
        ("7z", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
        ("rar", [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]),
        ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
        ("zstd", [0x28, 0xB5, 0x2F, 0xFD]),
        ("lzip", Array("LZIP".utf8)),
    ]

    /// How much of a PDF's end is searched for an `/Encrypt` trailer entry.
    static let pdfTailBytes: Int64 = 1 << 20

    /// The container kind of a regular file, or `nil` for none.
    ///
    /// bzip2 needs `BZh` plus a block-size digit `1`–`9`. A PDF counts as encrypted when
    /// `/Encrypt` occurs in its last MiB (where the trailer or cross-reference stream lives).
    static func container(at path: String, size: UInt64) throws(ArchiveIOError) -> String? {
        let file = try FileDescriptor.openForReading(path)
        var head = [UInt8](repeating: 0, count: 8)
        var failure: ArchiveIOError?
        let count = head.withUnsafeMutableBytes { buffer -> Int in
            do throws(ArchiveIOError) { return try file.read(into: buffer) } catch { failure = error; return 0 }
        }
        if let failure { throw failure }
        head.removeSubrange(count...)
        for signature in signatures where head.starts(with: signature.magic) {
            return signature.name
        }
        if head.count >= 4, head.starts(with: Array("BZh".utf8)), (0x31...0x39).contains(head[3]) {
            return "bzip2"
        }
        if head.starts(with: Array("%PDF-".utf8)) {
            let start = max(0, Int64(size) - pdfTailBytes)
            try file.seek(to: start)
            var tail: [UInt8] = []
            try file.forEachChunk { tail.append(contentsOf: $0) }
            if contains(tail, Array("/Encrypt".utf8)) { return "encrypted PDF" }
        }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
