import Foundation
import Testing
import EventLog
import Registry
import ShixiangArchive
import ShixiangJSON
import ShixiangTestSupport
@testable import RegistryArchive

@Suite struct ArchiveExportTests {
    /// A registry with a complete adjustment case and a claim.
    func registry(_ dir: TemporaryDirectory) async throws -> Registry {
        let store = try EventStore(directory: try dir.subdirectory("log"))
        let r = try Registry(store: store)
        let unit = RegistryFixtures.creditCode(1)
        _ = try await r.registerUnit(code: unit, name: "区市场监管局", kind: "districtDepartment", level: "4", guidingUnit: nil, actor: .null)
        func proposal(_ list: AdjustmentList, _ kind: String, _ target: String, _ changes: JSONValue) -> AdjustmentProposal {
            AdjustmentProposal(unit: unit, list: list, kind: kind, target: target, changes: changes, basis: "《决定》", reason: "调整",
                               evidence: [Evidence(name: "a.pdf", sha256: String(repeating: "ab", count: 32), size: 1)])
        }
        var a = try await r.submit(proposal(.catalogue, "add", "000104002000", ["elements": RegistryFixtures.catalogueElements()]), actor: .null)
        a = try await r.returnAdjustment(id: a.id, reason: "补充<依据>&文号", actor: .null)
        a = try await r.resubmit(id: a.id, changes: nil, basis: nil, reason: nil, evidence: nil, effectiveAt: nil, actor: .null)
        a = try await r.approve(id: a.id, actor: .null)
        a = try await r.publish(id: a.id, channels: ["平台"], actor: .null)
        let f = try await r.file(unit: unit, adjustments: [a.id], form: [:], actor: .null)
        _ = try await r.forwardFiling(id: f.id, to: [], actor: .null)
        _ = try await r.archive(id: a.id, actor: .null)
        let claim = try await r.submit(proposal(.implementation, "claim", "000104002000", ["fields": RegistryFixtures.implementationFields()]), actor: .null)
        _ = try await r.approve(id: claim.id, actor: .null)
        return r
    }

