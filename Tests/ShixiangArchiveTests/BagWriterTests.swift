import Foundation
import Testing
import ShixiangArchive
import ShixiangDigest

@Suite("BagWriter")
struct BagWriterTests {
    @Test("a written bag passes every built-in check")
    func writtenBagValidates() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag-2025-0001")
        let written = try SampleBag.write(to: destination)

        #expect(written.url == destination.standardizedFileURL)
        #expect(!FileManager.default.fileExists(atPath: BagWriter.partialURL(for: destination).path))
        let report = BagValidator().validate(at: destination)
        #expect(report.passed, "\(report.text)")
        #expect(report.result(BagCheckID.payloadDigests(.sha256))?.passed == true)
        #expect(report.result(BagCheckID.payloadDigests(.sm3))?.passed == true)
        #expect(report.result(BagCheckID.tagManifestDigests(.sm3))?.passed == true)
        #expect(report.result(BagCheckID.xmlWellFormed)?.message.contains("1 .xml") == true)
        #expect(report.result(BagCheckID.jsonParses)?.message.contains("1 .json") == true)

        let names = try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted()
        #expect(names == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "manifest-sm3.txt",
                          "tagmanifest-sha256.txt", "tagmanifest-sm3.txt"])
    }

    @Test("tag files have the RFC 8493 content")
    func tagFileContent() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        let written = try SampleBag.write(to: destination)

        let bagit = try String(contentsOf: destination.appendingPathComponent("bagit.txt"), encoding: .utf8)
        #expect(bagit == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")

        let octets = SampleBag.files.reduce(0) { $0 + $1.bytes.count } + SampleBag.streamedChunks * 1024
        let count = SampleBag.files.count + 1
        #expect(written.payloadOxum == "\(octets).\(count)")
        let info = try String(contentsOf: destination.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        #expect(info == """
            Source-Organization: 重庆市黔江区行政服务中心
            External-Identifier: SX-2025-0001
            Bagging-Date: 2025-03-14
            Payload-Oxum: \(octets).\(count)
            Bag-Size: \(BagInfo.humanSize(UInt64(octets)))
            Bag-Count: 1 of 1
            Internal-Sender-Description: 政务服务事项动态调整电子档案（测试）

            """)

        let manifest = try String(contentsOf: destination.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        let lines = manifest.split(separator: "\n").map(String.init)
        #expect(lines.count == count)
        let paths = lines.map { String($0.dropFirst(64 + 2)) }
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(lines.contains("\(Digest.hex(Digest.sha256(Array("abc".utf8))))  data/abc.txt"))
        #expect(paths.contains("data/notes with spaces.txt"))
        #expect(paths.contains("data/事项/调整记录.json"))

        // SM3("abc") is the GB/T 32905 test vector.
        let sm3 = try String(contentsOf: destination.appendingPathComponent("manifest-sm3.txt"), encoding: .utf8)
        #expect(sm3.contains("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0  data/abc.txt\n"))

        let tagManifest = try String(contentsOf: destination.appendingPathComponent("tagmanifest-sm3.txt"), encoding: .utf8)
        let tagPaths = tagManifest.split(separator: "\n").map { String($0.dropFirst(64 + 2)) }
        #expect(tagPaths == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sm3.txt"])
    }

    @Test("the Library of Congress bagit package validates the bag (requires `pip install bagit`)")
    func bagitPythonValidates() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        try SampleBag.write(to: destination, algorithms: [.sha256, .sha512, .sm3])
        let result = try Python.bagitValidate(destination)
        #expect(result.status == 0, "bagit-python rejected the bag: \(result.stderr)")
        // bagit-python checks every algorithm hashlib knows; SHA-256 and SHA-512 at least.
        let algorithms = result.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(algorithms.contains("sha256") && algorithms.contains("sha512"), "bagit-python checked \(algorithms)")
    }

    @Test("bagit-python also rejects a corrupted bag, so its acceptance means something")
    func bagitPythonRejectsCorruption() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        try SampleBag.write(to: destination)
        try Data("abd".utf8).write(to: destination.appendingPathComponent("data/abc.txt"))
        let result = try Python.bagitValidate(destination)
        #expect(result.status != 0)
        #expect(result.stderr.contains("abc.txt"), "\(result.stderr)")
    }

    @Test("manifest-sm3.txt agrees with the independent gmssl SM3 (requires `pip install gmssl`)")
    func sm3MatchesGmssl() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        let written = try SampleBag.write(to: destination)
        let files = written.payload
        let independent = try Python.gmsslSM3(files.map { destination.appendingPathComponent($0.path) })
        #expect(independent.count == files.count)
        let manifest = try String(contentsOf: destination.appendingPathComponent("manifest-sm3.txt"), encoding: .utf8)
        for (file, digest) in zip(files, independent) {
            #expect(file.hex(.sm3) == digest, "\(file.path)")
            #expect(manifest.contains("\(digest)  \(file.path)\n"), "\(file.path) missing from manifest-sm3.txt")
        }
        #expect(try Python.gmsslSM3([destination.appendingPathComponent("data/abc.txt")])
            == ["66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"])
    }

    @Test("a large payload is streamed in chunks and verified by bagit-python")
    func streamedLargePayload() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("big")
        let writer = try BagWriter(destination: destination)
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
        var remaining = 24
        let reference = try StreamingHasherBox(.sha256)
        let file = try writer.addFile("records/large.bin") { () -> [UInt8]? in
            guard remaining > 0 else { return nil }
            remaining -= 1
            reference.update(chunk)
            return chunk
        }
        #expect(file.size == 24 << 20)
        #expect(file.hex(.sha256) == Digest.hex(reference.finalize()))
        try writer.finish(info: SampleBag.info())
        #expect(BagValidator().validate(at: destination).passed)
        let result = try Python.bagitValidate(destination)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("a writer dropped before finish leaves only .partial; a rerun succeeds")
    func interruptedWrite() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        do {
            let writer = try BagWriter(destination: destination)
            try writer.addFile("a.txt", bytes: Array("第一次".utf8))
            // dropped here: no finish
        }
        let partial = BagWriter.partialURL(for: destination)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.url.path) == ["bag.partial"])
        #expect(partial.lastPathComponent == "bag.partial")
        #expect(!FileManager.default.fileExists(atPath: partial.appendingPathComponent("bagit.txt").path))
        let partialReport = BagValidator().validate(at: partial)
        #expect(partialReport.result(BagCheckID.layout)?.message.contains("unfinished export") == true)
        #expect(partialReport.result(BagCheckID.declaration)?.message == "bagit.txt is missing")

        // A plain rerun refuses to build on the leftover.
        #expect {
            _ = try BagWriter(destination: destination)
        } throws: { error in
            guard case BagWriterError.partialExists(let path)? = error as? BagWriterError else { return false }
            return path == partial.path
        }

        // Discarding it explicitly, then rerunning, gives a valid bag.
        #expect(try BagWriter.discardPartial(at: destination))
        #expect(try !BagWriter.discardPartial(at: destination))
        try SampleBag.write(to: destination)
        #expect(BagValidator().validate(at: destination).passed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.url.path) == ["bag"])
    }

    @Test("a rerun can discard the stale .partial itself")
    func rerunDiscardingStalePartial() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        do {
            let writer = try BagWriter(destination: destination)
            try writer.addFile("stale.txt", bytes: [1, 2, 3])
        }
        let writer = try BagWriter(destination: destination, discardingStalePartial: true)
        try writer.addFile("fresh.txt", bytes: Array("新".utf8))
        let written = try writer.finish(info: SampleBag.info())
        #expect(written.payload.map(\.path) == ["data/fresh.txt"])
        #expect(BagValidator().validate(at: destination).passed)
    }

    @Test("discardStalePartials removes every .partial directory and nothing else")
    func discardStalePartials() throws {
        let temp = try TemporaryDirectory()
        for name in ["one", "two"] {
            let writer = try BagWriter(destination: temp.path(name))
            try writer.addFile("x.txt", bytes: [0x78])
        }
        try SampleBag.write(to: temp.path("done"))
        let removed = try BagWriter.discardStalePartials(in: temp.url)
        #expect(removed.map(\.lastPathComponent) == ["one.partial", "two.partial"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.url.path) == ["done"])
    }

    @Test("an existing bag is never overwritten")
    func refusesToOverwrite() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        try SampleBag.write(to: destination)
        #expect(throws: BagWriterError.self) { _ = try BagWriter(destination: destination) }

        // A bag appearing while another writer works is not replaced either.
        let late = temp.path("late")
        let writer = try BagWriter(destination: late)
        try writer.addFile("a.txt", bytes: [0x61])
        try SampleBag.write(to: late.deletingLastPathComponent().appendingPathComponent("late-other"))
        try FileManager.default.moveItem(at: temp.path("late-other"), to: late)
        #expect {
            try writer.finish(info: SampleBag.info())
        } throws: { error in
            guard case BagWriterError.destinationExists? = error as? BagWriterError else { return false }
            return true
        }
        #expect(BagValidator().validate(at: late).passed)
        #expect(FileManager.default.fileExists(atPath: BagWriter.partialURL(for: late).path))
        #expect(throws: BagWriterError.self) { try writer.addFile("b.txt", bytes: [0x62]) }
    }

    @Test("unsafe paths, duplicates, reserved names and bad labels are refused with clear errors")
    func refusesBadInput() throws {
        let temp = try TemporaryDirectory()
        let writer = try BagWriter(destination: temp.path("bag"))
        for path in ["", "/etc/passwd", "../escape", "a/../../b", "a//b", "./a", "a/."] {
            #expect(throws: BagWriterError.self, "\(path)") { try writer.addFile(path, bytes: [1]) }
        }
        try writer.addFile("a.txt", bytes: [1])
        #expect {
            try writer.addFile("a.txt", bytes: [2])
        } throws: { error in
            "\(error)".contains("data/a.txt was already added")
        }
        for name in ["bagit.txt", "bag-info.txt", "manifest-md5.txt", "tagmanifest-sha256.txt", "fetch.txt", "data/x.txt"] {
            #expect(throws: BagWriterError.self, "\(name)") { try writer.addTagFile(name, bytes: [1]) }
        }
        var info = SampleBag.info()
        info.extraLabels = [BagInfoLabel("Contact-Name", "张三\n李四")]
        #expect {
            try writer.finish(info: info)
        } throws: { error in
            "\(error)".contains("Contact-Name") && "\(error)".contains("CR or LF")
        }
        // The writer stays usable after refusing the labels.
        try writer.finish(info: SampleBag.info())
        #expect(BagValidator().validate(at: temp.path("bag")).passed)

        #expect(throws: BagWriterError.self) { _ = try BagWriter(destination: temp.path("sm3-only"), algorithms: [.sm3]) }
        #expect(throws: BagWriterError.self) { _ = try BagWriter(destination: temp.path("x.partial")) }
        #expect(throws: BagWriterError.self) { _ = try BagWriter(destination: temp.path("no-parent/bag")) }

        let reserved = try BagWriter(destination: temp.path("reserved"))
        var clash = SampleBag.info()
        clash.extraLabels = [BagInfoLabel("payload-oxum", "1.1")]
        #expect { try reserved.finish(info: clash) } throws: { "\($0)".contains("computed by the writer") }
    }

    @Test("a producer that throws leaves no half-written file and the writer goes on")
    func failingProducer() throws {
        struct SourceGone: Error {}
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        let writer = try BagWriter(destination: destination)
        var calls = 0
        #expect(throws: SourceGone.self) {
            try writer.addFile("broken.bin") { () -> [UInt8]? in
                calls += 1
                if calls > 2 { throw SourceGone() }
                return [1, 2, 3]
            }
        }
        #expect(!FileManager.default.fileExists(atPath: writer.workingDirectory.appendingPathComponent("data/broken.bin").path))
        try writer.addFile("broken.bin", bytes: [9])
        try writer.finish(info: SampleBag.info())
        #expect(BagValidator().validate(at: destination).passed)
    }

    @Test("copying an existing file streams it into the payload")
    func copyingFile() throws {
        let temp = try TemporaryDirectory()
        let source = temp.path("source.txt")
        try Data("来源文件".utf8).write(to: source)
        let writer = try BagWriter(destination: temp.path("bag"))
        let file = try writer.addFile("copied/来源.txt", copying: source)
        #expect(file.size == UInt64("来源文件".utf8.count))
        #expect(throws: BagWriterError.self) { try writer.addFile("missing.txt", copying: temp.path("nope")) }
        try writer.finish(info: SampleBag.info())
        #expect(BagValidator().validate(at: temp.path("bag")).passed)
    }

    @Test("CR, LF and % in file names are percent-encoded in manifests and read back")
    func percentEncodedPaths() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        let writer = try BagWriter(destination: destination)
        try writer.addFile("100% done.txt", bytes: [1])
        try writer.addFile("line\nbreak\r.txt", bytes: [2])
        try writer.finish(info: SampleBag.info())
        let manifest = try String(contentsOf: destination.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        #expect(manifest.contains("  data/100%25 done.txt\n"))
        #expect(manifest.contains("  data/line%0Abreak%0D.txt\n"))
        let report = BagValidator().validate(at: destination)
        #expect(report.passed, "\(report.text)")
        #expect(BagPath.decodeFromManifest("a%25b%0a%0D%41") == "a%b\n\r%41")
        #expect(BagPath.encodeForManifest("a%b\n\r") == "a%25b%0A%0D")
    }

    @Test("an extra tag file is covered by the tag manifests and accepted by both validators")
    func extraTagFile() throws {
        let temp = try TemporaryDirectory()
        let destination = temp.path("bag")
        try SampleBag.write(to: destination) { writer in
            try writer.addTagFile("metadata/eep.xml", bytes: SampleBag.samplePackage().render())
        }
        let report = BagValidator().validate(at: destination)
        #expect(report.passed, "\(report.text)")
        let tagManifest = try String(contentsOf: destination.appendingPathComponent("tagmanifest-sha256.txt"), encoding: .utf8)
        #expect(tagManifest.contains("  metadata/eep.xml\n"))
        let result = try Python.bagitValidate(destination)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("Bag-Size and Bag-Count are formatted for people")
    func humanReadableValues() {
        #expect(BagInfo.humanSize(0) == "0 B")
        #expect(BagInfo.humanSize(999) == "999 B")
        #expect(BagInfo.humanSize(1500) == "1.5 KB")
        #expect(BagInfo.humanSize(999_999) == "1.0 MB")
        #expect(BagInfo.humanSize(260_000_000_000) == "260.0 GB")
        #expect(BagCount(ordinal: 2, total: nil).text == "2 of ?")
        #expect(BagCount(ordinal: 2, total: 5).text == "2 of 5")
    }
}

/// A copyable reference hasher for tests that compare against the writer's digests.
struct StreamingHasherBox {
    private final class Box {
        var hasher: StreamingHasher?
        init(_ hasher: consuming StreamingHasher) { self.hasher = .some(hasher) }
    }

    private let box: Box

    init(_ algorithm: DigestAlgorithm) throws {
        box = Box(try StreamingHasher(algorithm))
    }

    func update(_ bytes: [UInt8]) { box.hasher?.update(bytes) }
    func finalize() -> [UInt8] { box.hasher.take()?.finalize() ?? [] }
}
