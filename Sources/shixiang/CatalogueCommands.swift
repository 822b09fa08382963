import ArgumentParser
import ShixiangJSON

/// `shixiang catalogue …`: the catalogue (基本目录) as it stands, and each item's history.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Read the catalogue of service items (基本目录).",
        subcommands: [Get.self, List.self, History.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one catalogue item by its 基本编码.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The 基本编码 (12 characters).") var code: String
        @Option(name: .customLong("as-of"), help: "As the registry stood at this moment (RFC 3339 or YYYY-MM-DD).") var asOf: String?

        func run() throws {
            var params: [String: JSONValue] = ["code": .string(code)]
            if let asOf { params["asOf"] = .string(asOf) }
            let item = try global.withClient { try $0.call("catalogue.get", .object(params)) }
            if global.json { return global.printJSON(item) }
            var kv = KeyValues()
            kv.add("基本编码", item["code"]?.stringValue)
            let typeCode = item["elements"]?["itemType"]?.stringValue ?? ""
            kv.add("事项类型 type", item["labels"]?["itemType"]?.stringValue.map { "\($0) (\(typeCode))" } ?? typeCode)
            kv.add("状态 status", Format.labelled(item, "status"))
            kv.add("权力来源 power source", Format.labelled(item, "powerSource"))
            if let level = item["exerciseLevel"], !level.isNull { kv.add("行使层级 level", Format.labelled(item, "exerciseLevel")) }
            if let at = item["effectiveAt"], !at.isNull { kv.add("生效 effective", Format.minute(at)) }
            kv.add("更新 updated", Format.minute(item["updatedAt"]))
            kv.add("最近调整 last adjustment", item["lastAdjustment"]?.stringValue)
            kv.add("并入 merged into", item["mergedInto"]?.stringValue)
            kv.add("合法性审查 legality review", item["legalityReview"]?.stringValue)
            print("\(item["elements"]?["name"]?.stringValue ?? "")\n\(kv.render())\n\nElements:\n\(AdjustView.indent((item["elements"] ?? [:]).prettyString()))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List catalogue items in code order, filtered by status, type or text.",
            discussion: "Shows up to --limit items (default 100); --all fetches every page. --cursor continues where a listing stopped.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "inUse (在用), suspended (暂停) or cancelled (取消).") var status: String?
        @Option(name: .long, help: "The item type code, e.g. 01 (许可) or 20 (公共服务).") var type: String?
        @Option(name: .long, help: "Only items whose name or code contains this text.") var text: String?
        @Option(name: .long, help: "Most items to show (default 100).") var limit: Int = 100
        @Flag(name: .long, help: "Show every matching item, page after page.") var all = false
        @Option(name: .long, help: "Continue from this cursor (printed when more items remain).") var cursor: String?
        @Option(name: .customLong("as-of"), help: "As the registry stood at this moment (RFC 3339 or YYYY-MM-DD).") var asOf: String?

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
            try Check.oneOf(status, ["inUse", "suspended", "cancelled"], "--status")
        }

        func run() throws {
            var filter: [String: JSONValue] = [:]
            if let status { filter["status"] = .string(status) }
            if let type { filter["itemType"] = .string(type) }
            if let text { filter["text"] = .string(text) }
            let (items, next) = try global.withClient { c in
                var items: [JSONValue] = []
                var next = cursor
                repeat {
                    var params: [String: JSONValue] = ["filter": .object(filter), "limit": .int(Int64(min(all ? 1000 : limit - items.count, 1000)))]
                    if let next { params["cursor"] = .string(next) }
                    if let asOf { params["asOf"] = .string(asOf) }
                    let page = try c.call("catalogue.list", .object(params))
                    items += page["items"]?.arrayValue ?? []
                    next = page["nextCursor"]?.stringValue
                } while next != nil && (all || items.count < limit)
                return (items, next)
            }
            if global.json {
                global.printJSON(.array(items))
                if let next { Output.error("more items follow: --cursor \(next) (or --all)") }
                return
            }
            var t = Table(["基本编码", "事项名称", "类型", "状态"])
            for i in items {
                t.add([i["code"]?.stringValue ?? "", i["elements"]?["name"]?.stringValue ?? "",
                       i["labels"]?["itemType"]?.stringValue ?? i["elements"]?["itemType"]?.stringValue ?? "", Format.label(i, "status")])
            }
            t.print(orIfEmpty: "No catalogue items.")
            if let next { print("… more: shixiang catalogue list --cursor \(next) (or --all)") }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every event that made a catalogue item what it is.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The 基本编码.") var code: String

        func run() throws {
            let events = try global.withClient { try $0.call("catalogue.history", ["code": .string(code)]) }.arrayValue ?? []
            EventHistory.print(events, global, empty: "No events for \(code).")
        }
    }
}

/// `shixiang entries …`: implementation-list entries (实施清单), by unit or by catalogue item.
struct EntriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entries",
        abstract: "Read implementation-list entries (实施清单).",
        subcommands: [List.self, Get.self, History.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the entries of a unit, or of a catalogue item (基本编码), or both.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "The unit's credit code.") var unit: String?
        @Option(name: .long, help: "The 基本编码 of the catalogue item.") var code: String?
        @Option(name: .customLong("as-of"), help: "As the registry stood at this moment (RFC 3339 or YYYY-MM-DD).") var asOf: String?

        func validate() throws {
            guard unit != nil || code != nil else { throw ValidationError("Give --unit U or --code BASIC (or both).") }
        }

        func run() throws {
            var params: [String: JSONValue] = [:]
            if let unit { params["unit"] = .string(unit) }
            if let code { params["code"] = .string(code) }
            if let asOf { params["asOf"] = .string(asOf) }
            let list = try global.withClient { try $0.call("implementation.list", .object(params)) }.arrayValue ?? []
            global.printList(list) {
                var t = Table(["实施编码", "事项名称", "层级", "状态"])
                for e in list {
                    t.add([e["code"]?.stringValue ?? "", e["fields"]?["name"]?.stringValue ?? "", Format.label(e, "level"), Format.label(e, "status")])
                }
                t.print(orIfEmpty: "No implementation entries.")
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one implementation entry by its 实施编码.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The 实施编码 (31 characters).") var code: String
        @Option(name: .customLong("as-of"), help: "As the registry stood at this moment (RFC 3339 or YYYY-MM-DD).") var asOf: String?

        func run() throws {
            var params: [String: JSONValue] = ["code": .string(code)]
            if let asOf { params["asOf"] = .string(asOf) }
            let e = try global.withClient { try $0.call("implementation.get", .object(params)) }
            if global.json { return global.printJSON(e) }
            var kv = KeyValues()
            kv.add("实施编码", e["code"]?.stringValue)
            kv.add("单位 unit", e["unit"]?.stringValue)
            kv.add("基本编码", e["basicCode"]?.stringValue)
            kv.add("层级 level", Format.labelled(e, "level"))
            kv.add("状态 status", Format.labelled(e, "status"))
            kv.add("更新 updated", Format.minute(e["updatedAt"]))
            kv.add("最近调整 last adjustment", e["lastAdjustment"]?.stringValue)
            if let split = e["splitInto"]?.arrayValue { kv.add("拆分为 split into", split.compactMap(\.stringValue).joined(separator: ", ")) }
            kv.add("替代为 superseded by", e["supersededBy"]?.stringValue)
            print("\(e["fields"]?["name"]?.stringValue ?? "")\n\(kv.render())\n\nFields:\n\(AdjustView.indent((e["fields"] ?? [:]).prettyString()))")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every event that made an implementation entry what it is.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The 实施编码.") var code: String

        func run() throws {
            let events = try global.withClient { try $0.call("implementation.history", ["code": .string(code)]) }.arrayValue ?? []
            EventHistory.print(events, global, empty: "No events for \(code).")
        }
    }
}

/// A stream's events for people: `#seq  date time  type  data`.
enum EventHistory {
    static func print(_ events: [JSONValue], _ global: GlobalOptions, empty: String) {
        global.printList(events) {
            if events.isEmpty { return Swift.print(empty) }
            for e in events {
                let effective = e["effectiveAt"].flatMap { $0.isNull ? nil : "  (effective \(Format.day($0)))" } ?? ""
                Swift.print("#\(e["seq"]?.intValue ?? 0)  \(Format.minute(e["recordedAt"]))  \(e["type"]?.stringValue ?? "")\(effective)  \(e["data"]?.compactString ?? "{}")")
            }
        }
    }
}
