import Foundation
import ShixiangJSON

/// Realistic event bodies for the append benchmark: service-item adjustments of ~600 bytes of
/// canonical JSON, built from the Guang'an item list when it is readable, from generated Chinese
/// text otherwise.
struct EventPayloads: Sendable {
    /// One prepared event: the stream it goes to and its `data` object.
    struct Item: Sendable {
        var stream: String
        var data: JSONValue
    }

    /// The prepared events, used round-robin.
    let items: [Item]
    /// Where the item names came from (the CSV path, or "generated").
    let source: String
    /// Target size of each `data` object in canonical JSON, bytes.
    let targetBytes: Int

    /// Canonical size of the smallest and largest `data` object, bytes.
    var sizeRange: ClosedRange<Int> {
        let sizes = items.map { $0.data.canonicalBytes().count }
        return (sizes.min() ?? 0)...(sizes.max() ?? 0)
    }

    /// The event type every benchmark event carries.
    static let eventType = "item.timeLimitAdjusted"

    /// Builds `count` payloads of exactly `targetBytes` canonical bytes each (more only when no item's
    /// fixed fields fit in it).
    init(csvPath: String?, count: Int = 512, targetBytes: Int = 600) {
        self.targetBytes = targetBytes
        var rows = csvPath.flatMap(Self.readRows) ?? []
        if rows.isEmpty {
            source = "generated"
            rows = (0..<64).map { i in
                Row(department: "区行政审批局", mainItem: "未分类", name: "企业投资项目备案第\(i)项（技术改造）",
                    localCode: "511A\(String(format: "%010d", i))-511602000000-000-1151130000877869M-1-00",
                    taskType: Int64(1 + i % 20), deptCode: "1151130000877869M")
            }
        } else {
            source = csvPath ?? "generated"
        }
        // Items whose fixed fields alone exceed the target (very long names) are left out.
        let fitting = rows.filter { Self.data(for: $0, index: 0, targetBytes: 0).canonicalBytes().count <= targetBytes }
        if !fitting.isEmpty { rows = fitting }
        var built: [Item] = []
        built.reserveCapacity(count)
        for i in 0..<Swift.max(count, 1) {
            let row = rows[i % rows.count]
            built.append(Item(stream: "item-\(row.localCode.prefix(14))-\(i % rows.count)",
                              data: Self.data(for: row, index: i, targetBytes: targetBytes)))
        }
        items = built
    }

    /// `events.append` params for one event of payload `index` (round-robin), with a fresh UUID.
    func appendParams(_ index: Int) -> JSONValue {
        let item = items[index % items.count]
        return [
            "stream": .string(item.stream),
            "expectedVersion": "any",
            "events": [[
                "id": .string(UUID().uuidString.lowercased()),
                "type": .string(Self.eventType),
                "data": item.data,
            ]],
        ]
    }

    // MARK: Building

    private struct Row {
        var department: String
        var mainItem: String
        var name: String
        var localCode: String
        var taskType: Int64
        var deptCode: String
    }

    /// Rows of `department,main_item,name,local_code,task_type,dept_code`; rows with quoted commas are skipped.
    /// (Lines end in CRLF, which Swift treats as one `Character`: split on `isNewline`.)
    private static func readRows(_ path: String) -> [Row]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> Row? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard f.count == 6, let taskType = Int64(f[4]) else { return nil }
            return Row(department: f[0], mainItem: f[1], name: f[2], localCode: f[3], taskType: taskType, deptCode: f[5])
        }
        return rows.isEmpty ? nil : rows
    }

    /// Text to pad the reason with (an adjustment notice, in Chinese).
    private static let filler = Array("根据《四川省政务服务事项办理时限调整工作方案》要求，经部门申请、审核确认，本事项承诺办结时限压缩，申请材料齐全且符合法定形式的当场受理，并通过一体化政务服务平台全程网办，同步更新办事指南。")

    /// A `data` object for `row`, its `reason` padded so the canonical form is ~`targetBytes`.
    private static func data(for row: Row, index: Int, targetBytes: Int) -> JSONValue {
        let legal = 5 + Int64(index % 16)
        var object: [String: JSONValue] = [
            "department": .string(row.department),
            "mainItem": .string(row.mainItem),
            "name": .string(row.name),
            "localCode": .string(row.localCode),
            "deptCode": .string(row.deptCode),
            "taskType": .int(row.taskType),
            "legalDays": .int(legal),
            "promisedDays": .int(Swift.max(1, legal - 1 - Int64(index % 4))),
            "effectiveDate": "2025-01-01",
            "approvedBy": "区政务服务管理局",
            "reason": "",
        ]
        let base = JSONValue.object(object).canonicalBytes().count
        var reason = ""
        var bytes = base
        var k = index % filler.count
        while true {
            let c = filler[k % filler.count]
            let n = String(c).utf8.count
            guard bytes + n <= targetBytes else { break }
            reason.append(c)
            bytes += n
            k += 1
        }
        while bytes < targetBytes {
            reason.append(".")
            bytes += 1
        }
        object["reason"] = .string(reason)
        return .object(object)
    }
}
