import Foundation
import Testing
import ShixiangArchive
import ShixiangDigest

/// Ways to damage a valid sample bag, each with the check that must catch it.
enum Corruption: String, CaseIterable, CustomTestStringConvertible {
    case changedPayloadByte, removedPayloadFile, addedPayloadFile, addedTopLevelFile
    case changedBagInfo, wrongPayloadOxum, executableFile, symlinkInPayload
    case malformedXML, malformedJSON, missingBagitTxt, missingTagManifests, changedManifest

    var testDescription: String { rawValue }

    /// The check ids that must fail.
    var expectedFailures: [String] {
        switch self {
        case .changedPayloadByte: return [BagCheckID.payloadDigests(.sha256), BagCheckID.payloadDigests(.sm3)]
        case .removedPayloadFile: return [BagCheckID.payloadPresent]
        case .addedPayloadFile: return [BagCheckID.payloadListed]
        case .addedTopLevelFile: return [BagCheckID.layout]
        case .changedBagInfo: return [BagCheckID.tagManifestDigests(.sha256), BagCheckID.tagManifestDigests(.sm3)]
        case .wrongPayloadOxum: return [BagCheckID.payloadOxum]
        case .executableFile: return [BagCheckID.notExecutable]
        case .symlinkInPayload: return [BagCheckID.noSymlinks]
        case .malformedXML: return [BagCheckID.xmlWellFormed]
        case .malformedJSON: return [BagCheckID.jsonParses]
        case .missingBagitTxt: return [BagCheckID.declaration]
        case .missingTagManifests: return [BagCheckID.tagManifestCoverage]
        case .changedManifest: return [BagCheckID.tagManifestDigests(.sha256)]
        }
    }

    /// A word the failing message must contain (the file it names).
    var namedFile: String {
        switch self {
        case .changedPayloadByte: return "data/notes with spaces.txt"
        case .removedPayloadFile: return "data/事项/调整记录.json"
        case .addedPayloadFile: return "data/extra.txt"
        case .addedTopLevelFile: return "README.txt"
        case .changedBagInfo, .wrongPayloadOxum: return "bag-info.txt"
        case .executableFile: return "data/abc.txt"
        case .symlinkInPayload: return "data/link"
        case .malformedXML: return "data/eep.xml"
        case .malformedJSON: return "data/事项/调整记录.json"
        case .missingBagitTxt: return "bagit.txt"
        case .missingTagManifests: return "tagmanifest"
        case .changedManifest: return "manifest-sm3.txt"
        }
    }

    func apply(to bag: URL) throws {
        let fm = FileManager.default
        func file(_ path: String) -> URL { bag.appendingPathComponent(path) }
        switch self {
        case .changedPayloadByte:
            var bytes = try Data(contentsOf: file("data/notes with spaces.txt"))
            bytes[0] ^= 0x01
            try bytes.write(to: file("data/notes with spaces.txt"))
        case .removedPayloadFile:
            try fm.removeItem(at: file("data/事项/调整记录.json"))
        case .addedPayloadFile:
            try Data("未登记".utf8).write(to: file("data/extra.txt"))
        case .addedTopLevelFile:
            try Data("hello".utf8).write(to: file("README.txt"))
        case .changedBagInfo:
            let info = try String(contentsOf: file("bag-info.txt"), encoding: .utf8)
            try Data(info.replacingOccurrences(of: "SX-2025-0001", with: "SX-2025-9999").utf8).write(to: file("bag-info.txt"))
        case .wrongPayloadOxum:
            let info = try String(contentsOf: file("bag-info.txt"), encoding: .utf8)
            let lines = info.split(separator: "\n").map { $0.hasPrefix("Payload-Oxum:") ? "Payload-Oxum: 1.1" : String($0) }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file("bag-info.txt"))
        case .executableFile:
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file("data/abc.txt").path)
        case .symlinkInPayload:
            try fm.createSymbolicLink(atPath: file("data/link").path, withDestinationPath: "/etc/passwd")
        case .malformedXML:
            try rewritePayload(bag, "data/eep.xml", Array("<电子文件封装包><题名>未闭合</电子文件封装包>".utf8))
        case .malformedJSON:
            try rewritePayload(bag, "data/事项/调整记录.json", Array(#"{"基本编码": "000104002000",}"#.utf8))
        case .missingBagitTxt:
            try fm.removeItem(at: file("bagit.txt"))
        case .missingTagManifests:
            try fm.removeItem(at: file("tagmanifest-sha256.txt"))
            try fm.removeItem(at: file("tagmanifest-sm3.txt"))
        case .changedManifest:
            try Data("0000  data/abc.txt\n".utf8).write(to: file("manifest-sm3.txt"), options: [])
        }
    }

