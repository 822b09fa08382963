import ArgumentParser
import Foundation
import ShixiangJSON

/// `shixiang deadlines ID`: an adjustment's time limits in working days.
struct DeadlinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deadlines",
        abstract: "An adjustment's time limits in working days: the rule, the deadline, when it was met, and whether in time.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The adjustment id, e.g. adj-12.")
    var id: String

    func run() throws {
        let r = try global.withClient { try $0.call("adjustment.deadlines", ["id": .string(id)]) }
        if global.json { return global.printJSON(r) }
        var table = Table(["时限 rule", "起算日 from", "工作日 days", "截止 deadline", "完成 met", "状态 status", "依据 source"])
        for o in r.arrayValue ?? [] { table.add(ObligationRow.cells(o)) }
        table.print(orIfEmpty: "No time limits apply yet.")
    }
}

/// `shixiang overdue [--as-of D] [--unit U]`: supervision's list of what is late.
struct OverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdue",
        abstract: "Every obligation due and not met as of a moment (default now), with working days late and the rule (督促整改).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as-of"), help: "The moment to judge at (RFC 3339 or YYYY-MM-DD; default now).")
    var asOf: String?

    @Option(help: "Only this unit's adjustments.")
    var unit: String?

    func run() throws {
        var params: [String: JSONValue] = [:]
        if let asOf { params["asOf"] = .string(asOf) }
        if let unit { params["unit"] = .string(unit) }
        let r = try global.withClient { try $0.call("supervision.overdue", .object(params)) }
        if global.json { return global.printJSON(r) }
        print("As of \(r["asOf"]?.stringValue ?? "?") (calendar \(r["calendarVersion"]?.stringValue ?? "?")):")
        var table = Table(["调整 adjustment", "单位 unit", "时限 rule", "截止 deadline", "逾期 late", "依据 source"])
        for o in r["overdue"]?.arrayValue ?? [] {
            let late: String = o["workingDaysLate"]?.intValue.map { "\($0) 个工作日" } ?? "?"
            let cells: [String] = [o["adjustment"]?.stringValue ?? "", o["unit"]?.stringValue ?? "", o["rule"]?.stringValue ?? "",
                                   o["deadline"]?.stringValue ?? "", late, o["source"]?.stringValue ?? ""]
            table.add(cells)
        }
        table.print(orIfEmpty: "Nothing is overdue.")
        let unknown = r["unknown"]?.arrayValue ?? []
        if !unknown.isEmpty {
            print("\(unknown.count) deadline\(unknown.count == 1 ? "" : "s") cannot be computed yet: the calendar has no notice for "
                  + Set(unknown.compactMap { $0["unknownYear"]?.intValue }).sorted().map(String.init).joined(separator: ", ")
                  + ". Record it with calendar.publish.")
        }
    }
}

enum ObligationRow {
    static func cells(_ o: JSONValue) -> [String] {
        let deadline = o["deadline"]?.stringValue ?? "unknown (no \(o["unknownYear"]?.intValue.map(String.init) ?? "?") notice)"
        return [o["rule"]?.stringValue ?? "", o["start"]?.stringValue ?? "", o["workingDays"]?.intValue.map(String.init) ?? "",
                deadline, Format.day(o["metAt"]), o["status"]?.stringValue ?? "", o["source"]?.stringValue ?? ""]
    }
}
