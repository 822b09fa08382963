import ShixiangElements
import ShixiangJSON

/// Valid objects and small helpers shared by the tests.
enum Samples {
    /// A complete, valid set of directory elements (normalised form).
    static let directory: JSONValue = [
        "name": "食品经营许可",
        "itemType": "01",
        "content": "对食品经营者的经营条件进行审查并作出许可决定",
        "implementingBody": "区市场监督管理局",
        "serviceObject": ["1", "2"],
        "theme": "准营准办",
        "legalBasis": "《中华人民共和国食品安全法》第三十五条",
        "handlingForm": ["1", "2"],
        "isPublic": true,
    ]

    /// A complete, valid implementation entry (normalised form).
    static let implementation: JSONValue = [
        "name": "食品经营许可（新办）",
        "itemType": "01",
        "legalBasis": "《中华人民共和国食品安全法》第三十五条",
        "exerciseLevel": "4",
        "content": "对食品经营者的经营条件进行审查",
        "implementingBody": "区市场监督管理局",
        "bodyNature": "1",
        "statutoryTimeLimit": ["value": 20, "unit": "workingDays"],
        "acceptanceConditions": "具有与经营的食品品种、数量相适应的经营场所",
        "materials": [
            ["name": "食品经营许可申请书", "type": "原件", "copies": 1, "source": "申请人自备", "electronicRequired": true],
            ["name": "营业执照", "type": "复印件", "copies": 1],
        ],
        "jointBodies": "无",
        "procedure": ["steps": [["name": "受理"], ["name": "审查", "timeLimit": ["value": 5, "unit": "workingDays"]], ["name": "决定"]]],
        "quantityLimit": "无",
        "resultName": "食品经营许可证",
        "resultSample": "attachment:sha256:0f1e",
        "chargesFee": false,
        "serviceObject": ["2"],
        "caseType": "2",
        "promisedTimeLimit": ["value": 10, "unit": "workingDays"],
        "handlingForm": ["1", "2"],
        "supportsAppointment": true,
        "supportsOnlinePayment": false,
        "supportsDelivery": true,
        "operatingSystemLevel": "3",
        "place": "广安区政务服务中心二楼",
        "hours": "工作日 9:00-12:00，14:00-17:00",
        "enquiryPhone": "0826-2345678",
        "faq": [["question": "可以网上申请吗？", "answer": "可以，通过政务服务网提交。"]],
        "complaintPhone": "12345",
    ]

    /// `base` with `key` set to `value` (nil removes it).
    static func with(_ base: JSONValue, _ key: String, _ value: JSONValue?) -> JSONValue {
        var members = base.objectValue ?? [:]
        members[key] = value
        return .object(members)
    }

    /// `base` with several keys replaced.
    static func with(_ base: JSONValue, _ changes: [String: JSONValue?]) -> JSONValue {
        var result = base
        for (key, value) in changes { result = with(result, key, value) }
        return result
    }
}

extension Array where Element == ElementFinding {
    /// `"field rule"` pairs, for compact assertions.
    var pairs: [String] { map { "\($0.field) \($0.rule)" } }
}
