import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

@Suite("DirectoryElements")
struct DirectoryElementsTests {
    @Test func validSampleHasNoFindings() {
        #expect(DirectoryElements.validate(Samples.directory, mode: .complete) == [])
        #expect(DirectoryElements.validate(Samples.directory, mode: .partial) == [])
    }

    @Test func keysAreTheNineElementsPlusNonPublicBasis() {
        #expect(DirectoryElements.keys == DirectoryElement.allCases.map(\.key) + ["nonPublicBasis"])
    }

    @Test func completeRequiresEveryElement() {
        let findings = DirectoryElements.validate([:], mode: .complete)
        #expect(findings.pairs == DirectoryElement.allCases.map { "\($0.key) required" })
        #expect(findings.first?.message == "事项名称 (item name) is required")
    }

    @Test func emptyValuesCountAsMissing() {
        let object = Samples.with(Samples.directory, ["name": "  ", "serviceObject": [], "legalBasis": .null])
        #expect(DirectoryElements.validate(object, mode: .complete).pairs == ["name required", "serviceObject required", "legalBasis required"])
    }

    @Test func partialChecksOnlyGivenFieldsButForbidsClearing() {
        #expect(DirectoryElements.validate(["name": "新名称"], mode: .partial) == [])
        #expect(DirectoryElements.validate(["name": ""], mode: .partial).pairs == ["name required"])
        #expect(DirectoryElements.validate(["content": .null], mode: .partial).pairs == ["content required"])
    }

    @Test func unknownFieldsAreReported() {
        let findings = DirectoryElements.validate(["name": "x", "colour": "red"], mode: .partial)
        #expect(findings.pairs == ["colour unknownField"])
    }

    @Test func nonObjectIsATypeFinding() {
        #expect(DirectoryElements.validate(["a", "b"], mode: .complete).pairs == [" type"])
    }

    @Test func wrongTypes() {
        let object = Samples.with(Samples.directory, ["name": 12, "isPublic": "maybe", "serviceObject": ["1", 2]])
        #expect(DirectoryElements.validate(object, mode: .complete).pairs == ["isPublic type", "name type", "serviceObject[1] type"])
    }

    @Test func codeTableValuesMustBeValid() {
        let object = Samples.with(Samples.directory, ["itemType": "行政审查", "handlingForm": ["1", "7"]])
        let findings = DirectoryElements.validate(object, mode: .complete)
        #expect(findings.pairs == ["handlingForm[1] code", "itemType code"])
        #expect(findings.last?.message.contains("事项类型 (item type)") == true)
    }

    @Test func duplicateCodesInAList() {
        let object = Samples.with(Samples.directory, "handlingForm", ["1", "窗口办理"])
        #expect(DirectoryElements.validate(object, mode: .complete).pairs == ["handlingForm[1] duplicate"])
    }

    @Test func labelsAreAcceptedAndNormalisedToCodes() {
        let object = Samples.with(Samples.directory, [
            "itemType": "行政审批", "serviceObject": "个人（含个体工商户）", "handlingForm": "窗口办理、网上办理", "isPublic": "是",
        ])
        #expect(DirectoryElements.validate(object, mode: .complete) == [])
        let (normalised, findings) = DirectoryElements.normalise(object)
        #expect(findings == [])
        #expect(normalised["itemType"] == "01")
        #expect(normalised["serviceObject"] == ["1"])
        #expect(normalised["handlingForm"] == ["1", "2"])
        #expect(normalised["isPublic"] == true)
        #expect(DirectoryElements.normalise(normalised).0 == normalised)
    }

    @Test func legalPersonWordingExpandsToEveryLegalPersonCode() {
        let (normalised, _) = DirectoryElements.normalise(["serviceObject": "法人（含其他组织）"])
        #expect(normalised["serviceObject"] == ["2", "3", "4", "5", "6"])
    }

    @Test func asciiParenthesesAreAccepted() {
        let (normalised, findings) = DirectoryElements.normalise(["serviceObject": "个人(含个体工商户)"])
        #expect(findings == [])
        #expect(normalised["serviceObject"] == ["1"])
    }

    @Test func normaliseReportsWhatItCannotConvertAndKeepsIt() {
        let (normalised, findings) = DirectoryElements.normalise(["itemType": "许可", "name": "其他材料", "isPublic": "否"])
        #expect(findings.pairs == ["itemType code"])
        #expect(normalised["itemType"] == "许可")
        #expect(normalised["isPublic"] == false)
    }

    @Test func notPublicNeedsTheBasisDocument() {
        let hidden = Samples.with(Samples.directory, "isPublic", false)
        let findings = DirectoryElements.validate(hidden, mode: .complete)
        #expect(findings.pairs == ["nonPublicBasis required"])
        #expect(findings.first?.message.contains("note 11") == true)
        let withBasis = Samples.with(hidden, "nonPublicBasis", "区保密委〔2024〕3号")
        #expect(DirectoryElements.validate(withBasis, mode: .complete) == [])
        #expect(DirectoryElements.validate(["isPublic": "否"], mode: .partial) == [])
        #expect(DirectoryElements.validate(["isPublic": false, "nonPublicBasis": ""], mode: .partial).pairs == ["nonPublicBasis required"])
    }

    @Test func vagueWordingInEveryTextField() {
        let object = Samples.with(Samples.directory, [
            "name": "其他材料审核", "content": "报有关部门审批", "implementingBody": "有关部门",
            "legalBasis": "依据其它材料", "nonPublicBasis": "有关部门文件",
        ])
        let findings = DirectoryElements.validate(object, mode: .complete)
        #expect(findings.pairs == ["content vagueWording", "implementingBody vagueWording", "legalBasis vagueWording",
                                   "name vagueWording", "nonPublicBasis vagueWording"])
        #expect(findings.first?.message.contains("有关部门") == true)
    }

    @Test func themeMustMatchTheServiceObject() {
        let personOnly = Samples.with(Samples.directory, ["serviceObject": ["1"], "theme": "投资审批"])
        let findings = DirectoryElements.validate(personOnly, mode: .complete)
        #expect(findings.pairs == ["theme theme"])
        let legal = Samples.with(Samples.directory, ["serviceObject": ["2"], "theme": "投资审批"])
        #expect(DirectoryElements.validate(legal, mode: .complete) == [])
        #expect(DirectoryElements.validate(["theme": "婚姻登记"], mode: .partial) == [])
        #expect(DirectoryElements.validate(["theme": "天气"], mode: .partial).pairs == ["theme theme"])
    }

    @Test func mergingAppliesAChange() {
        let merged = ElementObject.merging(["name": "新", "theme": .null], into: Samples.directory)
        #expect(merged["name"] == "新")
        #expect(merged["theme"] == nil)
        #expect(DirectoryElements.validate(merged, mode: .complete).pairs == ["theme required"])
        // As canonical bytes, the same; a stored value that is not an object counts as an empty one.
        let bytes = ElementObject.merging(CanonicalJSON(["name": "新", "theme": .null]), into: CanonicalJSON(Samples.directory))
        #expect(bytes == CanonicalJSON(merged))
        #expect(ElementObject.merging(CanonicalJSON(["name": "新"]), into: CanonicalJSON("x")) == CanonicalJSON(["name": "新"]))
    }
}
