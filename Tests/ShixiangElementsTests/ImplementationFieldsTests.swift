import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

@Suite("ImplementationFields")
struct ImplementationFieldsTests {
    @Test func validSampleHasNoFindings() {
        #expect(ImplementationFields.validate(Samples.implementation, mode: .complete) == [])
    }

    @Test func keysExcludeTheSystemAssignedCodes() {
        #expect(ImplementationFields.keys.count == 34)
        #expect(!ImplementationFields.keys.contains("basicCode"))
        #expect(!ImplementationFields.keys.contains("implementationCode"))
    }

    @Test func completeRequiresTheRequiredFieldsOnly() {
        let findings = ImplementationFields.validate([:], mode: .complete)
        let expected = ImplementationField.allCases.filter { $0.requirement == .required }.map { "\($0.key) required" }
        #expect(findings.pairs == expected)
        #expect(findings.count == 29)
    }

    @Test func derivedCodesAreRejected() {
        let object = Samples.with(Samples.implementation, ["basicCode": "000104002000", "implementationCode": "x"])
        let findings = ImplementationFields.validate(object, mode: .complete)
        #expect(findings.pairs == ["basicCode derived", "implementationCode derived"])
        #expect(findings.allSatisfy { $0.message.contains("assigned by the registry") && $0.message.contains("derived") })
    }

    @Test func unknownField() {
        #expect(ImplementationFields.validate(["fee": 1], mode: .partial).pairs == ["fee unknownField"])
    }

    @Test func partialDoesNotRequireAbsentFields() {
        #expect(ImplementationFields.validate(["place": "二楼窗口"], mode: .partial) == [])
        #expect(ImplementationFields.validate(["faq": []], mode: .partial).pairs == ["faq required"])
    }

    @Test func feeDetailsRequiredWhenCharging() {
        let charging = Samples.with(Samples.implementation, "chargesFee", "是")
        #expect(ImplementationFields.validate(charging, mode: .complete).pairs == ["feeStandard required", "feeBasis required"])
        let complete = Samples.with(charging, [
            "feeStandard": [["name": "工本费", "standard": "每证10元", "document": "川发改价格〔2019〕1号"]],
            "feeBasis": "《行政事业性收费管理办法》",
        ])
        #expect(ImplementationFields.validate(complete, mode: .complete) == [])
        #expect(ImplementationFields.normalise(complete).0["feeBasis"] == ["《行政事业性收费管理办法》"])
        #expect(ImplementationFields.validate(["chargesFee": true], mode: .partial) == [])
        #expect(ImplementationFields.validate(["chargesFee": true, "feeBasis": []], mode: .partial).pairs == ["feeBasis required"])
    }

    @Test func feeDetailsRejectedWhenNotCharging() {
        let object = Samples.with(Samples.implementation, "feeBasis", ["某文件"])
        #expect(ImplementationFields.validate(object, mode: .complete).pairs == ["feeBasis feeNotCharged"])
    }

    @Test func feeItemsNeedNameAndStandard() {
        let object = Samples.with(Samples.implementation, [
            "chargesFee": true, "feeBasis": ["文件"], "feeStandard": [["name": "工本费"], "每证10元"],
        ])
        #expect(ImplementationFields.validate(object, mode: .complete).pairs == ["feeStandard[0].standard required", "feeStandard[1] structure"])
    }

    @Test func authorityDivisionRequiredForGradedItems() {
        let graded = Samples.with(Samples.implementation, "exerciseLevel", "分级行使")
        #expect(ImplementationFields.validate(graded, mode: .complete).pairs == ["authorityDivision required"])
        let divided = Samples.with(graded, "authorityDivision", "市级审定、区县级受理")
        #expect(ImplementationFields.validate(divided, mode: .complete) == [])
    }

