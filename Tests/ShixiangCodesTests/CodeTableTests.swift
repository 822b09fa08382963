import Foundation
import Testing
import ShixiangCodes

@Suite("Code tables")
struct CodeTableTests {
    @Test func itemTypeStandardCodes() {
        #expect(ItemType.allCases.map(\.code) == ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"])
        #expect(ItemType(code: "01") == .licensing)
        #expect(ItemType.licensing.label == "行政许可")
        #expect(ItemType(code: "10")?.label == "其他行政权力")
        #expect(ItemType(code: "20") == .publicService)
        #expect(ItemType.publicService.isPublicService)
        #expect(ItemType.adjudication.isAdministrativePower)
    }

    @Test func itemTypeLocalExtensions() {
        #expect(ItemType(code: "11") == .localExtension(11))
        #expect(ItemType(code: "19") == .localExtension(19))
        #expect(ItemType(code: "21") == .localExtension(21))
        #expect(ItemType(code: "99")?.code == "99")
        #expect(ItemType(code: "11")?.isAdministrativePower == true)
        #expect(ItemType(code: "21")?.isPublicService == true)
        #expect(ItemType(code: "11")?.label == "地方扩展行政权力事项类型")
        #expect(ItemType(code: "11")?.isLocalExtension == true)
    }

    @Test(arguments: ["1", "001", "1A", "", "１１", " 01", "-1"])
    func itemTypeRejects(_ code: String) {
        #expect(ItemType(code: code) == nil)
    }

    @Test func itemTypeNumberAndLabels() {
        #expect(ItemType(number: 1) == .licensing)
        #expect(ItemType(number: 20) == .publicService)
        #expect(ItemType(number: 100) == nil)
        #expect(ItemType(number: -1) == nil)
        #expect(ItemType(label: "行政审批") == .licensing)
        #expect(ItemType(label: "行政许可") == .licensing)
        #expect(ItemType(label: "基本公共教育") == .publicService)
        #expect(ItemType(label: "行政备案") == nil)
        #expect(ItemType.seedCategoryLabels.count == 20)
    }

    @Test func numericTables() {
        #expect(ExerciseLevel.allCases.map(\.code) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(ExerciseLevel(code: "4") == .county)
        #expect(ExerciseLevel.county.filingFormLabel == "区级")
        #expect(ExerciseLevel.township.filingFormLabel == "乡镇级")
        #expect(ExerciseLevel.city.filingFormLabel == nil)
        #expect(BodyNature.allCases.map(\.code) == ["1", "2", "3", "9"])
        #expect(BodyNature(code: "3")?.label == "受委托组织")
        #expect(ServiceObject.allCases.map(\.code) == ["1", "2", "3", "4", "5", "6"])
        #expect(ServiceObject.naturalPerson.isNaturalPerson)
        #expect(HandlingForm.allCases.map(\.code) == ["1", "2", "3", "4", "9"])
        #expect(HandlingForm(code: "5") == nil)
        #expect(CaseType(code: "1")?.label == "即办件")
        #expect(CaseType(code: "2")?.label == "承诺件")
        #expect(CaseType.allCases.map(\.code) == ["1", "2", "9"])
        #expect(PowerSource.allCases.map(\.label) == ["法定本级行使", "上级下放", "上级授权", "同级授权", "上级委托", "同级委托"])
    }

