import ArgumentParser
import ShixiangJSON

/// `shixiang ledger UNIT`: a unit's working ledger (台账).
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Show a unit's ledger (台账): the unit, its implementation entries, every adjustment with its dates.",
        discussion: "Dates are in China Standard Time (UTC+8), YYYY-MM-DD. --json prints the daemon's ledger object.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The unit's credit code.") var unit: String
    @Option(name: .customLong("as-of"), help: "The ledger as it stood at this moment (RFC 3339 or YYYY-MM-DD).") var asOf: String?

    /// The procedure's dated steps, as ledger columns.
    static let steps: [(status: String, title: String)] = [
        ("submitted", "提交"), ("approved", "审核通过"), ("published", "公布"), ("filed", "备案"), ("forwarded", "转送"), ("archived", "归档"),
    ]

    func run() throws {
        var params: [String: JSONValue] = ["unit": .string(unit)]
        if let asOf { params["asOf"] = .string(asOf) }
        let ledger = try global.withClient { try $0.call("ledger.get", .object(params)) }
        if global.json { return global.printJSON(ledger) }
        print(Self.render(ledger))
    }

    /// The ledger as text: header, entries table, adjustments table.
    static func render(_ ledger: JSONValue) -> String {
        let u = ledger["unit"] ?? [:]
        var kv = KeyValues()
        kv.add("统一社会信用代码", u["code"]?.stringValue)
        kv.add("类别 kind", Format.labelled(u, "kind"))
        kv.add("层级 level", Format.labelled(u, "level"))
        kv.add("指导单位 guiding unit", u["guidingUnit"]?.stringValue)
        if u["dissolved"]?.boolValue == true { kv.add("状态 status", "已撤销 dissolved") }
        let zero = ledger["zeroReports"]?.arrayValue ?? u["zeroReports"]?.arrayValue ?? []
        kv.add("零报告 zero reports", zero.isEmpty ? "none" : zero.map { z in
            let note = z["note"]?.stringValue ?? ""
            return "\(z["category"]?.stringValue ?? "") \(Format.day(z["at"]))\(note.isEmpty ? "" : " \(note)")"
        }.joined(separator: "\n"))

        var names: [String: String] = [:]
        for item in ledger["items"]?.arrayValue ?? [] {
            if let code = item["code"]?.stringValue { names[code] = item["elements"]?["name"]?.stringValue }
        }
        let entries = ledger["entries"]?.arrayValue ?? []
        var entryTable = Table(["实施编码", "事项名称", "状态"])
        for e in entries {
            let name = e["fields"]?["name"]?.stringValue ?? e["basicCode"]?.stringValue.flatMap { names[$0] } ?? ""
            entryTable.add([e["code"]?.stringValue ?? "", name, Format.label(e, "status")])
        }

        let adjustments = ledger["adjustments"]?.arrayValue ?? []
        var adjustmentTable = Table(["编号", "调整类型", "调整对象", "状态"] + steps.map(\.title))
        for a in adjustments {
            adjustmentTable.add([a["id"]?.stringValue ?? "", AdjustView.kindLabel(a), a["target"]?.stringValue ?? "", Format.label(a, "status")]
                                + steps.map { Format.day(AdjustView.date(a, $0.status)) })
        }

        return """
            台账 \(u["name"]?.stringValue ?? "")
            \(kv.render())

            实施清单 (\(entries.count) \(entries.count == 1 ? "entry" : "entries"))
            \(entries.isEmpty ? "  none" : AdjustView.indent(entryTable.render()))

            动态调整 (\(adjustments.count) adjustment\(adjustments.count == 1 ? "" : "s"))
            \(adjustments.isEmpty ? "  none" : AdjustView.indent(adjustmentTable.render()))
            """
    }
}
