import Foundation
import Registry
import RegistryArchive
import ShixiangArchive
import ShixiangJSON
import ShixiangRPC

extension ExportError: RPCErrorConvertible {
    public var rpcError: RPCError { RPCError(code: RPCErrorCode.ruleViolation, message: description, data: ["field": "fromSeq"]) }
}

/// `archive.*`: electronic records out of the log, and their four-property check.
enum ArchiveMethods {
    struct ExportParams: RPCParams {
        static let fields: Set<String> = ["fromSeq", "sinceLast", "out", "organization"]
        var fromSeq: UInt64?
        var sinceLast: Bool?
        var directory: String
        var organization: String?

        enum CodingKeys: String, CodingKey {
            case fromSeq, sinceLast, directory = "out", organization
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            fromSeq = try c.decodeIfPresent(UInt64.self, forKey: .fromSeq)
            sinceLast = try c.decodeIfPresent(Bool.self, forKey: .sinceLast)
            directory = try c.decode(String.self, forKey: .directory)
            organization = try c.decodeIfPresent(String.self, forKey: .organization)
        }
    }

    struct VerifyParams: RPCParams {
        static let fields: Set<String> = ["path", "previous"]
        var path: String, previous: String?
    }

    static func register(into table: inout MethodTable, registry: Registry) {
        table.register("archive.export", ExportParams.self,
                       summary: "Write a range of the log (from fromSeq, or since the last export) as a BagIt bag of electronic records in the daemon's directory out.") { p, context in
            guard p.directory.hasPrefix("/") else { throw RPCError.invalidParams("out", "give an absolute directory on the daemon's machine") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p.directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw RPCError.invalidParams("out", "\(p.directory) is not an existing directory")
            }
            if p.fromSeq != nil && p.sinceLast == true { throw RPCError.invalidParams("fromSeq", "give fromSeq or sinceLast, not both") }
            let reporter = ProgressForwarder(context: context, method: "archive.progress")
            let report: ExportReport
            do {
                report = try await ArchiveExport.export(registry: registry, fromSeq: p.fromSeq, sinceLast: p.sinceLast ?? (p.fromSeq == nil),
                                                        into: URL(fileURLWithPath: p.directory), organization: p.organization ?? "政务服务事项登记",
                                                        actor: context.actor) { done, total in reporter.offer(done: done, total: total) }
            } catch {
                await reporter.drain()
                throw error
            }
            await reporter.drain()
            return ["bag": .string(report.bag), "path": .string(p.directory + "/" + report.bag), "fromSeq": .int(Int64(report.fromSeq)),
                    "toSeq": .int(Int64(report.toSeq)), "events": .int(Int64(report.events)), "cases": .int(Int64(report.cases)),
                    "payloadBytes": .int(Int64(report.payloadBytes)), "seconds": .double((report.seconds * 1000).rounded() / 1000)]
        }
        table.register("archive.verify", VerifyParams.self,
                       summary: "Check a bag after DA/T 70 (authenticity, integrity, usability, security), including its chain against this log and the previous bag.") { p, _ in
            let report = ArchiveVerify.verify(at: URL(fileURLWithPath: p.path), log: registry.store,
                                              previous: p.previous.map { URL(fileURLWithPath: $0) })
            return reportJSON(report)
        }
    }

    static func reportJSON(_ report: BagReport) -> JSONValue {
        ["path": .string(report.bagPath), "passed": .bool(report.passed),
         "checks": .array(report.checks.map { c in
             ["id": .string(c.id), "property": .string(c.property.rawValue), "passed": .bool(c.passed), "message": .string(c.message)]
         })]
    }
}