    @Test func namedTables() {
        #expect(ItemStatus.allCases.map(\.code) == ["inUse", "suspended", "cancelled"])
        #expect(ItemStatus.allCases.map(\.label) == ["在用", "暂停", "取消"])
        #expect(ItemStatus.inUse.acceptsApplications)
        #expect(!ItemStatus.cancelled.acceptsApplications)
        #expect(UnitKind.allCases.map(\.label) == ["区级职能部门", "乡镇（街道）", "审改办", "司法局", "行政服务中心", "其他"])
        #expect(UnitKind(code: "serviceCentre") == .serviceCentre)
        #expect(UnitKind(code: "ServiceCentre") == nil)
        #expect(CatalogueAdjustmentKind.allCases.map(\.label) == ["新增", "承接", "下放（委托）", "取消", "合并", "变更", "其他"])
        #expect(CatalogueAdjustmentKind.allCases.map(\.code) == ["add", "takeOver", "delegate", "cancel", "merge", "change", "other"])
        #expect(CatalogueAdjustmentKind.change.needsDescription)
        #expect(!CatalogueAdjustmentKind.merge.needsDescription)
        #expect(ImplementationAdjustmentKind.allCases.map(\.code)
            == ["claim", "followCatalogue", "split", "cancel", "changeLevel", "change", "add", "other"])
        #expect(ImplementationAdjustmentKind.change.label == "变更（名称、设立依据）")
    }

    @Test func filingRequirementForChanges() {
        let change = ImplementationAdjustmentKind.change
        #expect(change.requiresFiling(changedFields: [.name]))
        #expect(change.requiresFiling(changedFields: [.legalBasis, .place]))
        #expect(!change.requiresFiling(changedFields: [.place, .hours, .materials]))
        #expect(!change.requiresFiling(changedFields: []))
        #expect(ImplementationAdjustmentKind.split.requiresFiling())
        #expect(ImplementationAdjustmentKind.claim.requiresFiling(changedFields: [.place]))
        #expect(ImplementationAdjustmentKind.claim.filingFormLabel == "其他")
        #expect(ImplementationAdjustmentKind.changeLevel.filingFormLabel == "调整行使层级")
        // The form's boxes, in order, are exactly the labels of the kinds it has boxes for.
        let onForm = [ImplementationAdjustmentKind.followCatalogue, .split, .cancel, .changeLevel, .change, .other]
        #expect(onForm.map(\.filingFormLabel) == FilingFormField.implementationAdjustment.options)
    }

    @Test func codableAsCodeString() throws {
        let encoded = try JSONEncoder().encode([ItemType.licensing, .localExtension(11), .publicService])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["01","11","20"]"#)
        let decoded = try JSONDecoder().decode([ItemType].self, from: Data(#"["00","21"]"#.utf8))
        #expect(decoded == [.administrativePower, .localExtension(21)])
        let status = try JSONEncoder().encode(ItemStatus.suspended)
        #expect(String(decoding: status, as: UTF8.self) == #""suspended""#)
    }

    @Test func decodingUnknownCodeNamesTableAndValidCodes() {
        do {
            _ = try JSONDecoder().decode(ExerciseLevel.self, from: Data(#""8""#.utf8))
            Issue.record("expected an error")
        } catch let error as CodeTableError {
            #expect(error.table == "行使层级 (exercise level)")
            #expect(error.code == "8")
            #expect(error.description.contains("行使层级 (exercise level): unknown code \"8\""))
            #expect(error.description.contains("1 国家级"))
            #expect(error.description.contains("7 分级行使"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: CodeTableError.self) { try ItemStatus.parse("active") }
        let message = (try? ItemType.parse("x1")).map { _ in "" } ?? ItemType.validCodesDescription
        #expect(message.contains("local extensions 11–19"))
    }

    @Test func codeLabelPairs() throws {
        #expect(CaseType.promised.codeLabel == CodeLabel(code: "2", label: "承诺件"))
        #expect(BodyNature.codeLabels.count == 4)
        let json = try JSONEncoder().encode(ItemType.licensing.codeLabel)
        let back = try JSONDecoder().decode(CodeLabel.self, from: json)
        #expect(back == CodeLabel(code: "01", label: "行政许可"))
        #expect(ItemType.licensing.description == "01 行政许可")
    }

    @Test func valueForLabel() {
        #expect(HandlingForm.value(forLabel: "网上办理") == .online)
        #expect(CaseType.value(forLabel: "承诺件") == .promised)
        #expect(CaseType.value(forLabel: "承诺") == nil)
    }
}
