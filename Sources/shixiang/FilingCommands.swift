import ArgumentParser
import ShixiangJSON

/// `shixiang file …`: written filings (书面备案) with the reform office and their forwarding (抄送).
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "File published adjustments with the reform office and forward filings.",
        subcommands: [Submit.self, Forward.self, Get.self, List.self])

    static let recipients = ["justiceBureau", "serviceCentre"]

    /// Several lines describing a filing.
    static func describe(_ f: JSONValue) -> String {
        var kv = KeyValues()
        kv.add("单位 unit", f["unit"]?.stringValue)
        kv.add("调整 adjustments", (f["adjustments"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "))
        kv.add("备案 filed", Format.minute(f["submittedAt"]))
        if let at = f["forwardedAt"], !at.isNull {
            let to = (f["forwardedTo"]?.arrayValue ?? []).compactMap(\.stringValue).map(recipientLabel).joined(separator: ", ")
            kv.add("转送 forwarded", "\(Format.minute(at)) to \(to)")
        } else {
            kv.add("转送 forwarded", "not yet")
        }
        if let form = f["form"], form.objectValue?.isEmpty == false { kv.add("备案表 form", form.prettyString()) }
        return "\(f["id"]?.stringValue ?? "")\n\(kv.render())"
    }

    static func recipientLabel(_ code: String) -> String {
        switch code {
        case "justiceBureau": "司法局 (justiceBureau)"
        case "serviceCentre": "行政服务中心 (serviceCentre)"
        default: code
        }
    }

    static func show(_ f: JSONValue, _ global: GlobalOptions, headline: String? = nil) {
        if global.json { return global.printJSON(f) }
        if let headline { print(headline) }
        print(describe(f))
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File one adjustment, or several as one batch detail table (明细表).",
            discussion: "The filing unit is each adjustment's filer: the submitting unit, or a township's guiding department.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "The filing unit's credit code.") var unit: String
        @Argument(help: "The published adjustments to file, e.g. adj-3 adj-7.") var ids: [String] = []
        @Option(name: .long, help: "The filing form's fields (备案表), a JSON object, e.g. '{\"remarks\": \"无\"}'.") var form: String?

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("Give at least one adjustment id to file.") }
            guard Set(ids).count == ids.count else { throw ValidationError("An adjustment id is given twice.") }
            if let form {
                guard case .object = try form.parsedJSON(option: "--form") else { throw ValidationError("--form must be a JSON object.") }
            }
        }

        func run() throws {
            var params: [String: JSONValue] = ["unit": .string(unit), "adjustments": .array(ids.map(JSONValue.string))]
            if let form { params["form"] = try form.parsedJSON(option: "--form") }
            let f = try global.withClient { try $0.call("filing.submit", .object(params)) }
            FileCommand.show(f, global, headline: "Filed:")
        }
    }

    struct Forward: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forward a filing to the justice bureau and/or the service centre (default both).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The filing's id, e.g. fil-12.") var id: String
        @Option(name: .long, help: "justiceBureau or serviceCentre (repeat for both; default both).") var to: [String] = []

        func validate() throws {
            for r in to { try Check.oneOf(r, FileCommand.recipients, "--to") }
        }

        func run() throws {
            var params: [String: JSONValue] = ["id": .string(id)]
            if !to.isEmpty { params["to"] = .array(to.map(JSONValue.string)) }
            let f = try global.withClient { try $0.call("filing.forward", .object(params)) }
            FileCommand.show(f, global, headline: "Forwarded:")
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one filing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The filing's id.") var id: String

        func run() throws {
            let f = try global.withClient { try $0.call("filing.get", ["id": .string(id)]) }
            FileCommand.show(f, global)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List filings, optionally of one unit.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this unit's filings.") var unit: String?

        func run() throws {
            var params: [String: JSONValue] = [:]
            if let unit { params["unit"] = .string(unit) }
            let list = try global.withClient { try $0.call("filing.list", .object(params)) }.arrayValue ?? []
            global.printList(list) {
                var t = Table(["编号", "单位", "调整", "备案日期", "转送日期"])
                for f in list {
                    t.add([f["id"]?.stringValue ?? "", f["unit"]?.stringValue ?? "",
                           (f["adjustments"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "),
                           Format.day(f["submittedAt"]), Format.day(f["forwardedAt"])])
                }
                t.print(orIfEmpty: "No filings.")
            }
        }
    }
}
