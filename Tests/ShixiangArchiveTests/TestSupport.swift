import Foundation
import Testing
import ShixiangArchive
import ShixiangDigest

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("shixiang-archive-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Why an external Python check could not run. Thrown (so the test fails), never skipped.
struct ExternalToolMissing: Error, CustomStringConvertible {
    let description: String
}

/// Result of a Python run.
struct PythonResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Python {
    /// Runs `python3 -c script args…` from PATH.
    ///
    /// Throws ``ExternalToolMissing`` when python3 is not on PATH or `module` cannot be imported,
    /// with the `pip install` command to fix it. Other failures are returned for the test to judge.
    static func run(_ script: String, _ arguments: [String], module: String, pipPackage: String) throws -> PythonResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = try TemporaryDirectory()
        let outURL = output.path("stdout")
        let errURL = output.path("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ExternalToolMissing(description: "cannot start /usr/bin/env python3 (\(error)); install Python 3, then `pip install \(pipPackage)`")
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let result = PythonResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
        if result.status == 127 {
            throw ExternalToolMissing(description: "python3 is not on PATH: install Python 3, then `pip install \(pipPackage)`")
        }
        if result.status != 0,
           result.stderr.contains("ModuleNotFoundError") || result.stderr.contains("ImportError"),
           result.stderr.contains(module) {
            throw ExternalToolMissing(description: "Python module '\(module)' is missing: run `pip install \(pipPackage)` (stderr: \(result.stderr.suffix(300)))")
        }
        return result
    }

    /// Validates a bag with the Library of Congress `bagit` package; returns the result
    /// (stdout lists the algorithms bagit-python checked).
    static func bagitValidate(_ bag: URL) throws -> PythonResult {
        try run("""
            import sys, bagit
            bag = bagit.Bag(sys.argv[1])
            bag.validate()
            print(" ".join(sorted(bag.algorithms)))
            """, [bag.path], module: "bagit", pipPackage: "bagit")
    }

    /// SM3 of each file, computed by the independent pure-Python `gmssl` package.
    static func gmsslSM3(_ files: [URL]) throws -> [String] {
        let result = try run("""
            import sys
            from gmssl import sm3, func
            for path in sys.argv[1:]:
                with open(path, "rb") as f:
                    print(sm3.sm3_hash(func.bytes_to_list(f.read())))
            """, files.map(\.path), module: "gmssl", pipPackage: "gmssl")
        guard result.status == 0 else {
            throw ExternalToolMissing(description: "gmssl failed (status \(result.status)): \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}

/// A small bag with Chinese content, a name with spaces, JSON, XML and a streamed file.
enum SampleBag {
    static let sourceOrganization = "重庆市黔江区行政服务中心"
    static let fixedDate = Date(timeIntervalSince1970: 1_741_910_400) // 2025-03-14 08:00 +08:00

    static let files: [(path: String, bytes: [UInt8])] = [
        ("abc.txt", Array("abc".utf8)),
        ("notes with spaces.txt", Array("政务服务事项动态调整：新增、取消、变更。\n第二行 second line\n".utf8)),
        ("事项/调整记录.json", Array(#"{"基本编码":"000104002000","调整类型":"变更","事由":"法律依据修订"}"#.utf8)),
        ("事项/empty.txt", []),
        ("eep.xml", samplePackage().render()),
    ]

    /// The bytes of the streamed file: 40 chunks of 1 KiB, deterministic.
    static func streamedChunk(_ index: Int) -> [UInt8] {
        (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7) }
    }

    static let streamedPath = "streams/events.bin"
    static let streamedChunks = 40

    static func info() -> BagInfo {
        BagInfo(
            sourceOrganization: sourceOrganization,
            externalIdentifier: "SX-2025-0001",
            baggingDate: fixedDate,
            bagCount: BagCount(ordinal: 1, total: 1),
            extraLabels: [BagInfoLabel("Internal-Sender-Description", "政务服务事项动态调整电子档案（测试）")]
        )
    }

    /// Writes the sample bag to `destination` and returns what was written.
    @discardableResult
    static func write(
        to destination: URL,
        algorithms: [DigestAlgorithm] = [.sha256, .sm3],
        extra: (BagWriter) throws -> Void = { _ in }
    ) throws -> WrittenBag {
        let writer = try BagWriter(destination: destination, algorithms: algorithms)
        for file in files { try writer.addFile(file.path, bytes: file.bytes) }
        var index = 0
        try writer.addFile(streamedPath) { () -> [UInt8]? in
            guard index < streamedChunks else { return nil }
            defer { index += 1 }
            return streamedChunk(index)
        }
        try extra(writer)
        return try writer.finish(info: info())
    }

    static func samplePackage(title: String = "关于变更“建设工程消防验收”事项的调整记录") -> EncapsulationPackage {
        EncapsulationPackage(
            createdAt: "2025-03-14T08:00:00+08:00",
            creatingUnit: sourceOrganization,
            fileEntities: [
                .init(
                    provenance: .init(archivesName: "重庆市黔江区档案馆", fondsName: "黔江区行政服务中心", creatingUnitName: "重庆市黔江区行政服务中心"),
                    recordNumber: "SX-2025-0001-0001",
                    archivalCode: .init(fondsNumber: "Q001", year: "2025", retentionPeriod: "永久", organizationOrIssue: "审改", itemNumber: "0001"),
                    title: title,
                    author: "重庆市黔江区住房和城乡建设委员会",
                    date: "20250314",
                    documents: [
                        .init(identifier: "正文", sequence: "1", encodings: [
                            .init(fileName: "data/事项/调整记录.json", fileSize: 75, format: "JSON",
                                  digests: [.init(algorithm: .sm3, hex: String(repeating: "ab", count: 32))]),
                        ]),
                    ]
                ),
            ],
            businessEntities: [
                .init(businessID: "evt-1", agentID: "agent-1", fileID: "SX-2025-0001-0001", action: "提交申请",
                      actionTime: "2025-03-10T09:00:00+08:00", basis: "《重庆市政务服务管理办法》", description: "区住建委提交变更申请"),
                .init(businessID: "evt-2", agentID: "agent-2", fileID: "SX-2025-0001-0001", action: "审核",
                      actionTime: "2025-03-11T15:30:00+08:00"),
            ],
            agentEntities: [
                .init(agentID: "agent-1", type: "单位", name: "重庆市黔江区住房和城乡建设委员会",
                      code: .unifiedSocialCreditCode("11500114MB1558081X")),
                .init(agentID: "agent-2", type: "个人", name: "张三", position: "审核员"),
            ]
        )
    }
}

extension BagReport {
    /// Ids of the failed checks, for assertion messages.
    var failedIDs: [String] { failures.map(\.id) }
}
