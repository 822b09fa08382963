import ShixiangDigest

/// A parsed `manifest-<alg>.txt` or `tagmanifest-<alg>.txt`.
public struct BagManifest: Sendable, Equatable {
    /// The file name, e.g. `manifest-sm3.txt`.
    public let fileName: String
    /// The algorithm part of the name as written, e.g. `sm3`.
    public let algorithmName: String
    /// The algorithm, or `nil` when this package cannot compute it (e.g. `md5`).
    public let algorithm: DigestAlgorithm?
    /// Bag-relative path (decoded) → lowercase hex digest.
    public let entries: [String: String]
    /// Malformed lines and other problems, each naming the file and line.
    public let problems: [String]

    public init(fileName: String, algorithmName: String, algorithm: DigestAlgorithm?, entries: [String: String], problems: [String]) {
        self.fileName = fileName
        self.algorithmName = algorithmName
        self.algorithm = algorithm
        self.entries = entries
        self.problems = problems
    }

    /// Parses manifest bytes. Lines are `digest<white space>path`; blank lines are skipped.
    static func parse(_ bytes: [UInt8], fileName: String, algorithmName: String, payload: Bool) -> BagManifest {
        let algorithm = DigestAlgorithm(rawValue: algorithmName.lowercased())
        var entries: [String: String] = [:]
        var problems: [String] = []
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return BagManifest(fileName: fileName, algorithmName: algorithmName, algorithm: algorithm, entries: [:],
                               problems: ["\(fileName) is not valid UTF-8"])
        }
        if algorithm == nil {
            problems.append("\(fileName): algorithm \"\(algorithmName)\" is not supported (sha256, sha512, sm3)")
        }
        for (number, line) in TagFile.lines(of: text).enumerated() where !line.trimmingWhitespace().isEmpty {
            let scalars = Array(line.unicodeScalars)
            guard let gap = scalars.firstIndex(where: { $0 == " " || $0 == "\t" }),
                  let pathStart = scalars[gap...].firstIndex(where: { $0 != " " && $0 != "\t" })
            else {
                problems.append("\(fileName) line \(number + 1) is not \"digest path\"")
                continue
            }
            let digest = String(String.UnicodeScalarView(scalars[..<gap])).lowercased()
            let path = BagPath.decodeFromManifest(String(String.UnicodeScalarView(scalars[pathStart...])))
            if let algorithm, Digest.bytes(hex: digest)?.count != algorithm.byteCount {
                problems.append("\(fileName) line \(number + 1): \"\(digest.prefix(20))\" is not a \(algorithm.bagItName) digest")
                continue
            }
            guard BagPath.safeComponents(path) != nil else {
                problems.append("\(fileName) line \(number + 1): unsafe path \"\(path)\"")
                continue
            }
            if payload, !path.hasPrefix("data/") {
                problems.append("\(fileName) line \(number + 1): \(path) is not under data/")
                continue
            }
            if entries[path] != nil {
                problems.append("\(fileName) lists \(path) more than once")
                continue
            }
            entries[path] = digest
        }
        return BagManifest(fileName: fileName, algorithmName: algorithmName, algorithm: algorithm, entries: entries, problems: problems)
    }
}
