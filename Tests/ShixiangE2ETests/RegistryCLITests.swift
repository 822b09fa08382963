import Foundation
import Testing
import ShixiangJSON
import ShixiangTestSupport

/// The registry commands of the `shixiang` binary against a real daemon: the whole adjustment
/// procedure, the ledger, the catalogue, and the exit codes of refusals and usage errors.
@Suite struct RegistryCLITests {
    func shixiang(_ daemon: DaemonProcess, _ args: [String], stdin: Data? = nil) async throws -> CommandRun {
        try await CommandRun.run(try BuiltProducts.executable("shixiang"), args, environment: ["SHIXIANG_SOCKET": daemon.socketPath], stdin: stdin)
    }

    /// Runs a `--json` command that must succeed and returns its JSON document.
    func json(_ daemon: DaemonProcess, _ args: [String]) async throws -> JSONValue {
        let run = try await shixiang(daemon, args + ["--json"])
        #expect(run.status == 0, "\(args): \(run.stderr)")
        return try JSONValue.parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func theFullProcedureThroughTheCLI() async throws {
        let daemon = try await DaemonProcess()
        let dept = unitCode(1), other = unitCode(2)

        let registered = try await shixiang(daemon, ["unit", "register", "--code", dept, "--name", "区市场监管局", "--kind", "districtDepartment", "--level", "4"])
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(registered.stdout.contains("区市场监管局") && registered.stdout.contains("区级职能部门 (districtDepartment)"))
        let second = try await json(daemon, ["unit", "register", "--code", other, "--name", "区教育局", "--kind", "区级职能部门", "--level", "县级"])
        #expect(second["labels"]?["kind"] == "区级职能部门")

        // Submit with an evidence file: the CLI sends its SHA-256 and size, not the file.
        let changes = daemon.directory.file("add.json")
        _ = FileManager.default.createFile(atPath: changes, contents: Data((["elements": elements] as JSONValue).compactString.utf8))
        let evidence = daemon.directory.file("决定.pdf")
        _ = FileManager.default.createFile(atPath: evidence, contents: Data("abc".utf8))
        let submitted = try await json(daemon, ["adjust", "submit", "--unit", dept, "--list", "catalogue", "--kind", "add",
                                                "--target", "000104002000", "--basis", "《国务院关于取消和下放一批行政许可事项的决定》",
                                                "--reason", "依法调整", "--changes-file", changes, "--evidence", evidence])
        let id = try #require(submitted["id"]?.stringValue)
        #expect(submitted["status"] == "submitted")
        #expect(submitted["evidence"] == [["name": "决定.pdf", "size": 3,
                                           "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]])

        let returned = try await shixiang(daemon, ["adjust", "return", id, "--reason", "请补充文号"])
        #expect(returned.status == 0 && returned.stdout.contains("已退回") && returned.stdout.contains("请补充文号"), "\(returned.stderr)")
        let resubmitted = try await json(daemon, ["adjust", "resubmit", id, "--basis", "国发〔2025〕1号"])
        #expect(resubmitted["status"] == "resubmitted" && resubmitted["basis"] == "国发〔2025〕1号")
        let approved = try await shixiang(daemon, ["adjust", "approve", id])
        #expect(approved.status == 0 && approved.stdout.contains("Approved: \(id)  已审核通过 (approved)"), "\(approved.stderr)")
        let published = try await json(daemon, ["adjust", "publish", id, "--channel", "政务服务平台", "--channel", "区政府网站"])
        #expect(published["publishedChannels"] == ["政务服务平台", "区政府网站"])
        let filing = try await json(daemon, ["file", "submit", "--unit", dept, id, "--form", #"{"remarks": "无"}"#])
        let filingID = try #require(filing["id"]?.stringValue)
        let forwarded = try await shixiang(daemon, ["file", "forward", filingID])
        #expect(forwarded.status == 0 && forwarded.stdout.contains("司法局") && forwarded.stdout.contains("行政服务中心"), "\(forwarded.stderr)")
        let archived = try await json(daemon, ["adjust", "archive", id])
        #expect(archived["history"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ==
                ["submitted", "returned", "resubmitted", "approved", "published", "filed", "forwarded", "archived"])

        let shown = try await shixiang(daemon, ["adjust", "get", id])
        #expect(shown.status == 0 && shown.stdout.contains("已归档 (archived)") && shown.stdout.contains("请补充文号"))
        // As the registry stood before anything was recorded, and as it stands.
        let before = try await shixiang(daemon, ["catalogue", "get", "000104002000", "--as-of", "2000-01-01"])
        #expect(before.status == 1, "\(before.stdout)\(before.stderr)")
        #expect(try await json(daemon, ["catalogue", "get", "000104002000", "--as-of", "2099-01-01"])["code"] == "000104002000")
        let noLedger = try await shixiang(daemon, ["ledger", dept, "--as-of", "2000-01-01"])
        #expect(noLedger.status == 1 && noLedger.stderr.contains(dept), "\(noLedger.stdout)\(noLedger.stderr)")
        #expect(try await json(daemon, ["ledger", dept, "--as-of", "2099-01-01"])["adjustments"]?.arrayValue?.count == 1)
        #expect(shown.stdout.contains("\"name\": \"食品经营许可\""))  // the changes, pretty-printed

        // The unit claims the item: an implementation entry in its ledger.
        let claim = try await json(daemon, ["adjust", "submit", "--unit", dept, "--list", "implementation", "--kind", "claim",
                                            "--target", "000104002000", "--basis", "依法认领", "--reason", "认领",
                                            "--changes", (["fields": fields] as JSONValue).compactString])
        let claimID = try #require(claim["id"]?.stringValue)
        #expect(try await shixiang(daemon, ["adjust", "approve", claimID]).status == 0)

        let ledger = try await shixiang(daemon, ["ledger", dept])
        #expect(ledger.status == 0, "\(ledger.stderr)")
        #expect(ledger.stdout.contains("台账 区市场监管局"))
        #expect(ledger.stdout.contains("\(dept)4000104002000") && ledger.stdout.contains("食品经营许可"))
        let archivedRow = try #require(ledger.stdout.split(separator: "\n").first { $0.contains(id) && $0.contains("已归档") })
        #expect(archivedRow.matches(of: /\d{4}-\d{2}-\d{2}/).count == 6, "\(archivedRow)")  // submitted … archived
        let ledgerJSON = try await json(daemon, ["ledger", dept])
        #expect(ledgerJSON["entries"]?.arrayValue?.count == 1 && ledgerJSON["adjustments"]?.arrayValue?.count == 2)

        let listed = try await json(daemon, ["adjust", "list", "--unit", dept])
        #expect(listed.arrayValue?.compactMap { $0["id"]?.stringValue } == [id, claimID])
        let entries = try await json(daemon, ["entries", "list", "--code", "000104002000"])
        #expect(entries.arrayValue?.count == 1)

        // The catalogue as it stands.
        let item = try await shixiang(daemon, ["catalogue", "get", "000104002000"])
        #expect(item.status == 0 && item.stdout.contains("食品经营许可") && item.stdout.contains("在用 (inUse)"))
        let items = try await json(daemon, ["catalogue", "list", "--text", "食品"])
        #expect(items.arrayValue?.compactMap { $0["code"]?.stringValue } == ["000104002000"])
        let table = try await shixiang(daemon, ["catalogue", "list"])
        #expect(table.stdout.contains("000104002000  食品经营许可  行政许可  在用"))
        let history = try await json(daemon, ["catalogue", "history", "000104002000"])
        #expect(history.arrayValue?.map { $0["type"] } == ["catalogue.itemAdded.v1"])

        // Refusals by the daemon: exit 1 with its message; wrong usage: exit 64.
        let again = try await shixiang(daemon, ["adjust", "approve", id])
        #expect(again.status == 1 && again.stderr.contains("Cannot approve"), "\(again.stderr)")
        let unknown = try await shixiang(daemon, ["unit", "get", unitCode(9)])
        #expect(unknown.status == 1 && unknown.stderr.contains("No unit"))
        let badKind = try await shixiang(daemon, ["adjust", "submit", "--unit", dept, "--list", "catalogue", "--kind", "claim",
                                                  "--target", "000104002000", "--basis", "b", "--reason", "r"])
        #expect(badKind.status == 64 && badKind.stderr.contains("--kind"))
        let noChannel = try await shixiang(daemon, ["adjust", "publish", claimID])
        #expect(noChannel.status == 64 && noChannel.stderr.contains("--channel"))
        let raw = try await shixiang(daemon, ["call", "unit.get", #"{"code": "\#(other)"}"#, "--json"])
        #expect(try JSONValue.parse(raw.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["name"] == "区教育局")
    }

    @Test func tablesAlignChineseText() async throws {
        let daemon = try await DaemonProcess()
        #expect(try await shixiang(daemon, ["unit", "register", "--code", unitCode(1), "--name", "局", "--kind", "other", "--level", "4"]).status == 0)
        #expect(try await shixiang(daemon, ["unit", "register", "--code", unitCode(2), "--name", "区市场监督管理局", "--kind", "other", "--level", "4"]).status == 0)
        let list = try await shixiang(daemon, ["unit", "list"])
        let lines = list.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(list.stdout)")
        // The kind column starts at the same display column on every line (CJK characters count 2).
        func width(_ s: Substring) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }
        let starts = [lines[0], lines[2], lines[3]].map { line -> Int in
            guard let r = line.range(of: line == lines[0] ? "类别" : "其他") else { return -1 }
            return width(line[..<r.lowerBound])
        }
        #expect(Set(starts).count == 1, "\(starts)\n\(list.stdout)")
    }
}
