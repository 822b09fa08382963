import Foundation
import ShixiangDigest

/// Writes a BagIt 1.0 bag (RFC 8493) so that an interrupted export never looks like a whole bag.
///
/// Everything is written into `<destination>.partial` next to the destination: payload files
/// under `data/` (streamed and hashed with every configured algorithm in one pass, never held
/// whole in memory), then on ``finish(info:)`` `bagit.txt`, `bag-info.txt`, one
/// `manifest-<alg>.txt` and one `tagmanifest-<alg>.txt` per algorithm. Every file and directory
/// is fsynced, and only then is the working directory renamed to the destination with one
/// `rename(2)`, which never replaces an existing bag.
///
/// If the process dies or the writer is dropped before ``finish(info:)``, only the `.partial`
/// directory remains; a rerun must remove it, via ``discardPartial(at:)``,
/// ``discardStalePartials(in:)`` or `discardingStalePartial: true`. Dropping the writer does
/// not delete anything.
///
/// Not thread-safe: use one writer from one task at a time.
public final class BagWriter {
    /// The suffix of the working directory.
    public static let partialSuffix = ".partial"

    /// Where the finished bag will be.
    public let destination: URL
    /// `<destination>.partial`, where the bag is assembled.
    public let workingDirectory: URL
    /// Manifest algorithms, deduplicated, in the configured order.
    public let algorithms: [DigestAlgorithm]

    private var payload: [String: BagPayloadFile] = [:]
    private var tagFiles: [String: BagPayloadFile] = [:]
    private var directories: Set<String> = []
    private var directoryOrder: [String] = []
    private var finished = false

    /// Starts a bag that will end up at `destination`, creating `<destination>.partial` and its `data/`.
    ///
    /// - Parameters:
    ///   - destination: a file URL whose parent directory exists; nothing may exist at it yet,
    ///     and its name must not end in `.partial`.
    ///   - algorithms: manifest algorithms; must include SHA-256 or SHA-512 (what RFC 8493 tools
    ///     are required to support). Default SHA-256 + SM3.
    ///   - discardingStalePartial: remove a `.partial` left by an interrupted run instead of failing.
    /// - Throws: ``BagWriterError``: `.destinationExists`, `.partialExists`, `.invalidAlgorithms`,
    ///   `.invalidDestination`, `.digest` (libcrypto lacks SM3), `.io`, `.removalFailed`.
    public init(
        destination: URL,
        algorithms: [DigestAlgorithm] = [.sha256, .sm3],
        discardingStalePartial: Bool = false
    ) throws(BagWriterError) {
        let destination = destination.standardizedFileURL
        let name = destination.lastPathComponent
        guard destination.isFileURL, !name.isEmpty, name != "/", !name.hasSuffix(BagWriter.partialSuffix) else {
            throw .invalidDestination(destination.path)
        }
        var unique: [DigestAlgorithm] = []
        for algorithm in algorithms where !unique.contains(algorithm) { unique.append(algorithm) }
        guard unique.contains(.sha256) || unique.contains(.sha512) else {
            throw .invalidAlgorithms("\(unique.map(\.bagItName)) must include sha256 or sha512 so that any BagIt tool can verify the bag")
        }
        do { _ = try MultiHasher(unique).finalize() } catch { throw .digest(error) }

        self.destination = destination
        self.workingDirectory = BagWriter.partialURL(for: destination)
        self.algorithms = unique

        if BagWriter.exists(destination.path) { throw .destinationExists(destination.path) }
        if BagWriter.exists(workingDirectory.path) {
            guard discardingStalePartial else { throw .partialExists(workingDirectory.path) }
            try BagWriter.remove(workingDirectory)
        }
        do {
            try makeDirectory(workingDirectory.path)
        } catch {
            if error.code == EEXIST { throw .partialExists(workingDirectory.path) }
            throw .io(error)
        }
        try ensureDirectory(["data"])
    }

    /// `<destination>.partial`: the working directory a writer for `destination` uses.
    public static func partialURL(for destination: URL) -> URL {
        let destination = destination.standardizedFileURL
        return destination.deletingLastPathComponent()
            .appendingPathComponent(destination.lastPathComponent + partialSuffix, isDirectory: true)
    }

    /// Removes the working directory of an interrupted export for `destination` (which may also
    /// be given as the `.partial` URL itself). Returns whether there was one.
    ///
    /// Contract: no writer for that destination may be running (this does not lock).
    @discardableResult
    public static func discardPartial(at destination: URL) throws(BagWriterError) -> Bool {
        let destination = destination.standardizedFileURL
        let partial = destination.lastPathComponent.hasSuffix(partialSuffix) ? destination : partialURL(for: destination)
        guard exists(partial.path) else { return false }
        try remove(partial)
        return true
    }

    /// Removes every `*.partial` directory directly inside `directory` and returns their URLs.
    ///
    /// Contract: no export into `directory` may be running (this does not lock).
    @discardableResult
    public static func discardStalePartials(in directory: URL) throws(BagWriterError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .removalFailed(directory.path, reason: "cannot list the directory: \(error.localizedDescription)")
        }
        var removed: [URL] = []
        for name in names.sorted() where name.hasSuffix(partialSuffix) {
            let url = directory.appendingPathComponent(name, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            try remove(url)
            removed.append(url)
        }
        return removed
    }

