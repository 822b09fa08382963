import Testing
import ShixiangCodes

@Suite("不确定性表述")
struct VagueWordingTests {
    @Test func flagsBothSeedPhrases() {
        let text = "申请表；营业执照；其他材料。由有关部门出具证明"
        let findings = VagueWording.findings(in: text, field: "申请材料")
        #expect(findings.map(\.phrase) == ["其他材料", "有关部门"])
        #expect(findings.map(\.position) == [10, 16])
        #expect(findings.allSatisfy { $0.field == "申请材料" && $0.source == "seed 004 §14" })
        #expect(findings[0].description.contains("申请材料: 不确定性表述 (vague wording) “其他材料” at character 10"))
    }

    @Test func cleanTextHasNoFindings() {
        #expect(VagueWording.findings(in: "身份证；户口簿；区民政局出具的证明", field: "申请材料").isEmpty)
        #expect(VagueWording.findings(in: "", field: "x").isEmpty)
    }

    @Test func repeatedAndVariantOccurrences() {
        let findings = VagueWording.findings(in: "其他材料、其它材料、其他材料", field: "f")
        #expect(findings.map(\.phrase) == ["其他材料", "其它材料", "其他材料"])
        #expect(findings.map(\.position) == [1, 6, 11])
    }

    @Test func extensible() {
        let rules = VagueWording.standard.adding(.init(phrase: "相关部门", reason: "须写明具体部门", source: "local rule"))
        let findings = rules.findings(in: "报相关部门审核", field: "办理流程")
        #expect(findings.count == 1)
        #expect(findings.first?.source == "local rule")
        #expect(findings.first?.excerpt == "报相关部门审核")
        #expect(VagueWording(terms: []).findings(in: "其他材料", field: "f").isEmpty)
    }
}
