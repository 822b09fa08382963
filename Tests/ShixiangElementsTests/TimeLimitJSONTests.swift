import ShixiangCodes
import ShixiangElements
import ShixiangJSON
import Testing

@Suite("TimeLimit JSON form")
struct TimeLimitJSONTests {
    @Test(arguments: [
        ("20个工作日", 20, TimeLimit.Unit.workingDays), ("20工作日", 20, .workingDays), ("15个自然日", 15, .naturalDays),
        ("2小时", 2, .hours), ("即办", 0, .immediate), ("当场办结", 0, .immediate), (" ３个工作日 ", 3, .workingDays),
    ])
    func text(_ text: String, _ value: Int, _ unit: TimeLimit.Unit) throws {
        let limit = try TimeLimit.read(json: .string(text))
        #expect(limit.value == value)
        #expect(limit.unit == unit)
        #expect(limit.jsonValue == ["value": .int(Int64(value)), "unit": .string(unit.code)])
    }

    @Test func objects() throws {
        #expect(try TimeLimit.read(json: ["value": 20, "unit": "workingDays"]) == TimeLimit.workingDays(20))
        #expect(try TimeLimit.read(json: ["unit": "immediate"]) == TimeLimit.immediate)
        #expect(try TimeLimit.read(json: ["value": 5, "unit": "immediate"]) == TimeLimit.immediate)
        #expect(try TimeLimit.read(json: ["value": 3.0, "unit": "自然日"]) == TimeLimit.naturalDays(3))
    }

    @Test func errors() {
        #expect(throws: TimeLimitReadError.self) { try TimeLimit.read(json: "20天") }
        #expect(throws: TimeLimitReadError.missingUnit) { try TimeLimit.read(json: ["value": 1]) }
        #expect(throws: TimeLimitReadError.missingValue) { try TimeLimit.read(json: ["unit": "hours"]) }
        #expect(throws: TimeLimitReadError.unknownUnit("weeks")) { try TimeLimit.read(json: ["value": 1, "unit": "weeks"]) }
        #expect(throws: TimeLimitReadError.unknownKey("days")) { try TimeLimit.read(json: ["days": 1, "unit": "hours"]) }
        #expect(throws: TimeLimitReadError.valueNotInteger("1.5")) { try TimeLimit.read(json: ["value": 1.5, "unit": "hours"]) }
        #expect(throws: TimeLimitReadError.negative(-2)) { try TimeLimit.read(json: ["value": -2, "unit": "hours"]) }
        #expect(throws: TimeLimitReadError.wrongType("array")) { try TimeLimit.read(json: [1]) }
    }
}
