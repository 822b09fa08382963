import ShixiangDigest

/// Identifiers of the built-in checks, in the order the validator runs them.
public enum BagCheckID {
    /// The bag directory exists and is a directory. When it fails, no other check runs.
    public static let bagExists = "bag.exists"
    /// `bagit.txt` present, UTF-8, exactly `BagIt-Version` (1.0 or 0.97) and `Tag-File-Character-Encoding: UTF-8`.
    public static let declaration = "bagit.declaration"
    /// `bag-info.txt`, if present, parses as a tag file.
    public static let info = "bag-info.well-formed"
    /// At least one payload manifest; all manifest lines well-formed with safe paths, supported
    /// algorithms, right digest lengths, no duplicates.
    public static let manifests = "manifest.well-formed"
    /// Every file under `data/` is listed in every payload manifest.
    public static let payloadListed = "payload.listed"
    /// Every file listed in a payload manifest exists as a regular file.
    public static let payloadPresent = "payload.present"
    /// `Payload-Oxum` present and equal to the octets and file count of `data/`.
    public static let payloadOxum = "payload.oxum"
    /// Tag manifests exist and cover `bagit.txt`, `bag-info.txt` and every payload manifest;
    /// every file they list exists.
    public static let tagManifestCoverage = "tagmanifest.coverage"
    /// Only the bag structure at the top level (plus tag files a tag manifest lists); `data/` is a
    /// directory; no `fetch.txt`; every directory can be listed; the bag is not a `.partial` working directory.
    public static let layout = "structure.layout"
    /// No symbolic links, devices, FIFOs or sockets anywhere in the bag.
    public static let noSymlinks = "structure.no-symlinks"
    /// No file with an execute permission bit.
    public static let notExecutable = "structure.not-executable"
    /// No zip/gzip/7z/rar/xz/bzip2/zstd container and no encrypted PDF in the payload.
    public static let noContainers = "payload.no-containers"
    /// Every `.xml` payload file is well-formed XML.
    public static let xmlWellFormed = "payload.xml-well-formed"
    /// Every `.json` payload file is strict RFC 8259 JSON (see ``JSONSyntaxChecker``).
    public static let jsonParses = "payload.json-parses"

    /// Every payload file's digest matches `manifest-<alg>.txt`.
    public static func payloadDigests(_ algorithm: DigestAlgorithm) -> String { "payload.digests.\(algorithm.bagItName)" }
    /// Every tag file's digest matches `tagmanifest-<alg>.txt`.
    public static func tagManifestDigests(_ algorithm: DigestAlgorithm) -> String { "tagmanifest.digests.\(algorithm.bagItName)" }
}
