import ArgumentParser
import Foundation
import ShixiangJSON
import ShixiangRPC

/// `shixiang import catalogue|implementation FILE.csv`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a spreadsheet (UTF-8 CSV with the seed annexes' headers) in the registry.",
        discussion: """
            catalogue: 基本编码 then the directory elements of seed 001 Annex 3 (plus 状态, 权力来源, 不公开依据). \
            implementation: 实施机构统一社会信用代码, 基本编码, 实施编码 (checked, optional) then the fields of Annex 4. \
            The whole file is recorded in one commit with its SHA-256, or nothing is: every bad row is listed by line and column.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "catalogue or implementation.")
    var list: String

    @Argument(help: "The CSV file.")
    var file: String

    func validate() throws {
        guard list == "catalogue" || list == "implementation" else { throw ValidationError("Import catalogue or implementation, not \(list).") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(file) is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.")
        }
        let name = (file as NSString).lastPathComponent
        let result: JSONValue
        do {
            result = try RegistryClientRun.call(global, "\(list).import", ["fileName": .string(name), "content": .string(text)])
        } catch let failure as RejectedFile {
            Output.error("\(file) was not imported; nothing was recorded. Problems:")
            for p in failure.problems.prefix(200) {
                let column = p["column"]?.stringValue.map { ", \($0)" } ?? ""
                FileHandle.standardError.write(Data("  line \(p["line"]?.intValue ?? 0)\(column): \(p["message"]?.stringValue ?? "")\n".utf8))
            }
            if failure.problems.count > 200 { FileHandle.standardError.write(Data("  … and \(failure.problems.count - 200) more\n".utf8)) }
            throw ExitCode(1)
        }
        if global.json { return global.printJSON(result) }
        print("Imported \(result["rows"]?.intValue ?? 0) rows of \(name) (SHA-256 \(result["sha256"]?.stringValue ?? "")) as events \(result["firstSeq"]?.intValue ?? 0)–\(result["lastSeq"]?.intValue ?? 0).")
        for w in result["warnings"]?.arrayValue ?? [] {
            print("  warning, line \(w["line"]?.intValue ?? 0): \(w["message"]?.stringValue ?? "")")
        }
    }
}

/// `shixiang export catalogue|implementation|ledger|filing …`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a list as a spreadsheet (UTF-8 CSV with BOM, the seed annexes' headers): catalogue, implementation, ledger UNIT, filing ID.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "catalogue, implementation, ledger or filing.")
    var what: String

    @Argument(help: "The unit (implementation: optional; ledger: required) or the filing id.")
    var key: String?

    @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
    var output: String?

    func validate() throws {
        guard ["catalogue", "implementation", "ledger", "filing"].contains(what) else {
            throw ValidationError("Export catalogue, implementation, ledger or filing, not \(what).")
        }
        if (what == "ledger" || what == "filing") && key == nil { throw ValidationError("export \(what) needs the \(what == "ledger" ? "unit's credit code" : "filing id").") }
    }

    func run() throws {
        let (method, params): (String, JSONValue) = switch what {
        case "catalogue": ("catalogue.export", [:])
        case "implementation": ("implementation.export", key.map { ["unit": .string($0)] } ?? [:])
        case "ledger": ("ledger.export", ["unit": .string(key ?? "")])
        default: ("filing.export", ["id": .string(key ?? "")])
        }
        let result = try global.withClient { try $0.call(method, params) }
        let content = result["content"]?.stringValue ?? ""
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(content.utf8)) else {
                throw ValidationError("Cannot write \(output).")
            }
            let rows = max(content.split(separator: "\r\n", omittingEmptySubsequences: true).count - 1, 0)
            print("Wrote \(output): \(rows) row\(rows == 1 ? "" : "s").")
        } else {
            FileHandle.standardOutput.write(Data(content.utf8))
        }
    }
}

/// A file the daemon refused, with its problems.
struct RejectedFile: Error {
    var problems: [JSONValue]
}

/// Calls that turn a rejected import into ``RejectedFile`` and every other failure into the usual exit codes.
enum RegistryClientRun {
    static func call(_ global: GlobalOptions, _ method: String, _ params: JSONValue) throws -> JSONValue {
        var rejected: [JSONValue]?
        let result: JSONValue? = try global.withClient { client in
            do {
                return try client.call(method, params)
            } catch let error as RPCError where error.data?["problems"] != nil {
                rejected = error.data?["problems"]?.arrayValue ?? []
                return nil
            }
        }
        if let rejected { throw RejectedFile(problems: rejected) }
        return result ?? .null
    }
}
