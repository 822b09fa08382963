import Foundation
import Testing
import ShixiangCodes

@Suite("Element definitions")
struct ElementDefinitionTests {
    @Test func directoryElementsMatchAnnex3() {
        #expect(DirectoryElement.headers == ["事项名称", "事项类型", "行使内容", "实施机构名称", "服务对象", "服务主题", "设定依据", "办理形式", "是否公开"])
        #expect(DirectoryElement.allCases.count == 9)
        #expect(DirectoryElement.allCases.allSatisfy { $0.isRequired })
        #expect(DirectoryElement.sequenceHeader == "序号")
        #expect(DirectoryElement(header: "实施机构名称") == .implementingBody)
        #expect(DirectoryElement(key: "isPublic")?.header == "是否公开")
        #expect(DirectoryElement.implementingBody.implementationField == .implementingBody)
        #expect(DirectoryElement.theme.implementationField == nil)
        #expect(DirectoryElement.personThemes.count == 31)
        #expect(DirectoryElement.legalPersonThemes.count == 34)
        #expect(DirectoryElement.legalPersonThemes.first == "设立变更")
        #expect(DirectoryElement.legalPersonThemes.last == "其他")
        #expect(DirectoryElement.personThemes.contains("社会保障（社会保险、社会救助）"))
    }

    @Test func implementationFieldsMatchAnnex4() {
        #expect(ImplementationField.allCases.count == 36)
        #expect(ImplementationField.allCases.map(\.number) == Array(1...36))
        #expect(ImplementationField.headers == [
            "基本编码", "实施编码", "事项名称", "事项类型", "设定依据", "行使层级", "权限划分", "行使内容", "实施机构",
            "实施主体性质", "法定办结时限", "受理条件", "申请材料", "联办机构", "中介服务", "办理流程", "数量限制",
            "结果名称", "结果样本", "是否收费", "收费标准", "收费依据", "服务对象", "办件类型", "承诺办结时限",
            "通办范围", "办理形式", "是否支持预约办理", "是否支持网上支付", "是否支持物流快递", "运行系统",
            "办理地点", "办理时间", "咨询电话", "常见问题", "监督电话",
        ])
        #expect(Set(ImplementationField.allCases.map(\.key)).count == 36)
        // 36 rows minus the two system-assigned codes = the "34项要素" of the plan's text.
        #expect(ImplementationField.allCases.filter { $0.requirement != .systemAssigned }.count == 34)
        #expect(ImplementationField.basicCode.instruction == "（不填）。")
        #expect(ImplementationField.jointBodies.instruction == "同一事项有2个以上实施机构，填写本栏，否则填“无”。")
        #expect(ImplementationField.legalBasis.instruction.hasPrefix("1．法律《ⅹⅹ法》第ⅹ条"))
        #expect(ImplementationField.authorityDivision.requirement == .conditional("多级共有事项必填"))
        #expect(!ImplementationField.feeStandard.isRequired)
        #expect(ImplementationField.name.isRequired)
    }

    @Test func structuredAndFilingFlags() {
        let structured = ImplementationField.allCases.filter(\.isStructured)
        #expect(structured == [.materials, .feeStandard, .feeBasis, .faq])
        let filing = ImplementationField.allCases.filter(\.changeRequiresFiling)
        #expect(filing == [.name, .legalBasis])
        #expect(ImplementationField.materialAttributes.count == 9)
        #expect(ImplementationField.caseType.seedValues == ["承诺件", "即办件"])
        #expect(ImplementationField.handlingScope.seedValues == ["全国", "跨省市", "跨区（县）"])
        #expect(ImplementationField(header: "常见问题") == .faq)
        #expect(ImplementationField(key: "complaintPhone")?.header == "监督电话")
        #expect(ImplementationField.procedure.valueKind == .attachment)
    }

    @Test func implementationFieldCodable() throws {
        let data = try JSONEncoder().encode([ImplementationField.name, .legalBasis])
        #expect(String(decoding: data, as: UTF8.self) == #"["name","legalBasis"]"#)
        #expect(try JSONDecoder().decode([ImplementationField].self, from: data) == [.name, .legalBasis])
        #expect(throws: CodeTableError.self) {
            try JSONDecoder().decode(ImplementationField.self, from: Data(#""title""#.utf8))
        }
    }

    @Test func filingFormMatchesAnnex2() {
        #expect(FilingFormField.allCases.map(\.label) == ["实施/指导单位", "政务服务事项名称", "行使层级", "基本目录", "实施清单", "调整详情", "调整依据", "备注"])
        #expect(FilingFormField.headers == ["实施/指导单位", "政务服务事项名称", "行使层级", "调整内容（基本目录）", "调整内容（实施清单）", "调整详情", "调整依据", "备注"])
        #expect(FilingFormField.exerciseLevel.options == ["区级", "乡镇级"])
        #expect(FilingFormField.catalogueAdjustment.options == ["新增", "承接", "下放（委托）", "取消", "合并", "变更", "其他"])
        #expect(FilingFormField.unit.requiresSeal)
        #expect(!FilingFormField.remarks.isRequired)
        #expect(FilingFormField.basis.isRequired)
        #expect(FilingFormField(header: "调整内容（实施清单）") == .implementationAdjustment)
        #expect(FilingFormField(header: "备注") == .remarks)
        #expect(FilingFormField.seedTitle == "黔江区政务服务事项动态调整备案表")
        #expect(FilingFormField.notes.count == 3)
    }
}
