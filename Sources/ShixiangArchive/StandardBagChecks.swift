import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShixiangDigest

/// The built-in checks, run in the order of ``BagCheckID``.
struct StandardBagChecks {
    let bag: BagSnapshot
    let options: BagValidationOptions
    let declarationProblem: String?
    let infoProblem: String?
    let unlistable: [String]

    private let byPath: [String: BagFileEntry]
    /// Bag path → algorithm → computed lowercase hex, for every regular file some manifest lists.
    private let computed: [String: [DigestAlgorithm: String]]
    /// Bag path → why it could not be hashed.
    private let unreadable: [String: String]

    init(_ loaded: BagReader.Loaded, options: BagValidationOptions) {
        self.bag = loaded.snapshot
        self.options = options
        self.declarationProblem = loaded.declarationProblem
        self.infoProblem = loaded.infoProblem
        self.unlistable = loaded.unlistable
        let byPath = Dictionary(loaded.snapshot.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.byPath = byPath

        // One streaming pass per file, with every algorithm some manifest wants for it.
        var wanted: [String: [DigestAlgorithm]] = [:]
        for manifest in loaded.snapshot.payloadManifests + loaded.snapshot.tagManifests {
            guard let algorithm = manifest.algorithm else { continue }
            for path in manifest.entries.keys where byPath[path]?.kind == .file {
                if !(wanted[path] ?? []).contains(algorithm) { wanted[path, default: []].append(algorithm) }
            }
        }
        var computed: [String: [DigestAlgorithm: String]] = [:]
        var unreadable: [String: String] = [:]
        for (path, algorithms) in wanted {
            do {
                let hasher = try MultiHasher(algorithms)
                let file = try FileDescriptor.openForReading(loaded.snapshot.url(for: path).path)
                try file.forEachChunk { hasher.update($0) }
                computed[path] = hasher.finalize().mapValues { Digest.hex($0) }
            } catch {
                unreadable[path] = "\(error)"
            }
        }
        self.computed = computed
        self.unreadable = unreadable
    }

    func run() -> [BagCheckResult] {
        var results = [declaration(), info(), manifests(), payloadListed(), payloadPresent()]
        for manifest in bag.payloadManifests {
            if let algorithm = manifest.algorithm {
                results.append(digests(manifest, algorithm, id: BagCheckID.payloadDigests(algorithm)))
            }
        }
        results.append(payloadOxum())
        results.append(tagManifestCoverage())
        for manifest in bag.tagManifests {
            if let algorithm = manifest.algorithm {
                results.append(digests(manifest, algorithm, id: BagCheckID.tagManifestDigests(algorithm)))
            }
        }
        results += [layout(), noSymlinks(), notExecutable(), noContainers(), xmlWellFormed(), jsonParses()]
        return results
    }

    // MARK: Declaration and info

    func declaration() -> BagCheckResult {
        let id = BagCheckID.declaration
        if let declarationProblem { return fail(id, .usability, declarationProblem) }
        let labels = bag.declaration ?? []
        guard labels.count == 2, labels[0].label == "BagIt-Version", labels[1].label == "Tag-File-Character-Encoding" else {
            return fail(id, .usability, "bagit.txt must hold exactly \"BagIt-Version\" then \"Tag-File-Character-Encoding\"; found \(labels.map(\.label))")
        }
        guard ["1.0", "0.97"].contains(labels[0].value) else {
            return fail(id, .usability, "bagit.txt declares BagIt-Version \(labels[0].value); 1.0 (or 0.97) is required")
        }
        guard labels[1].value.uppercased() == "UTF-8" else {
            return fail(id, .usability, "bagit.txt declares Tag-File-Character-Encoding \(labels[1].value); UTF-8 is required")
        }
        return pass(id, .usability, "bagit.txt declares BagIt-Version \(labels[0].value), Tag-File-Character-Encoding UTF-8")
    }

    func info() -> BagCheckResult {
        let id = BagCheckID.info
        if let infoProblem { return fail(id, .usability, infoProblem) }
        guard byPath[BagLayout.info] != nil else { return pass(id, .usability, "no bag-info.txt (optional in RFC 8493)") }
        return pass(id, .usability, "bag-info.txt parses (\(bag.info.count) labels)")
    }

    // MARK: Manifests

    func manifests() -> BagCheckResult {
        let id = BagCheckID.manifests
        var problems = (bag.payloadManifests + bag.tagManifests).flatMap(\.problems)
        if bag.payloadManifests.isEmpty { problems.insert("no manifest-<algorithm>.txt at the top level", at: 0) }
        if !problems.isEmpty { return fail(id, .integrity, problems.joined(separator: "; ")) }
        let names = (bag.payloadManifests + bag.tagManifests).map(\.fileName)
        return pass(id, .integrity, "\(names.joined(separator: ", ")) are well-formed")
    }

    func payloadListed() -> BagCheckResult {
        let id = BagCheckID.payloadListed
        var unlisted: [String: [String]] = [:]
        for entry in bag.payloadEntries {
            let missingFrom = bag.payloadManifests.filter { $0.entries[entry.path] == nil }.map(\.fileName)
            if !missingFrom.isEmpty { unlisted[entry.path] = missingFrom }
        }
        if unlisted.isEmpty {
            return pass(id, .integrity, "all \(bag.payloadEntries.count) payload files are listed in every payload manifest")
        }
        let items = unlisted.keys.sorted(by: BagPath.byteOrder).map { "\($0) (not in \(unlisted[$0, default: []].joined(separator: ", ")))" }
        return fail(id, .integrity, "payload files missing from manifests: \(named(items))")
    }

    func payloadPresent() -> BagCheckResult {
        let id = BagCheckID.payloadPresent
        var problems: [String: String] = [:]
        for manifest in bag.payloadManifests {
            for path in manifest.entries.keys {
                switch byPath[path]?.kind {
                case .file?: continue
                case nil: problems[path] = "\(path) (listed in \(manifest.fileName)) is missing"
                case let kind?: problems[path] = "\(path) (listed in \(manifest.fileName)) is a \(kind.rawValue), not a file"
                }
            }
        }
        if problems.isEmpty {
            let count = Set(bag.payloadManifests.flatMap(\.entries.keys)).count
            return pass(id, .integrity, "all \(count) listed payload files are present")
        }
        return fail(id, .integrity, named(problems.keys.sorted(by: BagPath.byteOrder).compactMap { problems[$0] }))
    }

    /// Compares a manifest with the computed digests. Missing files are left to the presence checks.
    func digests(_ manifest: BagManifest, _ algorithm: DigestAlgorithm, id: String) -> BagCheckResult {
        var problems: [String] = []
        var matched = 0
        for path in manifest.entries.keys.sorted(by: BagPath.byteOrder) {
            guard byPath[path]?.kind == .file, let expected = manifest.entries[path] else { continue }
            if let reason = unreadable[path] {
                problems.append("\(path) cannot be read: \(reason)")
            } else if let actual = computed[path]?[algorithm] {
                if actual == expected {
                    matched += 1
                } else {
                    problems.append("\(path): \(algorithm.bagItName) is \(actual), \(manifest.fileName) says \(expected)")
                }
            }
        }
        if problems.isEmpty { return pass(id, .authenticity, "\(matched) files match \(manifest.fileName)") }
        return fail(id, .authenticity, named(problems))
    }

    func payloadOxum() -> BagCheckResult {
        let id = BagCheckID.payloadOxum
        let values = bag.infoValues(for: "Payload-Oxum")
        let files = bag.payloadEntries
        let octets = files.filter { $0.kind == .file }.reduce(UInt64(0)) { $0 + $1.size }
        guard let value = values.first else {
            if options.requirePayloadOxum { return fail(id, .integrity, "bag-info.txt has no Payload-Oxum") }
            return pass(id, .integrity, "no Payload-Oxum to compare (data/ has \(octets) octets in \(files.count) files)")
        }
        guard values.count == 1 else { return fail(id, .integrity, "bag-info.txt has \(values.count) Payload-Oxum labels") }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let declaredOctets = UInt64(parts[0]), let declaredCount = Int(parts[1]) else {
            return fail(id, .integrity, "bag-info.txt Payload-Oxum \"\(value)\" is not octets.count")
        }
        guard declaredOctets == octets, declaredCount == files.count else {
            return fail(id, .integrity, "bag-info.txt Payload-Oxum \(value) does not match data/: \(octets) octets in \(files.count) files")
        }
        return pass(id, .integrity, "Payload-Oxum \(value) matches data/")
    }

    // MARK: Tag manifests

    func tagManifestCoverage() -> BagCheckResult {
        let id = BagCheckID.tagManifestCoverage
        guard !bag.tagManifests.isEmpty else {
            if options.requireTagManifest {
                return fail(id, .authenticity, "no tagmanifest-<algorithm>.txt: bag-info.txt and the manifests are unprotected")
            }
            return pass(id, .authenticity, "no tag manifest (optional in RFC 8493)")
        }
        var required = [BagLayout.declaration] + bag.payloadManifests.map(\.fileName)
        if byPath[BagLayout.info] != nil { required.insert(BagLayout.info, at: 1) }
        var problems: [String] = []
        for manifest in bag.tagManifests {
            let uncovered = required.filter { manifest.entries[$0] == nil }
            if !uncovered.isEmpty { problems.append("\(manifest.fileName) does not list \(uncovered.joined(separator: ", "))") }
            for path in manifest.entries.keys.sorted(by: BagPath.byteOrder) where byPath[path]?.kind != .file {
                problems.append("\(manifest.fileName) lists \(path), which is missing or not a file")
            }
        }
        if problems.isEmpty {
            return pass(id, .authenticity, "\(bag.tagManifests.map(\.fileName).joined(separator: ", ")) cover \(required.joined(separator: ", "))")
        }
        return fail(id, .authenticity, named(problems))
    }

    // MARK: Structure

    func layout() -> BagCheckResult {
        let id = BagCheckID.layout
        var problems: [String] = []
        if bag.root.lastPathComponent.hasSuffix(BagWriter.partialSuffix) {
            problems.append("\(bag.root.lastPathComponent) is the working directory of an unfinished export, not a bag")
        }
        for directory in unlistable { problems.append("directory \(directory) cannot be listed") }
        if byPath[BagLayout.payloadDirectory]?.kind != .directory { problems.append("data/ is missing or not a directory") }
        if byPath[BagLayout.fetch] != nil {
            problems.append("fetch.txt is present: bags whose payload must be fetched are not accepted")
        }
        let listedTags = Set(bag.tagManifests.flatMap(\.entries.keys))
        var tagDirectories: Set<String> = []
        for path in listedTags {
            var components = path.split(separator: "/").map(String.init)
            while components.count > 1 {
                components.removeLast()
                tagDirectories.insert(components.joined(separator: "/"))
            }
        }
        for entry in bag.entries where entry.path != BagLayout.payloadDirectory && !entry.isPayload {
            let isTopLevel = !entry.path.contains("/")
            let structural = isTopLevel && entry.kind == .file && entry.path != BagLayout.fetch
                && BagLayout.isReservedTopLevelName(entry.path)
            let listed = listedTags.contains(entry.path) || (entry.kind == .directory && tagDirectories.contains(entry.path))
            if !structural && !listed {
                problems.append("unexpected \(entry.kind == .directory ? "directory" : entry.kind.rawValue) \(entry.path) outside data/ (not bag structure, not in a tag manifest)")
            }
        }
        if problems.isEmpty { return pass(id, .security, "only bag structure, data/ and listed tag files") }
        return fail(id, .security, named(problems))
    }

    func noSymlinks() -> BagCheckResult {
        let id = BagCheckID.noSymlinks
        let bad = bag.entries.filter { $0.kind == .symlink || $0.kind == .other }
        if bad.isEmpty { return pass(id, .security, "no symbolic links or special files") }
        return fail(id, .security, "not regular files or directories: " + named(bad.map { "\($0.path) (\($0.kind == .symlink ? "symlink" : "device, FIFO or socket"))" }))
    }

    func notExecutable() -> BagCheckResult {
        let id = BagCheckID.notExecutable
        let bad = bag.entries.filter { $0.kind == .file && $0.permissions & 0o111 != 0 }
        if bad.isEmpty { return pass(id, .security, "no file has an execute permission") }
        return fail(id, .security, "executable permission set on " + named(bad.map { "\($0.path) (mode \(String($0.permissions, radix: 8)))" }))
    }

    // MARK: Content

    func noContainers() -> BagCheckResult {
        let id = BagCheckID.noContainers
        var problems: [String] = []
        var checked = 0
        for entry in bag.payloadEntries where entry.kind == .file {
            if options.allowedContainerExtensions.contains(fileExtension(entry.path)) { continue }
            checked += 1
            do {
                if let kind = try ContentSniffer.container(at: bag.url(for: entry.path).path, size: entry.size) {
                    problems.append("\(entry.path) is a \(kind) container")
                }
            } catch {
                problems.append("\(entry.path) cannot be read: \(error)")
            }
        }
        if problems.isEmpty { return pass(id, .usability, "no compressed or encrypted containers among \(checked) payload files") }
        return fail(id, .usability, named(problems))
    }

    func xmlWellFormed() -> BagCheckResult {
        let id = BagCheckID.xmlWellFormed
        let files = bag.payloadEntries.filter { $0.kind == .file && fileExtension($0.path) == "xml" }
        if files.isEmpty { return pass(id, .usability, "no .xml payload files") }
        var problems: [String] = []
        for file in files {
            if let problem = StandardBagChecks.xmlProblem(at: bag.url(for: file.path)) { problems.append("\(file.path): \(problem)") }
        }
        if problems.isEmpty { return pass(id, .usability, "\(files.count) .xml payload files are well-formed") }
        return fail(id, .usability, named(problems))
    }

    func jsonParses() -> BagCheckResult {
        let id = BagCheckID.jsonParses
        let files = bag.payloadEntries.filter { $0.kind == .file && fileExtension($0.path) == "json" }
        if files.isEmpty { return pass(id, .usability, "no .json payload files") }
        var problems: [String] = []
        for file in files {
            do {
                let data = try Data(contentsOf: bag.url(for: file.path), options: .alwaysMapped)
                if let problem = data.withUnsafeBytes({ JSONSyntaxChecker.problem(in: $0) }) {
                    problems.append("\(file.path): \(problem)")
                }
            } catch {
                problems.append("\(file.path) cannot be read: \(error.localizedDescription)")
            }
        }
        if problems.isEmpty { return pass(id, .usability, "\(files.count) .json payload files parse") }
        return fail(id, .usability, named(problems))
    }

    /// `nil` if the file is well-formed XML, else the parser's complaint with its line.
    /// External entities are never resolved.
    static func xmlProblem(at url: URL) -> String? {
        guard let stream = InputStream(url: url) else { return "cannot be opened" }
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        if parser.parse() { return nil }
        let reason = parser.parserError.map { $0.localizedDescription } ?? "not well-formed"
        return "line \(parser.lineNumber): \(reason)"
    }

    // MARK: Helpers

    private func fileExtension(_ path: String) -> String {
        guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: ".") else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    private func named(_ items: [String]) -> String {
        let limit = max(1, options.maxNamedFiles)
        guard items.count > limit else { return items.joined(separator: "; ") }
        return items.prefix(limit).joined(separator: "; ") + "; … and \(items.count - limit) more"
    }

    private func pass(_ id: String, _ property: ArchiveProperty, _ message: String) -> BagCheckResult {
        BagCheckResult(id: id, property: property, passed: true, message: message)
    }

    private func fail(_ id: String, _ property: ArchiveProperty, _ message: String) -> BagCheckResult {
        BagCheckResult(id: id, property: property, passed: false, message: message)
    }
}