    /// Replaces a payload file and fixes every manifest, tag manifest and the oxum, so that
    /// only the content checks can notice.
    private func rewritePayload(_ bag: URL, _ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: bag.appendingPathComponent(path))
        try Resealer.reseal(bag)
    }
}

/// Recomputes manifests, Payload-Oxum and tag manifests of a bag in place (test helper).
enum Resealer {
    static func reseal(_ bag: URL) throws {
        let fm = FileManager.default
        var payload: [(String, [UInt8])] = []
        let data = bag.appendingPathComponent("data")
        if let walker = fm.enumerator(atPath: data.path) {
            while let relative = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let full = data.appendingPathComponent(relative).path
                if fm.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    payload.append(("data/" + relative, Array(try Data(contentsOf: URL(fileURLWithPath: full)))))
                }
            }
        }
        payload.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for algorithm in [DigestAlgorithm.sha256, .sm3] {
            let text = try payload.map { "\(Digest.hex(try Digest.hash(algorithm, $0.1)))  \($0.0)\n" }.joined()
            try Data(text.utf8).write(to: bag.appendingPathComponent("manifest-\(algorithm.rawValue).txt"))
        }
        let octets = payload.reduce(0) { $0 + $1.1.count }
        let info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        let lines = info.split(separator: "\n").map { $0.hasPrefix("Payload-Oxum:") ? "Payload-Oxum: \(octets).\(payload.count)" : String($0) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: bag.appendingPathComponent("bag-info.txt"))
        let tags = ["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sm3.txt"]
        for algorithm in [DigestAlgorithm.sha256, .sm3] {
            let text = try tags.map { name in
                let bytes = Array(try Data(contentsOf: bag.appendingPathComponent(name)))
                return "\(Digest.hex(try Digest.hash(algorithm, bytes)))  \(name)\n"
            }.joined()
            try Data(text.utf8).write(to: bag.appendingPathComponent("tagmanifest-\(algorithm.rawValue).txt"))
        }
    }
}

@Suite("BagValidator")
struct BagValidatorTests {
    @Test("each corruption makes the right check fail, naming the file", arguments: Corruption.allCases)
    func catchesCorruption(_ corruption: Corruption) throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        #expect(BagValidator().validate(at: bag).passed)

