import ArgumentParser
import ShixiangJSON

/// `shixiang adjust …`: the adjustment procedure (动态调整) — submit, return, resubmit, approve,
/// publish, archive — and reading adjustments. Filing and forwarding are `shixiang file …`.
struct AdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Submit adjustments and take them through review, publication and archiving.",
        discussion: """
            The procedure: submit → (return → resubmit)* → approve → publish → file (shixiang file submit) \
            → forward (shixiang file forward) → archive. Implementation-list changes other than name or \
            legal basis need no filing and may be archived once published.
            """,
        subcommands: [Submit.self, Return.self, Resubmit.self, Approve.self, Publish.self, Guide.self, Archive.self, Get.self, List.self])

    static let lists = ["catalogue", "implementation"]
    static let catalogueKinds = ["add", "takeOver", "delegate", "cancel", "merge", "change", "reinstate", "other"]
    static let implementationKinds = ["claim", "followCatalogue", "split", "cancel", "changeLevel", "change", "add", "other"]
    static let statuses = ["submitted", "returned", "resubmitted", "approved", "published", "filed", "forwarded", "archived"]

    /// Runs one procedure step `method` on adjustment `id` and reports where it now stands.
    static func step(_ global: GlobalOptions, _ method: String, _ params: [String: JSONValue], done: String) throws {
        let a = try global.withClient { try $0.call(method, .object(params)) }
        if global.json { return global.printJSON(a) }
        print("\(done): \(AdjustView.summary(a))")
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit an adjustment with its basis, reason and evidence for review.",
            discussion: """
                --target is a 基本编码 for catalogue kinds and for claim/add, a 实施编码 for the other \
                implementation kinds. --changes depends on the kind, e.g. catalogue add {"elements": {…}}, \
                implementation claim {"fields": {…}}, catalogue cancel {"legalityReview": "…"}, \
                changeLevel {"level": "5"}. Each --evidence file is hashed here (SHA-256 and size); only \
                the digest goes to the registry.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "The submitting unit's credit code.") var unit: String
        @Option(name: .long, help: "catalogue (基本目录) or implementation (实施清单).") var list: String
        @Option(name: .long, help: "The kind of adjustment, e.g. add, cancel, claim.") var kind: String
        @Option(name: .long, help: "What it adjusts: a 基本编码 or 实施编码.") var target: String
        @Option(name: .long, help: "调整依据: the legal or policy ground.") var basis: String
        @Option(name: .long, help: "调整事由: why.") var reason: String
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try Check.oneOf(list, AdjustCommand.lists, "--list")
            try Check.oneOf(kind, list == "catalogue" ? AdjustCommand.catalogueKinds : AdjustCommand.implementationKinds, "--kind for --list \(list)")
            try Check.notBlank(target, "--target")
            try Check.notBlank(basis, "--basis")
            try Check.notBlank(reason, "--reason")
        }

        func run() throws {
            var params: [String: JSONValue] = ["unit": .string(unit), "list": .string(list), "kind": .string(kind), "target": .string(target),
                                               "basis": .string(basis), "reason": .string(reason)]
            try content.add(to: &params)
            try AdjustCommand.step(global, "adjustment.submit", params, done: "Submitted")
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return an adjustment to its unit with the reason (退回).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id, e.g. adj-3.") var id: String
        @Option(name: .long, help: "Why it is returned (required).") var reason: String

        func validate() throws { try Check.notBlank(reason, "--reason") }

        func run() throws {
            try AdjustCommand.step(global, "adjustment.return", ["id": .string(id), "reason": .string(reason)], done: "Returned")
        }
    }

    struct Resubmit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resubmit a returned adjustment, revised.",
            discussion: "Only what is given changes; --evidence replaces the evidence list.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String
        @Option(name: .long, help: "The revised 调整依据.") var basis: String?
        @Option(name: .long, help: "The revised 调整事由.") var reason: String?
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try Check.notBlank(basis, "--basis")
            try Check.notBlank(reason, "--reason")
        }

        func run() throws {
            var params: [String: JSONValue] = ["id": .string(id)]
            if let basis { params["basis"] = .string(basis) }
            if let reason { params["reason"] = .string(reason) }
            try content.add(to: &params)
            try AdjustCommand.step(global, "adjustment.resubmit", params, done: "Resubmitted")
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve an adjustment (审核通过); its effects reach the lists.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String

        func run() throws {
            try AdjustCommand.step(global, "adjustment.approve", ["id": .string(id)], done: "Approved")
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the publication of an approved adjustment (公布).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String
        @Option(name: .customLong("channel"), help: "Where it was published, e.g. 政务服务平台 (repeat for several).") var channels: [String] = []

        func validate() throws {
            guard !channels.isEmpty else { throw ValidationError("Give at least one --channel (e.g. --channel 政务服务平台).") }
            for c in channels { try Check.notBlank(c, "--channel") }
        }

        func run() throws {
            try AdjustCommand.step(global, "adjustment.publish", ["id": .string(id), "channels": .array(channels.map(JSONValue.string))],
                                         done: "Published")
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive an adjustment's materials (整理归档).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String

        func run() throws {
            try AdjustCommand.step(global, "adjustment.archive", ["id": .string(id)], done: "Archived")
        }
    }

    struct Guide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the offline guide (线下办事指南) and window display follow an approved implementation-list change.",
            discussion: "Seed 002 §16: within 10 working days of the change. Once per adjustment.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String
        @Option(name: .long, help: "What was updated, e.g. 大厅纸质指南已更新并摆放.") var note: String

        func validate() throws { try Check.notBlank(note, "--note") }

        func run() throws {
            try AdjustCommand.step(global, "adjustment.updateGuide", ["id": .string(id), "note": .string(note)], done: "Offline guide recorded")
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an adjustment: status, history with dates and return reasons, changes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The adjustment's id.") var id: String

        func run() throws {
            let (a, unitName) = try global.withClient { c in
                let a = try c.call("adjustment.get", ["id": .string(id)])
                let unit = try? c.call("unit.get", ["code": a["unit"] ?? .null])
                return (a, unit?["name"]?.stringValue)
            }
            if global.json { return global.printJSON(a) }
            print(AdjustView.describe(a, unitName: unitName))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List adjustments, of one unit and/or in one status.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this unit's adjustments.") var unit: String?
        @Option(name: .long, help: "Only adjustments in this status (submitted, returned, …, archived).") var status: String?

        func validate() throws { try Check.oneOf(status, AdjustCommand.statuses, "--status") }

        func run() throws {
            var params: [String: JSONValue] = [:]
            if let unit { params["unit"] = .string(unit) }
            if let status { params["status"] = .string(status) }
            let (list, names) = try global.withClient { c in
                let list = try c.call("adjustment.list", .object(params)).arrayValue ?? []
                let units = (try? c.call("unit.list"))?.arrayValue ?? []
                var names: [String: String] = [:]
                for u in units { if let code = u["code"]?.stringValue { names[code] = u["name"]?.stringValue } }
                return (list, names)
            }
            global.printList(list) {
                var t = Table(["编号", "单位", "清单 / 类型", "调整对象", "状态", "提交日期"])
                for a in list {
                    let unit = a["unit"]?.stringValue ?? ""
                    t.add([a["id"]?.stringValue ?? "", names[unit] ?? unit, AdjustView.kindLabel(a), a["target"]?.stringValue ?? "",
                           Format.label(a, "status"), Format.day(AdjustView.date(a, "submitted"))])
                }
                t.print(orIfEmpty: "No adjustments.")
            }
        }
    }
}

/// The content of a submission or resubmission: changes, evidence and the effective date.
struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: "The changes, a JSON object (what it holds depends on the kind).") var changes: String?
    @Option(name: .long, help: "Read the changes from a JSON file (- for standard input).") var changesFile: String?
    @Option(name: .long, help: "A supporting document to hash and record (repeat for several).") var evidence: [String] = []
    @Option(name: .long, help: "When the change takes legal effect (YYYY-MM-DD, China time, or RFC 3339).") var effectiveAt: String?

    func validate() throws {
        if changes != nil && changesFile != nil { throw ValidationError("Give --changes or --changes-file, not both.") }
        if let changes {
            guard case .object = try changes.parsedJSON(option: "--changes") else {
                throw ValidationError("--changes must be a JSON object, e.g. '{\"fields\": {…}}'.")
            }
        }
        try JSONInput.checkReadable(changesFile, option: "--changes-file")
        try EvidenceFile.check(evidence)
        try Check.date(effectiveAt, "--effective-at")
    }

    /// Adds `changes`, `evidence` and `effectiveAt` to `params` (hashing the evidence files).
    func add(to params: inout [String: JSONValue]) throws {
        if let value = try JSONInput.read(inline: changes, option: "--changes", file: changesFile, fileOption: "--changes-file") {
            guard case .object = value else { throw ValidationError("The changes must be a JSON object.") }
            params["changes"] = value
        }
        if !evidence.isEmpty { params["evidence"] = .array(try evidence.map(EvidenceFile.describe)) }
        if let effectiveAt { params["effectiveAt"] = .string(effectiveAt) }
    }
}