    // MARK: Payload

    /// Adds a payload file at `data/<path>` with the given bytes.
    ///
    /// `path` is relative to `data/`, `/`-separated, any Unicode (spaces and Chinese included).
    /// - Throws: ``BagWriterError`` (`.unsafePath`, `.duplicatePath`, `.alreadyFinished`, `.io`).
    @discardableResult
    public func addFile(_ path: String, bytes: some Sequence<UInt8>) throws(BagWriterError) -> BagPayloadFile {
        do {
            return try addFile(path) { (emit: (UnsafeRawBufferPointer) throws -> Void) in
                let done: Void? = try bytes.withContiguousStorageIfAvailable { try emit(UnsafeRawBufferPointer($0)) }
                if done == nil { try Array(bytes).withUnsafeBytes { try emit($0) } }
            }
        } catch let error as BagWriterError {
            throw error
        } catch {
            // Only the writer's own errors can come out of this producer.
            throw .io(ArchiveIOError(operation: "write", path: path, code: EIO))
        }
    }

    /// Adds a payload file at `data/<path>` whose content `nextChunk` hands out piece by piece:
    /// it is called until it returns `nil`; an empty chunk is allowed and ignored.
    ///
    /// Memory use is one chunk at a time. If `nextChunk` throws, the partly written file is
    /// removed, nothing is recorded, and the closure's error is rethrown unchanged.
    /// - Throws: the closure's error, or ``BagWriterError``.
    @discardableResult
    public func addFile(_ path: String, chunks nextChunk: () throws -> [UInt8]?) throws -> BagPayloadFile {
        try addFile(path) { (emit: (UnsafeRawBufferPointer) throws -> Void) in
            while let chunk = try nextChunk() {
                try chunk.withUnsafeBytes { try emit($0) }
            }
        }
    }