        try corruption.apply(to: bag)
        let report = BagValidator().validate(at: bag)
        #expect(!report.passed)
        for id in corruption.expectedFailures {
            let result = try #require(report.result(id), "check \(id) did not run; report:\n\(report.text)")
            #expect(!result.passed, "\(id) should fail; report:\n\(report.text)")
            #expect(result.message.contains(corruption.namedFile), "\(id) message should name \(corruption.namedFile): \(result.message)")
        }
    }

    @Test("the resealer used above yields a valid bag when nothing is wrong")
    func resealerIsFaithful() throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        try Resealer.reseal(bag)
        let report = BagValidator().validate(at: bag)
        #expect(report.passed, "\(report.text)")
    }

    @Test("a gzip file in the payload fails only the container check")
    func gzipInPayload() throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00,
                             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        try SampleBag.write(to: bag) { writer in
            try writer.addFile("attachments/材料.gz", bytes: gzip)
        }
        let report = BagValidator().validate(at: bag)
        #expect(report.failedIDs == [BagCheckID.noContainers], "\(report.text)")
        #expect(report.result(BagCheckID.noContainers)?.message == "data/attachments/材料.gz is a gzip container")
    }

    @Test("zip, 7z, rar, xz, bzip2 and encrypted PDFs are recognised; OFD is allowed by default", arguments: [
        ("a.zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "zip"),
        ("a.7z", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04], "7z"),
        ("a.rar", [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00], "rar"),
        ("a.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04], "xz"),
        ("a.bz2", Array("BZh91AY&SY".utf8), "bzip2"),
        ("disguised.txt", [0x1F, 0x8B, 0x08, 0x00], "gzip"),
        ("locked.pdf", Array("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R/Encrypt 5 0 R>>\n%%EOF\n".utf8), "encrypted PDF"),
        ("plain.pdf", Array("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8), nil),
        ("BZh.txt", Array("BZh is how this text starts".utf8), nil),
        ("公文.ofd", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], nil),
    ] as [(String, [UInt8], String?)])
    func containerSniffing(_ name: String, _ bytes: [UInt8], _ kind: String?) throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        let writer = try BagWriter(destination: bag)
        try writer.addFile(name, bytes: bytes)
        try writer.finish(info: SampleBag.info())
        let result = try #require(BagValidator().validate(at: bag).result(BagCheckID.noContainers))
        if let kind {
            #expect(!result.passed)
            #expect(result.message == "data/\(name) is a \(kind) container")
        } else {
            #expect(result.passed, "\(result.message)")
        }
    }

    @Test("a missing directory gives a report, not an error")
    func missingBag() throws {
        let temp = try TemporaryDirectory()
        let report = BagValidator().validate(at: temp.path("nothing-here"))
        #expect(!report.passed)
        #expect(report.checks.map(\.id) == [BagCheckID.bagExists])
        #expect(report.text.contains("✗ bag.exists"))
    }

    @Test("the checks cover all four DA/T 70 properties and have unique ids")
    func checkInventory() throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        let report = BagValidator().validate(at: bag)
        #expect(Set(report.checks.map(\.property)) == Set(ArchiveProperty.allCases))
        #expect(Set(report.checks.map(\.id)).count == report.checks.count)
        #expect(report.checks.map(\.id) == [
            "bag.exists", "bagit.declaration", "bag-info.well-formed", "manifest.well-formed",
            "payload.listed", "payload.present", "payload.digests.sha256", "payload.digests.sm3",
            "payload.oxum", "tagmanifest.coverage", "tagmanifest.digests.sha256", "tagmanifest.digests.sm3",
            "structure.layout", "structure.no-symlinks", "structure.not-executable",
            "payload.no-containers", "payload.xml-well-formed", "payload.json-parses",
        ])
    }

    @Test("integrator checks run after the built-in ones and can fail the report")
    func additionalChecks() throws {
        struct ChainProof: BagCheck {
            func run(on bag: BagSnapshot) -> [BagCheckResult] {
                let hasEvents = bag.payloadEntries.contains { $0.path == "data/streams/events.bin" }
                return [BagCheckResult(id: "chain.proof", property: .authenticity, passed: hasEvents,
                                       message: hasEvents ? "data/streams/events.bin present" : "no event stream")]
            }
        }
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        let organisation = ClosureBagCheck(id: "metadata.source", property: .integrity) { bag in
            bag.infoValues(for: "source-organization") == [SampleBag.sourceOrganization]
                ? .pass("Source-Organization is \(SampleBag.sourceOrganization)") : .fail("wrong Source-Organization")
        }
        struct Broken: Error, CustomStringConvertible { var description: String { "register unavailable" } }
        let throwing = ClosureBagCheck(id: "metadata.register", property: .integrity) { _ in throw Broken() }

        let validator = BagValidator(additionalChecks: [ChainProof(), organisation, throwing])
        let report = validator.validate(at: bag)
        #expect(Array(report.checks.suffix(3).map(\.id)) == ["chain.proof", "metadata.source", "metadata.register"])
        #expect(report.result("chain.proof")?.passed == true)
        #expect(report.result("metadata.source")?.passed == true)
        #expect(report.result("metadata.register")?.passed == false)
        #expect(report.result("metadata.register")?.message.contains("register unavailable") == true)
        #expect(report.failedIDs == ["metadata.register"])
    }

    @Test("the report renders one ✓/✗ line per check and round-trips as JSON")
    func reportRendering() throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        try Corruption.changedPayloadByte.apply(to: bag)
        let report = BagValidator().validate(at: bag)

        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines.count == report.checks.count + 1)
        #expect(lines[0].contains("INVALID (2 of \(report.checks.count) checks failed)"))
        #expect(lines.contains { $0.hasPrefix("✗ payload.digests.sha256 [真实性 authenticity] data/notes with spaces.txt: sha256 is ") })
        #expect(lines.contains { $0.hasPrefix("✓ payload.oxum [完整性 integrity]") })

        let json = try report.json()
        let decoded = try JSONDecoder().decode(BagReport.self, from: json)
        #expect(decoded == report)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        let first = try #require((object["checks"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "bag.exists")
        #expect(first["property"] as? String == "integrity")
    }

    @Test("bags without tag manifest or Payload-Oxum pass when the options allow it")
    func relaxedOptions() throws {
        let temp = try TemporaryDirectory()
        let bag = temp.path("bag")
        try SampleBag.write(to: bag)
        try FileManager.default.removeItem(at: bag.appendingPathComponent("tagmanifest-sha256.txt"))
        try FileManager.default.removeItem(at: bag.appendingPathComponent("tagmanifest-sm3.txt"))
        let info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        let folded = info.split(separator: "\n").filter { !$0.hasPrefix("Payload-Oxum") }
            .map { $0.hasPrefix("Internal-Sender-Description") ? "Internal-Sender-Description: 第一行\n  第二行" : String($0) }
        try Data((folded.joined(separator: "\n") + "\n").utf8).write(to: bag.appendingPathComponent("bag-info.txt"))

        #expect(BagValidator().validate(at: bag).failedIDs == [BagCheckID.payloadOxum, BagCheckID.tagManifestCoverage])
        var options = BagValidationOptions()
        options.requireTagManifest = false
        options.requirePayloadOxum = false
        let relaxed = BagValidator(options: options)
        let report = relaxed.validate(at: bag)
        #expect(report.passed, "\(report.text)")
        // Folded bag-info values are joined with one space.
        let probe = ClosureBagCheck(id: "probe", property: .usability) { snapshot in
            .pass(snapshot.infoValues(for: "Internal-Sender-Description").joined(separator: "|"))
        }
        let probed = BagValidator(options: options, additionalChecks: [probe]).validate(at: bag)
        #expect(probed.result("probe")?.message == "第一行 第二行")
    }
}

