import ShixiangDigest

/// Names of the bag structure (RFC 8493 §2).
enum BagLayout {
    static let declaration = "bagit.txt"
    static let info = "bag-info.txt"
    static let fetch = "fetch.txt"
    static let payloadDirectory = "data"

    /// Whether `name` is a top-level name the structure itself uses.
    static func isReservedTopLevelName(_ name: String) -> Bool {
        name == declaration || name == info || name == fetch || name == payloadDirectory
            || manifestAlgorithmName(name, prefix: "manifest-") != nil
            || manifestAlgorithmName(name, prefix: "tagmanifest-") != nil
    }

    /// The algorithm part of `manifest-<alg>.txt` (with `prefix` "manifest-" or "tagmanifest-").
    static func manifestAlgorithmName(_ name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix), name.hasSuffix(".txt") else { return nil }
        let algorithm = name.dropFirst(prefix.count).dropLast(4)
        return algorithm.isEmpty ? nil : String(algorithm)
    }
}
