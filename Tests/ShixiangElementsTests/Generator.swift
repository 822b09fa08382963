import ShixiangTestSupport
import ShixiangCodes
import ShixiangElements
import ShixiangJSON


/// Builds valid, normalised rows full of characters that stress CSV: commas, quotes, line
/// breaks, full-width punctuation, emoji and surrounding spaces.
struct RowGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", ",", "\"", "\n", "\r\n", "\r", "'", "；", "、", "，", "中", "国", "政", "务",
        "服", "事", "项", "（", "）", "😀", "\t", "=", "[", "{", "是", "否", "20个工作日", "行政许可", "\"\"",
    ]

    mutating func text(_ prefix: String = "项") -> String {
        let count = Int.random(in: 0...12, using: &rng)
        var s = prefix
        for _ in 0..<count { s += Self.pieces.randomElement(using: &rng) ?? "" }
        if Bool.random(using: &rng) { s = " " + s }
        return s
    }

    mutating func subset<T>(_ values: [T]) -> [T] {
        let chosen = values.filter { _ in Bool.random(using: &rng) }
        return chosen.isEmpty ? [values[Int.random(in: 0..<values.count, using: &rng)]] : chosen
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int.random(in: 0..<values.count, using: &rng)]
    }

    mutating func digits(_ n: Int) -> String {
        String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
    }

    mutating func catalogueRow() -> CatalogueCSVRow {
        let type = pick(ItemType.allCases + [.localExtension(11), .localExtension(25)])
        let code = "51" + type.code + digits(5) + pick(["000", "00Y", "001", "123"])
        let objects = subset(ServiceObject.allCases.map(\.code))
        let themes = DirectoryElements.allowedThemes(serviceObject: .array(objects.map(JSONValue.string)))
        var elements: [String: JSONValue] = [
            "name": .string(text()),
            "itemType": .string(type.code),
            "content": .string(text("内容")),
            "implementingBody": .string(text("区")),
            "serviceObject": .array(objects.map(JSONValue.string)),
            "theme": .string(pick(themes)),
            "legalBasis": .string(text("《条例》")),
            "handlingForm": .array(subset(HandlingForm.allCases.map(\.code)).map(JSONValue.string)),
            "isPublic": .bool(Bool.random(using: &rng)),
        ]
        if elements["isPublic"] == false { elements["nonPublicBasis"] = .string(text("文件")) }
        return CatalogueCSVRow(
            basicCode: code, elements: .object(elements),
            status: Bool.random(using: &rng) ? pick(ItemStatus.allCases) : nil,
            powerSource: Bool.random(using: &rng) ? pick(PowerSource.allCases) : nil)
    }

    mutating func timeLimit(max: Int) -> JSONValue {
        ["value": .int(Int64(Int.random(in: 0...max, using: &rng))), "unit": .string(pick(["workingDays", "naturalDays", "hours"]))]
    }

    mutating func implementationRow(unit: String) -> ImplementationCSVRow {
        let type = pick(ItemType.allCases)
        let basic = "00" + type.code + digits(5) + "000"
        let level = pick(ExerciseLevel.allCases)
        let statutory = Int.random(in: 1...60, using: &rng)
        let immediate = Bool.random(using: &rng)
        var fields: [String: JSONValue] = [
            "name": .string(text()), "itemType": .string(type.code), "legalBasis": .string(text("《法》")),
            "exerciseLevel": .string(level.code), "content": .string(text()), "implementingBody": .string(text("局")),
            "bodyNature": .string(pick(BodyNature.allCases).code),
            "statutoryTimeLimit": ["value": .int(Int64(statutory)), "unit": "workingDays"],
            "acceptanceConditions": .string(text()),
            "materials": .array((0..<Int.random(in: 1...3, using: &rng)).map { _ in materialEntry() }),
            "jointBodies": .string(text("无")),
            "procedure": procedure(),
            "quantityLimit": "无", "resultName": .string(text("证")), "resultSample": .string(text("ref:")),
            "serviceObject": .array(subset(ServiceObject.allCases.map(\.code)).map(JSONValue.string)),
            "caseType": .string(immediate ? "1" : "2"),
            "promisedTimeLimit": immediate ? ["value": 0, "unit": "immediate"]
                : ["value": .int(Int64(Int.random(in: 1...statutory, using: &rng))), "unit": "workingDays"],
            "handlingForm": .array(subset(HandlingForm.allCases.map(\.code)).map(JSONValue.string)),
            "supportsAppointment": .bool(Bool.random(using: &rng)),
            "supportsOnlinePayment": .bool(Bool.random(using: &rng)),
            "supportsDelivery": .bool(Bool.random(using: &rng)),
            "operatingSystemLevel": .string(pick(["1", "2", "3", "4"])),
            "place": .string(text("楼")), "hours": .string(text("9:00")),
            "enquiryPhone": .string(pick(["0826-2345678", "(028) 8765 4321、12345", "13800138000"])),
            "faq": .array((0..<Int.random(in: 1...2, using: &rng)).map { _ in ["question": .string(text("问")), "answer": .string(text("答"))] }),
            "complaintPhone": .string(pick(["12345", "0826-2223333；https://ts.example.gov.cn/a?b=1"])),
        ]
        let charges = Bool.random(using: &rng)
        fields["chargesFee"] = .bool(charges)
        if charges {
            fields["feeStandard"] = [["name": .string(text("费")), "standard": .string(text("元")), "document": .string(text("号"))]]
            fields["feeBasis"] = .array([.string(text("《办法》")), .string(text("文"))])
        }
        if level == .graded { fields["authorityDivision"] = .string(text("分级")) }
        if Bool.random(using: &rng) { fields["handlingScope"] = .string(pick(HandlingScope.allCases).code) }
        if Bool.random(using: &rng) { fields["intermediaryServices"] = .string(text("检测")) }
        return ImplementationCSVRow(unitCode: unit, basicCode: basic, fields: .object(fields))
    }

    mutating func materialEntry() -> JSONValue {
        var entry: [String: JSONValue] = ["name": .string(text("材料"))]
        for attribute in MaterialAttribute.allCases where attribute != .name && Bool.random(using: &rng) {
            switch attribute {
            case .copies: entry[attribute.key] = .int(Int64(Int.random(in: 0...5, using: &rng)))
            case .electronicRequired: entry[attribute.key] = .bool(Bool.random(using: &rng))
            default: entry[attribute.key] = .string(text())
            }
        }
        return .object(entry)
    }

    mutating func procedure() -> JSONValue {
        let steps: [JSONValue] = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
            var step: [String: JSONValue] = ["name": .string(text("环节"))]
            if Bool.random(using: &rng) { step["description"] = .string(text()) }
            if Bool.random(using: &rng) { step["timeLimit"] = timeLimit(max: 10) }
            return .object(step)
        }
        var procedure: [String: JSONValue] = ["steps": .array(steps)]
        if Bool.random(using: &rng) { procedure["flowChart"] = .string(text("图")) }
        return .object(procedure)
    }
}