    @Test func promisedMustNotExceedStatutory() {
        let object = Samples.with(Samples.implementation, ["promisedTimeLimit": "30个工作日", "statutoryTimeLimit": "20个工作日"])
        let findings = ImplementationFields.validate(object, mode: .complete)
        #expect(findings.pairs == ["promisedTimeLimit promisedExceedsStatutory"])
        #expect(findings.first?.message == "承诺办结时限 (promised time limit) 30个工作日 exceeds the statutory 20个工作日; the promise must not be longer than the law allows (seed 004 §25)")
        #expect(ImplementationFields.validate(["promisedTimeLimit": "21个工作日", "statutoryTimeLimit": "20个自然日"], mode: .partial).pairs
            == ["promisedTimeLimit promisedExceedsStatutory"])
    }

    @Test func equalLimitsPassButAreNotShorter() {
        let object = Samples.with(Samples.implementation, ["promisedTimeLimit": "20个工作日", "statutoryTimeLimit": "20个工作日"])
        #expect(ImplementationFields.validate(object, mode: .complete) == [])
        let comparison = ImplementationFields.compareTimeLimits(object)
        #expect(comparison?.exceeds == false)
        #expect(comparison?.isShorter == false)
        #expect(ImplementationFields.compareTimeLimits(Samples.implementation)?.isShorter == true)
    }

    @Test func uncomparableUnitsAreNotReported() {
        let object = Samples.with(Samples.implementation, ["promisedTimeLimit": "25个自然日", "statutoryTimeLimit": "20个工作日"])
        #expect(ImplementationFields.compareTimeLimits(object)?.exceeds == nil)
        #expect(ImplementationFields.validate(object, mode: .complete) == [])
    }

    @Test func timeLimitsParseAndNormalise() {
        let object: JSONValue = ["statutoryTimeLimit": "20个工作日", "promisedTimeLimit": "即办"]
        let (normalised, findings) = ImplementationFields.normalise(object)
        #expect(findings == [])
        #expect(normalised["statutoryTimeLimit"] == ["value": 20, "unit": "workingDays"])
        #expect(normalised["promisedTimeLimit"] == ["value": 0, "unit": "immediate"])
        #expect(ImplementationFields.normalise(["statutoryTimeLimit": "１５个自然日"]).0["statutoryTimeLimit"] == ["value": 15, "unit": "naturalDays"])
        #expect(ImplementationFields.normalise(["statutoryTimeLimit": ["value": 2, "unit": "小时"]]).0["statutoryTimeLimit"] == ["value": 2, "unit": "hours"])
    }

    @Test func unreadableTimeLimits() {
        let findings = ImplementationFields.validate([
            "statutoryTimeLimit": "20天",
            "promisedTimeLimit": ["value": -1, "unit": "workingDays"],
        ], mode: .partial)
        #expect(findings.pairs == ["promisedTimeLimit range", "statutoryTimeLimit timeLimit"])
        #expect(findings.last?.message.contains("工作日 or 自然日") == true)
        #expect(ImplementationFields.validate(["statutoryTimeLimit": ["value": 3]], mode: .partial).pairs == ["statutoryTimeLimit timeLimit"])
        #expect(ImplementationFields.validate(["statutoryTimeLimit": 20], mode: .partial).pairs == ["statutoryTimeLimit timeLimit"])
    }

    @Test func caseTypeMustAgreeWithThePromisedLimit() {
        let immediateCase = Samples.with(Samples.implementation, "caseType", "即办件")
        #expect(ImplementationFields.validate(immediateCase, mode: .complete).pairs == ["caseType caseType"])
        let promisedCase = Samples.with(Samples.implementation, "promisedTimeLimit", "即办")
        #expect(ImplementationFields.validate(promisedCase, mode: .complete).pairs == ["caseType caseType"])
        let consistent = Samples.with(immediateCase, "promisedTimeLimit", "当场办结")
        #expect(ImplementationFields.validate(consistent, mode: .complete) == [])
    }

    @Test func yesNoFieldsAcceptChinese() {
        let object: JSONValue = ["chargesFee": "否", "supportsAppointment": "是", "supportsOnlinePayment": " 否 ", "supportsDelivery": true]
        let (normalised, findings) = ImplementationFields.normalise(object)
        #expect(findings == [])
        #expect(normalised == ["chargesFee": false, "supportsAppointment": true, "supportsOnlinePayment": false, "supportsDelivery": true])
        #expect(ImplementationFields.validate(["supportsDelivery": "Y"], mode: .partial).pairs == ["supportsDelivery type"])
    }

    @Test func codeFieldsAcceptLabelsAndSeedWording() {
        let object: JSONValue = [
            "itemType": "行政确认", "exerciseLevel": "区县", "bodyNature": "授权组织", "caseType": "承诺件",
            "serviceObject": "自然人/法人", "handlingForm": "窗口/网上办理", "handlingScope": "跨区（县）",
            "operatingSystemLevel": "区县级",
        ]
        let (normalised, findings) = ImplementationFields.normalise(object)
        #expect(findings == [])
        #expect(normalised == [
            "itemType": "07", "exerciseLevel": "4", "bodyNature": "2", "caseType": "2",
            "serviceObject": ["1", "2", "3", "4", "5", "6"], "handlingForm": ["1", "2"], "handlingScope": "crossDistrict",
            "operatingSystemLevel": "4",
        ])
        #expect(ImplementationFields.validate(["exerciseLevel": "8", "handlingScope": "全省"], mode: .partial).pairs
            == ["exerciseLevel code", "handlingScope code"])
    }

    @Test func vagueWordingInsideMaterials() {
        let object = Samples.with(Samples.implementation, "materials", [
            ["name": "营业执照"], ["name": "身份证"], ["name": "其他材料", "instructions": "按有关部门要求填写"],
        ])
        let findings = ImplementationFields.validate(object, mode: .complete)
        #expect(findings.pairs == ["materials[2].instructions vagueWording", "materials[2].name vagueWording"])
        #expect(findings.last?.message.contains("其他材料") == true)
    }

    @Test func vagueWordingInFAQProcedureAndTopLevelText() {
        let object = Samples.with(Samples.implementation, [
            "faq": [["question": "要交哪些材料？", "answer": "身份证及其它材料"]],
            "procedure": ["steps": [["name": "受理", "description": "转有关部门"]]],
            "acceptanceConditions": "符合有关部门规定",
            "feeBasis": .null,
        ])
        #expect(ImplementationFields.validate(object, mode: .complete).pairs
            == ["acceptanceConditions vagueWording", "faq[0].answer vagueWording", "procedure.steps[0].description vagueWording"])
    }

    @Test func materialsStructure() {
        let object = Samples.with(Samples.implementation, "materials", [
            ["type": "原件", "copies": "2份", "colour": "红"], "身份证", ["name": "申请书", "copies": -1, "electronicRequired": "否"],
        ])
        let findings = ImplementationFields.validate(object, mode: .complete)
        #expect(findings.pairs == ["materials[0].colour unknownField", "materials[0].name required", "materials[1] structure", "materials[2].copies range"])
        let (normalised, _) = ImplementationFields.normalise(object)
        #expect(normalised["materials"]?[0]?["copies"] == 2)
        #expect(normalised["materials"]?[2]?["electronicRequired"] == false)
        #expect(ImplementationFields.validate(Samples.with(Samples.implementation, "materials", "身份证"), mode: .complete).pairs == ["materials structure"])
        #expect(ImplementationFields.validate(Samples.with(Samples.implementation, "materials", []), mode: .complete).pairs == ["materials required"])
    }

    @Test func faqNeedsQuestionAndAnswer() {
        let object = Samples.with(Samples.implementation, "faq", [["question": "多久办结？"], ["answer": "十日", "q": "x"]])
        #expect(ImplementationFields.validate(object, mode: .complete).pairs
            == ["faq[0].answer required", "faq[1].q unknownField", "faq[1].question required"])
    }

    @Test func procedureShapes() {
        let (normalised, findings) = ImplementationFields.normalise(["procedure": "申请→受理 -> 审查→决定"])
        #expect(findings == [])
        #expect(normalised["procedure"] == ["steps": [["name": "申请"], ["name": "受理"], ["name": "审查"], ["name": "决定"]]])
        #expect(ImplementationFields.validate(["procedure": ["flowChart": "ref"]], mode: .partial).pairs == ["procedure.steps required"])
        #expect(ImplementationFields.validate(["procedure": 3], mode: .partial).pairs == ["procedure structure"])
        #expect(ImplementationFields.validate(["procedure": ["steps": [["name": "受理", "timeLimit": "3天"]], "chart": "x"]], mode: .partial).pairs
            == ["procedure.chart unknownField", "procedure.steps[0].timeLimit timeLimit"])
    }

    @Test func phoneFields() {
        #expect(ImplementationFields.validate(["enquiryPhone": "0826-2345678、(0826) 2345679", "complaintPhone": "https://12345.sc.gov.cn"], mode: .partial) == [])
        #expect(ImplementationFields.validate(["enquiryPhone": "12345"], mode: .partial) == [])
        let findings = ImplementationFields.validate(["enquiryPhone": "请拨打热线", "complaintPhone": "123"], mode: .partial)
        #expect(findings.pairs == ["complaintPhone phone", "enquiryPhone phone"])
        #expect(ImplementationFields.validate(["enquiryPhone": "https://example.org"], mode: .partial).pairs == ["enquiryPhone phone"])
        #expect(ImplementationFields.validate(["enquiryPhone": 26345678], mode: .partial).pairs == ["enquiryPhone type"])
    }

    @Test func normaliseIsIdempotent() {
        let raw = Samples.with(Samples.implementation, [
            "itemType": "行政许可", "statutoryTimeLimit": "20个工作日", "chargesFee": "否", "serviceObject": "企业法人",
        ])
        let (once, findings) = ImplementationFields.normalise(raw)
        #expect(findings == [])
        #expect(once == Samples.implementation)
        #expect(ImplementationFields.normalise(once).0 == once)
    }
}