@Suite("JSON syntax")
struct JSONSyntaxCheckerTests {
    @Test("valid JSON texts pass", arguments: [
        #"{"基本编码":"000104002000","n":-0.5e+10,"a":[true,false,null,{}],"e":"\u00e9\n\"\\\/"}"#,
        "  [ ]  ", "0", "\"只是字符串\"", "\u{FEFF}{}", "[[[[1]]]]", "-12.5E-3",
    ])
    func accepts(_ text: String) {
        #expect(JSONSyntaxChecker.problem(in: Array(text.utf8)) == nil)
    }

    @Test("invalid JSON texts fail with an offset", arguments: [
        #"{"a":1,}"#, "[1,]", "{'a':1}", "{\"a\" 1}", "[01]", "1.", ".5", "+1", "[1] [2]", "",
        "\"unterminated", "\"tab\tinside\"", "\"\\x\"", "\"\\u12G4\"", "nul", "{\"a\":1 // comment\n}", "[NaN]",
    ])
    func rejects(_ text: String) {
        let problem = JSONSyntaxChecker.problem(in: Array(text.utf8))
        #expect(problem?.hasPrefix("Invalid JSON") == true, "\(text) gave \(String(describing: problem))")
    }

    @Test("invalid UTF-8 and deep nesting are rejected")
    func bytesAndDepth() {
        #expect(JSONSyntaxChecker.problem(in: [0x22, 0xC0, 0xAF, 0x22]) != nil) // overlong '/'
        #expect(JSONSyntaxChecker.problem(in: [0x22, 0xED, 0xA0, 0x80, 0x22]) != nil) // surrogate
        #expect(JSONSyntaxChecker.problem(in: [0x22, 0xE4, 0xBD, 0xA0, 0x22]) == nil) // 你
        let deep = String(repeating: "[", count: JSONSyntaxChecker.maxDepth + 1) + String(repeating: "]", count: JSONSyntaxChecker.maxDepth + 1)
        #expect(JSONSyntaxChecker.problem(in: Array(deep.utf8))?.contains("levels deep") == true)
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(JSONSyntaxChecker.problem(in: Array(ok.utf8)) == nil)
    }
}
