import ShixiangJSON

/// How an adjustment record reads for people.
enum AdjustView {
    /// `基本目录 · 新增`: the list and kind labels.
    static func kindLabel(_ a: JSONValue) -> String {
        "\(Format.label(a, "list")) · \(Format.label(a, "kind"))"
    }

    /// When the adjustment first reached `status`, from its history.
    static func date(_ a: JSONValue, _ status: String) -> JSONValue? {
        a["history"]?.arrayValue?.first { $0["status"]?.stringValue == status }?["at"]
    }

    /// One line: `adj-3  已审核通过 (approved)  基本目录 · 新增  000104002000`.
    static func summary(_ a: JSONValue) -> String {
        var line = "\(a["id"]?.stringValue ?? "")  \(Format.labelled(a, "status"))  \(kindLabel(a))  \(a["target"]?.stringValue ?? "")"
        if let reason = a["returnReason"]?.stringValue, a["status"]?.stringValue == "returned" { line += "  退回理由: \(reason)" }
        return line
    }

    /// The full record: header fields, evidence, the history with dates and reasons, the changes.
    static func describe(_ a: JSONValue, unitName: String?) -> String {
        var kv = KeyValues()
        let unit = a["unit"]?.stringValue ?? ""
        kv.add("单位 unit", unitName.map { "\($0) (\(unit))" } ?? unit)
        kv.add("调整类型 kind", "\(kindLabel(a)) (\(a["list"]?.stringValue ?? "") \(a["kind"]?.stringValue ?? ""))")
        kv.add("调整对象 target", a["target"]?.stringValue)
        kv.add("状态 status", Format.labelled(a, "status"))
        kv.add("调整依据 basis", a["basis"]?.stringValue)
        kv.add("调整事由 reason", a["reason"]?.stringValue)
        if let effective = a["effectiveAt"], !effective.isNull { kv.add("生效 effective", Format.minute(effective)) }
        if a["filingRequired"]?.boolValue == true {
            let filer = a["filer"]?.stringValue ?? ""
            let filing = a["filing"]?.stringValue.map { ", filed as \($0)" } ?? ", not filed yet"
            kv.add("备案 filing", "required, by \(filer)\(filing)")
        } else {
            kv.add("备案 filing", "not required")
        }
        if let channels = a["publishedChannels"]?.arrayValue, !channels.isEmpty {
            kv.add("公布渠道 channels", channels.compactMap(\.stringValue).joined(separator: ", "))
        }
        let evidence = a["evidence"]?.arrayValue ?? []
        kv.add("佐证材料 evidence", evidence.isEmpty ? "none" : evidence.map { e in
            "\(e["name"]?.stringValue ?? "")  \(Format.bytes(e["size"]?.intValue ?? 0))  sha256 \(e["sha256"]?.stringValue ?? "")"
        }.joined(separator: "\n"))

        var history = Table(["时间 (北京时间)", "状态", "说明"])
        for h in a["history"]?.arrayValue ?? [] {
            let status = h["status"]?.stringValue ?? ""
            history.add([Format.minute(h["at"]), "\(label(status: status)) (\(status))", h["reason"]?.stringValue ?? ""])
        }
        let changes = a["changes"].map { $0.prettyString() } ?? "{}"
        return """
            \(a["id"]?.stringValue ?? "")  \(summaryTitle(a))
            \(kv.render())

            History:
            \(indent(history.render()))

            Changes:
            \(indent(changes))
            """
    }

    private static func summaryTitle(_ a: JSONValue) -> String {
        "\(Format.label(a, "status"))  \(kindLabel(a))  \(a["target"]?.stringValue ?? "")"
    }

    /// The Chinese label of a status code (the record's `labels` carry only the current status).
    static func label(status: String) -> String {
        switch status {
        case "submitted": "已提交"
        case "returned": "已退回"
        case "resubmitted": "已重新提交"
        case "approved": "已审核通过"
        case "published": "已公布"
        case "filed": "已备案"
        case "forwarded": "已转送"
        case "archived": "已归档"
        default: status
        }
    }

    static func indent(_ text: String, by spaces: Int = 2) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}
