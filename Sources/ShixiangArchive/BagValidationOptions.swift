/// Settings of the built-in checks.
public struct BagValidationOptions: Sendable, Equatable {
    /// Fail `tagmanifest.coverage` when there is no tag manifest. RFC 8493 makes tag manifests
    /// optional, but without one `bag-info.txt` (and the manifests) can be altered unnoticed,
    /// so archive intake requires it by default.
    public var requireTagManifest: Bool = true
    /// Fail `payload.oxum` when `bag-info.txt` has no `Payload-Oxum` (optional in RFC 8493).
    public var requirePayloadOxum: Bool = true
    /// File extensions (lowercase, without dot) exempt from `payload.no-containers` because the
    /// format is a documented archival container: by default `ofd` (GB/T 33190, zip-based).
    public var allowedContainerExtensions: Set<String> = ["ofd"]
    /// At most this many files are named in one message; the rest are counted.
    public var maxNamedFiles: Int = 20

    public init() {}
}
