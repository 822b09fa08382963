import Foundation
import Testing
import ShixiangCodes

@Suite("办结时限")
struct TimeLimitTests {
    @Test func sameUnitComparison() throws {
        let promised = try TimeLimit.workingDays(10)
        let statutory = try TimeLimit.workingDays(20)
        #expect(promised.exceeds(statutory) == false)
        #expect(statutory.exceeds(promised) == true)
        #expect(promised.exceeds(promised) == false)
        #expect(promised.isShorter(than: statutory) == true)
        #expect(promised.isShorter(than: promised) == false)
        #expect(try TimeLimit.hours(3).exceeds(try .hours(2)) == true)
    }

    @Test func immediateIsShortest() throws {
        #expect(TimeLimit.immediate.exceeds(try .hours(1)) == false)
        #expect(TimeLimit.immediate.exceeds(.immediate) == false)
        #expect(try TimeLimit.hours(1).exceeds(.immediate) == true)
        #expect(TimeLimit.immediate.isShorter(than: try .workingDays(1)) == true)
        #expect(TimeLimit.immediate.isShorter(than: .immediate) == false)
        #expect(try TimeLimit.workingDays(0).isImmediate)
        #expect(try TimeLimit(value: 5, unit: .immediate).value == 0)
    }

    @Test func workingVersusNaturalDays() throws {
        // 21 working days always take more than 20 natural days.
        #expect(try TimeLimit.workingDays(21).exceeds(try .naturalDays(20)) == true)
        // 15 working days may or may not fit in 20 natural days: calendar-dependent.
        #expect(try TimeLimit.workingDays(15).exceeds(try .naturalDays(20)) == nil)
        // 20 natural days never outlast 20 working days.
        #expect(try TimeLimit.naturalDays(20).exceeds(try .workingDays(20)) == false)
        #expect(try TimeLimit.naturalDays(25).exceeds(try .workingDays(20)) == nil)
        #expect(try TimeLimit.naturalDays(10).isShorter(than: try .workingDays(20)) == true)
        #expect(try TimeLimit.workingDays(20).isShorter(than: try .naturalDays(20)) == false)
    }

    @Test func hoursVersusDays() throws {
        #expect(try TimeLimit.hours(4).exceeds(try .workingDays(1)) == false)
        #expect(try TimeLimit.hours(16).exceeds(try .workingDays(2)) == false)
        #expect(try TimeLimit.hours(48).exceeds(try .workingDays(2)) == nil)
        #expect(try TimeLimit.hours(49).exceeds(try .naturalDays(2)) == true)
        #expect(try TimeLimit.workingDays(1).exceeds(try .hours(4)) == true)
        #expect(try TimeLimit.workingDays(1).exceeds(try .hours(24)) == nil)
        #expect(try TimeLimit.hours(4).isShorter(than: try .workingDays(1)) == true)
    }

    @Test func compressionRate() throws {
        #expect(TimeLimit.compressionRate(promised: try .workingDays(5), statutory: try .workingDays(20)) == 0.75)
        #expect(TimeLimit.compressionRate(promised: .immediate, statutory: try .workingDays(20)) == 1)
        #expect(TimeLimit.compressionRate(promised: try .workingDays(20), statutory: try .workingDays(20)) == 0)
        #expect(TimeLimit.compressionRate(promised: try .workingDays(30), statutory: try .workingDays(20)) == -0.5)
        #expect(TimeLimit.compressionRate(promised: try .naturalDays(5), statutory: try .workingDays(20)) == nil)
        #expect(TimeLimit.compressionRate(promised: .immediate, statutory: .immediate) == nil)
    }

    @Test func parseAndDescribe() throws {
        #expect(try TimeLimit.parse("20个工作日") == .workingDays(20))
        #expect(try TimeLimit.parse(" 20工作日 ") == .workingDays(20))
        #expect(try TimeLimit.parse("１５个自然日") == .naturalDays(15))
        #expect(try TimeLimit.parse("2小时") == .hours(2))
        #expect(try TimeLimit.parse("即办") == .immediate)
        #expect(try TimeLimit.parse("当场办结") == .immediate)
        #expect(throws: TimeLimitError.ambiguousUnit("20日")) { try TimeLimit.parse("20日") }
        #expect(throws: TimeLimitError.unrecognised("二十个工作日")) { try TimeLimit.parse("二十个工作日") }
        #expect(throws: TimeLimitError.unrecognised("工作日")) { try TimeLimit.parse("工作日") }
        #expect(throws: TimeLimitError.negativeValue(-1)) { try TimeLimit.workingDays(-1) }
        #expect(try TimeLimit.workingDays(20).description == "20个工作日")
        #expect(TimeLimit.immediate.description == "即办")
        #expect(try TimeLimit.hours(2).description == "2小时")
    }

    @Test func codable() throws {
        let limit = try TimeLimit.workingDays(20)
        let data = try JSONEncoder().encode(limit)
        #expect(try JSONDecoder().decode(TimeLimit.self, from: data) == limit)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(TimeLimit.self, from: Data(#"{"value":-2,"unit":"workingDays"}"#.utf8))
        }
        #expect(throws: CodeTableError.self) {
            try JSONDecoder().decode(TimeLimit.self, from: Data(#"{"value":2,"unit":"days"}"#.utf8))
        }
    }
}
