import ArgumentParser
import Foundation
import ShixiangDigest
import ShixiangJSON

/// Supporting documents (佐证材料): the registry keeps each file's name, SHA-256 and size, computed
/// here from the local file, never the file itself.
enum EvidenceFile {
    /// Bytes read at a time, so files of any size are hashed in constant memory.
    static let chunkSize = 1 << 20

    /// `{name, sha256, size}` of the file at `path`, hashed as it is read.
    static func describe(_ path: String) throws -> JSONValue {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("--evidence: cannot read \(path).")
        }
        defer { try? handle.close() }
        var hasher: StreamingHasher
        do { hasher = try StreamingHasher(.sha256) } catch {
            throw ValidationError("--evidence: \(error.description)")
        }
        var size: Int64 = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkSize) ?? Data() } catch {
                throw ValidationError("--evidence: reading \(path) failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            size += Int64(chunk.count)
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return ["name": .string(name), "sha256": .string(Digest.hex(hasher.finalize())), "size": .int(size)]
    }

    /// Checks in `validate()` that every evidence path is a readable regular file.
    static func check(_ paths: [String]) throws {
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isReadableFile(atPath: path)
            else { throw ValidationError("--evidence: \(path) is not a readable file.") }
        }
    }
}
