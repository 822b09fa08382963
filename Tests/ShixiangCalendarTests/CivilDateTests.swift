import Foundation
import Testing
import ShixiangCalendar

@Suite("CivilDate")
struct CivilDateTests {
    @Test("strict ISO parsing accepts real dates only", arguments: [
        ("2024-02-29", true), ("2025-02-29", false), ("2025-1-5", false), ("2025-01-05", true),
        ("2025-13-01", false), ("2025-00-10", false), ("2025-04-31", false), ("2025-12-31", true),
        (" 2025-01-05", false), ("2025-01-05 ", false), ("2025/01/05", false), ("20250105", false),
        ("+025-01-05", false), ("2025-01-0a", false), ("", false), ("1900-02-29", false), ("2000-02-29", true),
        ("２０２５-01-05", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((CivilDate(iso: text) != nil) == valid)
    }

    @Test func parsedFieldsAndDescriptionRoundTrip() throws {
        let date = try #require(CivilDate(iso: "2024-02-29"))
        #expect(date.year == 2024 && date.month == 2 && date.day == 29)
        #expect(date.description == "2024-02-29")
        #expect(try CivilDate(year: 5, month: 3, day: 7).description == "0005-03-07")
    }

    @Test func validatingInitializerThrows() {
        #expect(throws: CalendarError.invalidDate(year: 2025, month: 2, day: 29)) {
            try CivilDate(year: 2025, month: 2, day: 29)
        }
        #expect(throws: CalendarError.self) { try CivilDate(year: 2025, month: 0, day: 1) }
        #expect(throws: CalendarError.self) { try CivilDate(year: 2025, month: 6, day: 31) }
    }

    @Test func dayNumberMatchesKnownValues() throws {
        #expect(try CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(try CivilDate(year: 1969, month: 12, day: 31).dayNumber == -1)
        #expect(try CivilDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        // 2025-01-01T00:00:00Z is 1_735_689_600 seconds after the epoch.
        #expect(try CivilDate(year: 2025, month: 1, day: 1).dayNumber == 1_735_689_600 / 86_400)
    }

    @Test func dayNumberRoundTripsOverFourCenturies() {
        // Every day of two 400-year cycles around the epoch: inverse functions, consecutive dates.
        var previous = CivilDate(dayNumber: -146_097 - 1)
        var failures: [Int] = []
        for number in -146_097...146_097 {
            let date = CivilDate(dayNumber: number)
            let consecutive = date.day == 1
                ? previous.day == CivilDate.daysInMonth(year: previous.year, month: previous.month)
                    && (date.month == previous.month % 12 + 1)
                : previous.day + 1 == date.day && previous.month == date.month && previous.year == date.year
            if date.dayNumber != number || !(previous < date) || !consecutive {
                failures.append(number)
            }
            previous = date
        }
        #expect(failures.isEmpty, "first failing day numbers: \(failures.prefix(5))")
    }

    @Test("weekday of known dates", arguments: [
        ("1970-01-01", 4), ("2000-01-01", 6), ("2024-02-10", 6), ("2024-02-18", 7),
        ("2025-01-26", 7), ("2025-10-01", 3), ("2025-12-31", 3), ("2026-01-04", 7), ("1949-10-01", 6),
    ])
    func weekday(text: String, expected: Int) throws {
        let date = try #require(CivilDate(iso: text))
        #expect(date.weekday == expected)
        #expect(date.isWeekend == (expected >= 6))
    }

    @Test func addingDaysCrossesMonthsAndYears() throws {
        let date = try #require(CivilDate(iso: "2024-12-31"))
        #expect(date.adding(days: 1).description == "2025-01-01")
        #expect(date.adding(days: -366).description == "2023-12-31")
        #expect(try #require(CivilDate(iso: "2024-02-28")).adding(days: 1).description == "2024-02-29")
        #expect(date.days(until: date.adding(days: 40)) == 40)
        #expect(date.dayOfYear == 365)
    }

    @Test func chinaDateNearMidnightUTC() throws {
        // 2024-12-31T15:59:59Z is 23:59:59 in Beijing; one second later it is 2025-01-01 there.
        let beforeMidnight = Date(timeIntervalSince1970: 1_735_660_799)
        #expect(CivilDate.chinaDate(of: beforeMidnight).description == "2024-12-31")
        #expect(CivilDate.chinaDate(of: beforeMidnight.addingTimeInterval(1)).description == "2025-01-01")
        // Just before the Unix epoch: 1969-12-31T16:00:00Z is already 1970-01-01 in Beijing.
        #expect(CivilDate.chinaDate(of: Date(timeIntervalSince1970: -8 * 3600)).description == "1970-01-01")
        #expect(CivilDate.chinaDate(of: Date(timeIntervalSince1970: -8 * 3600 - 0.5)).description == "1969-12-31")
    }

    @Test func chinaDayBounds() throws {
        let date = try #require(CivilDate(iso: "2025-01-01"))
        #expect(date.chinaStartOfDay == Date(timeIntervalSince1970: 1_735_660_800))
        #expect(date.chinaEndOfDay == Date(timeIntervalSince1970: 1_735_660_800 + 86_400))
        #expect(CivilDate.chinaDate(of: date.chinaStartOfDay) == date)
        #expect(CivilDate.chinaDate(of: date.chinaEndOfDay.addingTimeInterval(-0.001)) == date)
    }

    @Test func codableAsISOString() throws {
        let date = try #require(CivilDate(iso: "2025-10-08"))
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2025-10-08\"]")
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data("[\"2025-2-8\"]".utf8))
        }
    }
}
