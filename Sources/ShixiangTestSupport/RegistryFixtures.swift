import ShixiangCodes
import ShixiangJSON

/// Valid registry inputs for tests and benchmarks: credit codes, directory elements, implementation fields.
public enum RegistryFixtures {
    /// A valid unified social credit code numbered `n` (GB 32100 check digit computed).
    public static func creditCode(_ n: Int) -> String {
        let body = "11510000" + String(String(n).reversed()).padding(toLength: 9, withPad: "0", startingAt: 0)
        return (try? UnifiedSocialCreditCode.make(first17: body).description) ?? ""
    }

    /// The 9 directory elements of a catalogue item.
    public static func catalogueElements(_ name: String = "食品经营许可", type: String = "01") -> JSONValue {
        [
            "name": .string(name), "itemType": .string(type), "content": "依申请办理",
            "implementingBody": "区市场监管局", "serviceObject": ["2"],
            "theme": .string(DirectoryElement.legalPersonThemes[0]), "legalBasis": "《中华人民共和国行政许可法》",
            "handlingForm": ["1", "2"], "isPublic": true,
        ]
    }

    /// A complete set of implementation fields (name, type and basis come from the catalogue).
    public static func implementationFields(promised: Int = 10, statutory: Int = 20) -> JSONValue {
        [
            "content": "受理、审查、决定", "implementingBody": "区市场监管局", "bodyNature": "1",
            "statutoryTimeLimit": ["value": .int(Int64(statutory)), "unit": "workingDays"],
            "acceptanceConditions": "申请人具备法定条件", "materials": [["name": "申请书"]],
            "jointBodies": "无", "procedure": ["steps": [["name": "受理"], ["name": "决定"]]],
            "quantityLimit": "无", "resultName": "许可证", "resultSample": "样本见附件",
            "serviceObject": ["2"], "caseType": "2",
            "promisedTimeLimit": ["value": .int(Int64(promised)), "unit": "workingDays"],
            "handlingForm": ["1", "2"], "supportsAppointment": true, "supportsOnlinePayment": false, "supportsDelivery": true,
            "operatingSystemLevel": "3", "place": "区政务服务中心一楼", "hours": "工作日9:00-17:00",
            "enquiryPhone": "0826-2345678", "faq": [["question": "需要几天？", "answer": "10个工作日"]],
            "complaintPhone": "12345", "chargesFee": false,
        ]
    }
}