    @Test func anExportIsAValidBagWhoseChainLinksToTheLog() async throws {
        let dir = try TemporaryDirectory("arc")
        let r = try await registry(dir)
        let out = URL(fileURLWithPath: try dir.subdirectory("bags"))
        let head = r.store.head.seq
        let report = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "广安区行政审批局")
        #expect(report.fromSeq == 1 && report.toSeq == head)
        #expect(report.cases == 2 && report.events == Int(head))
        #expect(r.store.head.seq == head + 1)  // the watermark
        let bag = out.appendingPathComponent(report.bag)
        let result = ArchiveVerify.verify(at: bag, log: r.store)
        #expect(result.passed, "\(result.text)")
        for id in ["chain.events", "chain.range", "chain.metadata", "chain.log", "payload.digests.sm3", "payload.xml-well-formed"] {
            #expect(result.result(id)?.passed == true, "\(id): \(result.result(id)?.message ?? "not run")")
        }
        // The first case (submitted at seq 2) holds each step of the procedure as a 业务实体.
        let xml = try String(contentsOf: bag.appendingPathComponent("data/cases/adj-2.xml"), encoding: .utf8)
        for step in ["电子文件封装包", "业务实体块", "提交申请", "审核退回", "重新提交", "审核通过", "公布", "书面备案", "抄送", "整理归档"] {
            #expect(xml.contains(step), "\(step) missing from the case record")
        }
        // An independent SM3 implementation (Python gmssl) agrees with every line of manifest-sm3.txt.
        let sm3 = try await CommandRun.run("/usr/bin/env", ["python3", "-c", """
            import sys, os
            from gmssl import sm3, func
            root = sys.argv[1]
            bad = 0
            for line in open(os.path.join(root, "manifest-sm3.txt"), encoding="utf-8"):
                digest, path = line.split(None, 1)
                path = path.strip()
                data = open(os.path.join(root, path), "rb").read()
                if sm3.sm3_hash(func.bytes_to_list(data)) != digest: bad += 1
            print("sm3 files:", len(open(os.path.join(root, "manifest-sm3.txt"), encoding="utf-8").readlines()), "mismatches:", bad)
            sys.exit(1 if bad else 0)
            """, bag.path])
        #expect(sm3.status == 0 && sm3.stdout.contains("mismatches: 0") && !sm3.stdout.contains("sm3 files: 0 "), "pip install gmssl: \(sm3.stdout)\(sm3.stderr)")
        // The Library of Congress validator accepts the bag.
        let python = try await CommandRun.run("/usr/bin/env", ["python3", "-c", "import bagit, sys; bagit.Bag(sys.argv[1]).validate(); print('valid')", bag.path])
        #expect(python.status == 0 && python.stdout.contains("valid"), "pip install bagit: \(python.stderr)")
    }

    @Test func sinceLastContinuesWithNoGapAndNoOverlap() async throws {
        let dir = try TemporaryDirectory("arc")
        let r = try await registry(dir)
        let out = URL(fileURLWithPath: try dir.subdirectory("bags"))
        let first = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "区")
        // The watermark itself is an event; the next export starts right after the first one's range.
        _ = try await r.zeroReport(unit: RegistryFixtures.creditCode(1), category: "publicService", note: "", actor: .null)
        let second = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "区")
        #expect(second.fromSeq == first.toSeq + 1)
        #expect(second.toSeq == r.store.head.seq - 1)
        #expect(ArchiveVerify.verify(at: out.appendingPathComponent(second.bag), log: r.store).passed)
        // The second bag's chain starts where the first one's ended.
        let firstInfo = try String(contentsOf: out.appendingPathComponent(first.bag).appendingPathComponent("bag-info.txt"), encoding: .utf8)
        let secondInfo = try String(contentsOf: out.appendingPathComponent(second.bag).appendingPathComponent("bag-info.txt"), encoding: .utf8)
        let last = try #require(firstInfo.split(separator: "\n").first { $0.hasPrefix("Shixiang-Last-Hash:") }?.split(separator: " ").last)
        #expect(secondInfo.contains("Shixiang-Prev-Hash: \(last)"))
        _ = try await r.zeroReport(unit: RegistryFixtures.creditCode(1), category: "administrativePower", note: "", actor: .null)
        let third = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "区")
        #expect(third.fromSeq == second.toSeq + 1)
        // Offline, each bag continues the one before it; a bag does not continue one it skipped.
        let continues = ArchiveVerify.verify(at: out.appendingPathComponent(second.bag), previous: out.appendingPathComponent(first.bag))
        #expect(continues.result("chain.previousBag")?.passed == true, "\(continues.text)")
        let skipped = ArchiveVerify.verify(at: out.appendingPathComponent(third.bag), previous: out.appendingPathComponent(first.bag))
        #expect(skipped.result("chain.previousBag")?.passed == false)
    }

    @Test func aBagFinishedButNotRecordedIsAdoptedByTheNextExport() async throws {
        let dir = try TemporaryDirectory("arc")
        let r = try await registry(dir)
        let out = URL(fileURLWithPath: try dir.subdirectory("bags"))
        // The export stops after the bag is complete and before its watermark is recorded.
        let orphan = try await ArchiveExport.export(registry: r, fromSeq: 1, sinceLast: false, into: out, organization: "区", recordWatermark: false)
        #expect(try ArchiveExport.lastWatermark(r.store) == nil)
        _ = try await r.zeroReport(unit: RegistryFixtures.creditCode(1), category: "publicService", note: "", actor: .null)
        let next = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "区")
        #expect(next.fromSeq == orphan.toSeq + 1)  // no overlap with the adopted bag, no gap
        let watermarks = try r.store.events(stream: ArchiveExport.watermarkStream)
        #expect(watermarks.compactMap { $0.data["bag"]?.stringValue } == [orphan.bag, next.bag])
        #expect(ArchiveVerify.verify(at: out.appendingPathComponent(next.bag), log: r.store, previous: out.appendingPathComponent(orphan.bag)).passed)
    }

    @Test func damageIsCaught() async throws {
        let dir = try TemporaryDirectory("arc")
        let r = try await registry(dir)
        let out = URL(fileURLWithPath: try dir.subdirectory("bags"))
        let report = try await ArchiveExport.export(registry: r, fromSeq: nil, sinceLast: true, into: out, organization: "区")
        let bag = out.appendingPathComponent(report.bag)
        let fm = FileManager.default

        // A changed byte in the events.
        let events = bag.appendingPathComponent("data/events.jsonl")
        var bytes = try Data(contentsOf: events)
        let original = bytes
        let at = try #require(bytes.lastIndex(of: UInt8(ascii: "1")))
        bytes[at] = UInt8(ascii: "2")
        try bytes.write(to: events)
        var result = ArchiveVerify.verify(at: bag, log: r.store)
        #expect(!result.passed)
        #expect(result.result("payload.digests.sha256")?.passed == false)
        #expect(result.result("chain.events")?.passed == false)
        try original.write(to: events)
        #expect(ArchiveVerify.verify(at: bag, log: r.store).passed)

        // A removed file, then an added one.
        let xml = bag.appendingPathComponent("data/cases/adj-2.xml")
        let saved = try Data(contentsOf: xml)
        try fm.removeItem(at: xml)
        result = ArchiveVerify.verify(at: bag, log: r.store)
        #expect(result.result("payload.present")?.passed == false)
        try saved.write(to: xml)
        try Data("extra".utf8).write(to: bag.appendingPathComponent("data/extra.txt"))
        result = ArchiveVerify.verify(at: bag, log: r.store)
        #expect(result.result("payload.listed")?.passed == false)
        try fm.removeItem(at: bag.appendingPathComponent("data/extra.txt"))
        #expect(ArchiveVerify.verify(at: bag, log: r.store).passed)

        // A bag whose chain proof does not link to the log it is checked against.
        let otherDir = try TemporaryDirectory("arc2")
        let other = try await registry(otherDir)
        result = ArchiveVerify.verify(at: bag, log: other.store)
        #expect(result.result("chain.log")?.passed == false)
    }
}
