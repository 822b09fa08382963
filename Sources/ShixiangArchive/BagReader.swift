import Foundation

/// Reads a bag directory into a ``BagSnapshot`` plus the parse problems of its tag files.
struct BagReader {
    struct Loaded {
        var snapshot: BagSnapshot
        var declarationProblem: String?
        var infoProblem: String?
        /// Directories that could not be listed (their content is unknown).
        var unlistable: [String]
    }

    /// Largest tag file read into memory (bagit.txt, bag-info.txt, manifests): 256 MiB.
    static let tagFileLimit: UInt64 = 256 << 20

    /// `nil` if `root` is not a directory.
    static func load(_ root: URL) -> Loaded? {
        let root = root.standardizedFileURL
        guard let rootEntry = entry(atPath: root.path, relative: ""), rootEntry.kind == .directory else { return nil }
        var entries: [BagFileEntry] = []
        var unlistable: [String] = []
        walk(root.path, relative: "", into: &entries, unlistable: &unlistable)
        entries.sort { BagPath.byteOrder($0.path, $1.path) }
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })

        var declaration: [BagInfoLabel]?
        var declarationProblem: String?
        switch readTagFile(root, BagLayout.declaration, byPath) {
        case .success(let bytes):
            switch TagFile.parse(bytes, fileName: BagLayout.declaration) {
            case .success(let labels): declaration = labels
            case .failure(let error): declarationProblem = error.message
            }
        case .failure(let problem):
            declarationProblem = problem.message
        }

        var info: [BagInfoLabel] = []
        var infoProblem: String?
        if byPath[BagLayout.info] != nil {
            switch readTagFile(root, BagLayout.info, byPath) {
            case .success(let bytes):
                switch TagFile.parse(bytes, fileName: BagLayout.info) {
                case .success(let labels): info = labels
                case .failure(let error): infoProblem = error.message
                }
            case .failure(let problem):
                infoProblem = problem.message
            }
        }

        var payloadManifests: [BagManifest] = []
        var tagManifests: [BagManifest] = []
        for entry in entries where !entry.path.contains("/") {
            for (prefix, payload) in [("manifest-", true), ("tagmanifest-", false)] {
                guard let algorithmName = BagLayout.manifestAlgorithmName(entry.path, prefix: prefix) else { continue }
                let manifest: BagManifest
                switch readTagFile(root, entry.path, byPath) {
                case .success(let bytes):
                    manifest = BagManifest.parse(bytes, fileName: entry.path, algorithmName: algorithmName, payload: payload)
                case .failure(let problem):
                    manifest = BagManifest(fileName: entry.path, algorithmName: algorithmName, algorithm: nil,
                                           entries: [:], problems: [problem.message])
                }
                if payload { payloadManifests.append(manifest) } else { tagManifests.append(manifest) }
            }
        }

        let snapshot = BagSnapshot(
            root: root, entries: entries, declaration: declaration, info: info,
            payloadManifests: payloadManifests, tagManifests: tagManifests
        )
        return Loaded(snapshot: snapshot, declarationProblem: declarationProblem, infoProblem: infoProblem, unlistable: unlistable)
    }

    /// The `lstat` view of one path.
    static func entry(atPath path: String, relative: String) -> BagFileEntry? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let type = attributes[.type] as? FileAttributeType
        let kind: BagFileEntry.Kind = switch type {
        case .typeRegular?: .file
        case .typeDirectory?: .directory
        case .typeSymbolicLink?: .symlink
        default: .other
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
        return BagFileEntry(path: relative, kind: kind, size: size, permissions: permissions)
    }

    private static func walk(_ directory: String, relative: String, into entries: inout [BagFileEntry], unlistable: inout [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            unlistable.append(relative.isEmpty ? "." : relative)
            return
        }
        for name in names {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let childPath = directory + "/" + name
            guard let entry = entry(atPath: childPath, relative: childRelative) else { continue }
            entries.append(entry)
            if entry.kind == .directory { walk(childPath, relative: childRelative, into: &entries, unlistable: &unlistable) }
        }
    }

    private static func readTagFile(_ root: URL, _ name: String, _ byPath: [String: BagFileEntry]) -> Result<[UInt8], TagFileError> {
        guard let entry = byPath[name] else { return .failure(TagFileError(message: "\(name) is missing")) }
        guard entry.kind == .file else { return .failure(TagFileError(message: "\(name) is not a regular file")) }
        guard entry.size <= tagFileLimit else {
            return .failure(TagFileError(message: "\(name) is \(entry.size) bytes, over the \(tagFileLimit)-byte limit for tag files"))
        }
        do {
            let file = try FileDescriptor.openForReading(root.appendingPathComponent(name).path)
            var bytes: [UInt8] = []
            try file.forEachChunk { bytes.append(contentsOf: $0) }
            return .success(bytes)
        } catch {
            return .failure(TagFileError(message: "\(name) cannot be read: \(error)"))
        }
    }
}