    /// Adds a payload file at `data/<path>` by streaming an existing file's bytes (1 MiB at a time).
    /// - Throws: ``BagWriterError`` (`.io` names the source if it cannot be read).
    @discardableResult
    public func addFile(_ path: String, copying source: URL) throws(BagWriterError) -> BagPayloadFile {
        do {
            return try addFile(path) { (emit: (UnsafeRawBufferPointer) throws -> Void) in
                let input = try FileDescriptor.openForReading(source.path, followingSymlinks: true)
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
                defer { buffer.deallocate() }
                while true {
                    let count = try input.read(into: buffer)
                    if count == 0 { break }
                    try emit(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
            }
        } catch let error as BagWriterError {
            throw error
        } catch let error as ArchiveIOError {
            throw .io(error)
        } catch {
            throw .io(ArchiveIOError(operation: "copy", path: source.path, code: EIO))
        }
    }

    /// The files added so far, keyed by bag path (`data/...`).
    public var payloadFiles: [String: BagPayloadFile] { payload }

    private func addFile(
        _ path: String,
        producer: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> BagPayloadFile {
        guard !finished else { throw BagWriterError.alreadyFinished(destination.path) }
        guard let components = BagPath.safeComponents(path) else { throw BagWriterError.unsafePath(path) }
        let bagPath = "data/" + path
        guard payload[bagPath] == nil else { throw BagWriterError.duplicatePath(bagPath) }
        let record = try writeFile(["data"] + components, bagPath: bagPath, producer: producer)
        payload[bagPath] = record
        return record
    }

    // MARK: Tag files

    /// Adds an extra tag file (e.g. a DA/T 48 encapsulation XML) outside `data/`, covered by the
    /// tag manifests. `name` may contain `/` for a tag directory.
    /// - Throws: ``BagWriterError/reservedTagFile(_:)`` for `bagit.txt`, `bag-info.txt`, `fetch.txt`,
    ///   `manifest-*.txt`, `tagmanifest-*.txt` or anything under `data/`; `.unsafePath`, `.duplicatePath`, `.io`.
    @discardableResult
    public func addTagFile(_ name: String, bytes: [UInt8]) throws(BagWriterError) -> BagPayloadFile {
        guard !finished else { throw .alreadyFinished(destination.path) }
        guard let components = BagPath.safeComponents(name) else { throw .unsafePath(name) }
        if components.count == 1, BagLayout.isReservedTopLevelName(name) { throw .reservedTagFile(name) }
        if components[0] == "data" { throw .reservedTagFile(name) }
        guard tagFiles[name] == nil else { throw .duplicatePath(name) }
        let record = try writeTag(components, bytes: bytes)
        tagFiles[name] = record
        return record
    }

    // MARK: Finish

    /// Writes the tag files and manifests, fsyncs, and renames `.partial` to the destination.
    ///
    /// Invalid `info` (``BagWriterError/invalidLabel(_:reason:)``) is reported before anything is
    /// written, and the writer stays usable. After any other outcome, success or failure, the
    /// writer accepts nothing more; on failure the `.partial` directory stays for inspection
    /// and must be discarded before a rerun.
    /// - Throws: ``BagWriterError`` (`.invalidLabel`, `.destinationExists`, `.io`, `.alreadyFinished`).
    @discardableResult
    public func finish(info: BagInfo) throws(BagWriterError) -> WrittenBag {
        guard !finished else { throw .alreadyFinished(destination.path) }
        let files = payload.values.sorted { BagPath.byteOrder($0.path, $1.path) }
        let octets = files.reduce(UInt64(0)) { $0 + $1.size }
        let labels = try info.labels(payloadOctets: octets, fileCount: files.count)
        finished = true

        var tags = Array(tagFiles.values)
        tags.append(try writeTag(["bagit.txt"], bytes: Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)))
        tags.append(try writeTag(["bag-info.txt"], bytes: TagFile.render(labels)))
        for algorithm in algorithms {
            tags.append(try writeTag(["manifest-\(algorithm.bagItName).txt"], bytes: BagWriter.manifest(files, algorithm)))
        }
        tags.sort { BagPath.byteOrder($0.path, $1.path) }
        for algorithm in algorithms {
            _ = try writeTag(["tagmanifest-\(algorithm.bagItName).txt"], bytes: BagWriter.manifest(tags, algorithm))
        }

        try io { () throws(ArchiveIOError) in
            for directory in directoryOrder.reversed() { try syncDirectory(directory) }
            try syncDirectory(workingDirectory.path)
        }
        if BagWriter.exists(destination.path) { throw .destinationExists(destination.path) }
        do {
            try renameItem(workingDirectory.path, to: destination.path)
        } catch {
            if error.code == EEXIST || error.code == ENOTEMPTY { throw .destinationExists(destination.path) }
            throw .io(error)
        }
        try io { () throws(ArchiveIOError) in try syncDirectory(destination.deletingLastPathComponent().path) }

        return WrittenBag(
            url: destination,
            payload: files,
            algorithms: algorithms,
            payloadOxum: "\(octets).\(files.count)"
        )
    }

    // MARK: Internals

    /// Manifest text: `hex  path` lines sorted by path bytes, paths percent-encoded.
    static func manifest(_ files: [BagPayloadFile], _ algorithm: DigestAlgorithm) -> [UInt8] {
        var out: [UInt8] = []
        for file in files.sorted(by: { BagPath.byteOrder($0.path, $1.path) }) {
            out.append(contentsOf: "\(file.hex(algorithm) ?? "")  \(BagPath.encodeForManifest(file.path))\n".utf8)
        }
        return out
    }

    private func writeTag(_ components: [String], bytes: [UInt8]) throws(BagWriterError) -> BagPayloadFile {
        do {
            return try writeFile(components, bagPath: components.joined(separator: "/")) { emit in
                try bytes.withUnsafeBytes { try emit($0) }
            }
        } catch let error as BagWriterError {
            throw error
        } catch {
            throw .io(ArchiveIOError(operation: "write", path: components.joined(separator: "/"), code: EIO))
        }
    }

    /// Creates the file at `components` under the working directory, streams the producer's
    /// bytes into it while hashing, fsyncs it. On any error the file is removed.
    private func writeFile(
        _ components: [String],
        bagPath: String,
        producer: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> BagPayloadFile {
        try ensureDirectory(Array(components.dropLast()))
        let fullPath = workingDirectory.appendingPathComponent(components.joined(separator: "/")).path
        let hasher: MultiHasher
        do { hasher = try MultiHasher(algorithms) } catch { throw BagWriterError.digest(error) }
        let output = try createFile(fullPath)
        var size: UInt64 = 0
        do {
            try producer { buffer in
                do { try output.write(buffer) } catch let error as ArchiveIOError { throw BagWriterError.io(error) }
                hasher.update(buffer)
                size += UInt64(buffer.count)
            }
            do { try output.sync() } catch { throw BagWriterError.io(error) }
        } catch {
            try? FileManager.default.removeItem(atPath: fullPath)
            throw error
        }
        return BagPayloadFile(path: bagPath, size: size, digests: hasher.finalize())
    }

    /// Creates the directories of `components` (relative to the working directory) that do not exist yet.
    private func ensureDirectory(_ components: [String]) throws(BagWriterError) {
        var relative = ""
        for component in components {
            relative = relative.isEmpty ? component : relative + "/" + component
            if directories.contains(relative) { continue }
            let full = workingDirectory.appendingPathComponent(relative, isDirectory: true).path
            try io { () throws(ArchiveIOError) in try makeDirectory(full) }
            directories.insert(relative)
            directoryOrder.append(full)
        }
    }

    private func createFile(_ path: String) throws(BagWriterError) -> FileDescriptor {
        do { return try FileDescriptor.createExclusive(path) } catch { throw .io(error) }
    }

    private func io<T>(_ body: () throws(ArchiveIOError) -> T) throws(BagWriterError) -> T {
        do { return try body() } catch { throw .io(error) }
    }

    /// Whether anything (file, directory, dangling symlink) exists at `path`.
    static func exists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    }

    private static func remove(_ url: URL) throws(BagWriterError) {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw .removalFailed(url.path, reason: error.localizedDescription)
        }
    }
}
