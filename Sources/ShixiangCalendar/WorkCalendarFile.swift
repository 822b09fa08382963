/// The on-disk format of `cn-workcalendar.json`:
/// `{"description"?, "firstYear"?, "lastYear"?, "years": {"2025": {"holidays": [{date, name}], "workdays": [{date, name}]}}}`.
struct WorkCalendarFile: Decodable {
    struct Year: Decodable {
        let holidays: [DatedName]
        let workdays: [DatedName]
    }

    let description: String?
    let firstYear: Int?
    let lastYear: Int?
    let years: [String: Year]

    /// The validated notices, sorted by year. Throws if a year key is not a year, if
    /// `firstYear`/`lastYear` disagree with the keys, or if a year violates a `YearNotice` contract.
    func notices() throws(CalendarError) -> [YearNotice] {
        var notices: [YearNotice] = []
        for (key, entry) in years {
            guard let year = Int(key), String(year) == key else {
                throw CalendarError.malformedData("\"\(key)\" is not a year")
            }
            notices.append(try YearNotice(
                year: year, holidays: entry.holidays, makeupWorkdays: entry.workdays,
                source: "cn-workcalendar.json", title: nil))
        }
        notices.sort { $0.year < $1.year }
        if let firstYear, notices.first?.year != firstYear {
            throw CalendarError.malformedData("firstYear is \(firstYear) but the first listed year is \(notices.first.map { String($0.year) } ?? "none")")
        }
        if let lastYear, notices.last?.year != lastYear {
            throw CalendarError.malformedData("lastYear is \(lastYear) but the last listed year is \(notices.last.map { String($0.year) } ?? "none")")
        }
        if let firstYear, let lastYear, lastYear - firstYear + 1 != notices.count {
            throw CalendarError.malformedData("years \(firstYear)–\(lastYear) are declared but \(notices.count) are listed")
        }
        return notices
    }
}
