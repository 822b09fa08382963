import Foundation

/// What the validator read from a bag, handed to every ``BagCheck``.
///
/// Built once per validation; file content is not loaded (use ``url(for:)`` and stream).
public struct BagSnapshot: Sendable {
    /// The bag's root directory.
    public let root: URL
    /// Every entry below the root except the root itself, sorted by path.
    public let entries: [BagFileEntry]
    /// Labels of `bagit.txt`, or `nil` if it is missing or unreadable.
    public let declaration: [BagInfoLabel]?
    /// Labels of `bag-info.txt` in file order (empty if missing or unreadable).
    public let info: [BagInfoLabel]
    /// Payload manifests (`manifest-*.txt`), sorted by file name.
    public let payloadManifests: [BagManifest]
    /// Tag manifests (`tagmanifest-*.txt`), sorted by file name.
    public let tagManifests: [BagManifest]

    public init(
        root: URL,
        entries: [BagFileEntry],
        declaration: [BagInfoLabel]?,
        info: [BagInfoLabel],
        payloadManifests: [BagManifest],
        tagManifests: [BagManifest]
    ) {
        self.root = root
        self.entries = entries
        self.declaration = declaration
        self.info = info
        self.payloadManifests = payloadManifests
        self.tagManifests = tagManifests
    }

    /// The URL of a bag-relative path such as `data/a.json`.
    public func url(for bagPath: String) -> URL {
        root.appendingPathComponent(bagPath)
    }

    /// The entry at a bag-relative path, if any.
    public func entry(at bagPath: String) -> BagFileEntry? {
        entries.first { $0.path == bagPath }
    }

    /// Every non-directory entry under `data/` (regular files and anything that should not be there).
    public var payloadEntries: [BagFileEntry] {
        entries.filter { $0.isPayload && $0.kind != .directory }
    }

    /// Values of a `bag-info.txt` label, compared case-insensitively, in file order.
    public func infoValues(for label: String) -> [String] {
        let wanted = label.lowercased()
        return info.filter { $0.label.lowercased() == wanted }.map(\.value)
    }
}
