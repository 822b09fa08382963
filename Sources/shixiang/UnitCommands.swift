import ArgumentParser
import ShixiangJSON

/// `shixiang unit …`: the units (实施机构 / 单位) that implement items, file and review adjustments.
struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: "Register, rename, dissolve and list units; record zero reports.",
        subcommands: [Register.self, Get.self, List.self, Rename.self, Dissolve.self, ZeroReport.self])

    /// The unit kinds the registry knows: codes, then their Chinese labels (either is accepted).
    static let kinds = ["districtDepartment", "township", "reformOffice", "justiceBureau", "serviceCentre", "other"]
    static let kindLabels = ["区级职能部门", "乡镇（街道）", "审改办", "司法局", "行政服务中心", "其他"]

    /// Several lines describing a unit.
    static func describe(_ u: JSONValue) -> String {
        var kv = KeyValues()
        kv.add("统一社会信用代码", u["code"]?.stringValue)
        kv.add("类别 kind", Format.labelled(u, "kind"))
        kv.add("层级 level", Format.labelled(u, "level"))
        kv.add("指导单位 guiding unit", u["guidingUnit"]?.stringValue)
        kv.add("登记 registered", Format.minute(u["registeredAt"]))
        if u["checkDigitValid"]?.boolValue == false { kv.add("注意 note", "the credit code fails the GB 32100 check digit") }
        if u["dissolved"]?.boolValue == true { kv.add("状态 status", "已撤销 dissolved") }
        for z in u["zeroReports"]?.arrayValue ?? [] {
            let note = z["note"]?.stringValue ?? ""
            kv.add("零报告 zero report", "\(z["category"]?.stringValue ?? "") on \(Format.day(z["at"]))\(note.isEmpty ? "" : ": \(note)")")
        }
        return "\(u["name"]?.stringValue ?? "")\n\(kv.render())"
    }

    /// Prints one unit record as JSON or text, after `headline` in text.
    static func show(_ u: JSONValue, _ global: GlobalOptions, headline: String? = nil) {
        if global.json { return global.printJSON(u) }
        if let headline { print(headline) }
        print(describe(u))
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a unit by its unified social credit code.",
            discussion: """
                --kind: districtDepartment (区级职能部门), township (乡镇（街道）), reformOffice (审改办), \
                justiceBureau (司法局), serviceCentre (行政服务中心) or other (其他). --level: the exercise \
                level code 1–7 or its label (e.g. 4 or 县级). A township names its guiding district department.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "The unified social credit code (18 characters).") var code: String
        @Option(name: .long, help: "The unit's name.") var name: String
        @Option(name: .long, help: "The kind of unit (code or label).") var kind: String
        @Option(name: .long, help: "The exercise level (1–7 or label).") var level: String
        @Option(name: .long, help: "For a township: the credit code of its guiding district department.") var guidingUnit: String?

        func validate() throws {
            guard code.count == 18 else { throw ValidationError("--code must be an 18-character unified social credit code (got \(code.count) characters).") }
            try Check.notBlank(name, "--name")
            try Check.notBlank(level, "--level")
            try Check.oneOf(kind, UnitCommand.kinds + UnitCommand.kindLabels, "--kind")
        }

        func run() throws {
            var params: [String: JSONValue] = ["code": .string(code), "name": .string(name), "kind": .string(kind), "level": .string(level)]
            if let guidingUnit { params["guidingUnit"] = .string(guidingUnit) }
            let u = try global.withClient { try $0.call("unit.register", .object(params)) }
            UnitCommand.show(u, global, headline: "Registered:")
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one unit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The unit's credit code.") var code: String

        func run() throws {
            let u = try global.withClient { try $0.call("unit.get", ["code": .string(code)]) }
            UnitCommand.show(u, global)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the units, optionally of one kind.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only units of this kind (a code such as districtDepartment).") var kind: String?

        func validate() throws { try Check.oneOf(kind, UnitCommand.kinds, "--kind") }

        func run() throws {
            var params: [String: JSONValue] = [:]
            if let kind { params["kind"] = .string(kind) }
            let units = try global.withClient { try $0.call("unit.list", .object(params)) }.arrayValue ?? []
            global.printList(units) {
                var t = Table(["统一社会信用代码", "名称", "类别", "层级", "状态"])
                for u in units {
                    t.add([u["code"]?.stringValue ?? "", u["name"]?.stringValue ?? "", Format.label(u, "kind"), Format.label(u, "level"),
                           u["dissolved"]?.boolValue == true ? "已撤销" : "在册"])
                }
                t.print(orIfEmpty: "No units.")
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a unit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The unit's credit code.") var code: String
        @Option(name: .long, help: "The new name.") var name: String

        func validate() throws { try Check.notBlank(name, "--name") }

        func run() throws {
            let u = try global.withClient { try $0.call("unit.rename", ["code": .string(code), "name": .string(name)]) }
            UnitCommand.show(u, global, headline: "Renamed:")
        }
    }

    struct Dissolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a unit was dissolved (its record stays, marked dissolved).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The unit's credit code.") var code: String
        @Option(name: .long, help: "Why, e.g. the institutional-reform document.") var reason: String

        func validate() throws { try Check.notBlank(reason, "--reason") }

        func run() throws {
            let u = try global.withClient { try $0.call("unit.dissolve", ["code": .string(code), "reason": .string(reason)]) }
            UnitCommand.show(u, global, headline: "Dissolved:")
        }
    }

    struct ZeroReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zero-report",
            abstract: "Record a zero report (零报告): the unit has no items of a category.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The unit's credit code.") var code: String
        @Option(name: .long, help: "publicService (default) or administrativePower.") var category: String = "publicService"
        @Option(name: .long, help: "A note to keep with the report.") var note: String?

        func validate() throws { try Check.oneOf(category, ["publicService", "administrativePower"], "--category") }

        func run() throws {
            var params: [String: JSONValue] = ["unit": .string(code), "category": .string(category)]
            if let note { params["note"] = .string(note) }
            let u = try global.withClient { try $0.call("unit.zeroReport", .object(params)) }
            UnitCommand.show(u, global, headline: "Zero report recorded:")
        }
    }
}
