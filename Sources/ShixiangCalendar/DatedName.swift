/// A date with the name of the holiday it belongs to, e.g. `2025-01-28 Spring Festival`.
///
/// Codable as `{"date": "YYYY-MM-DD", "name": "…"}`, the entry format of `cn-workcalendar.json`.
/// The name is not validated here; `YearNotice` validates the names it is given.
public struct DatedName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The calendar date.
    public let date: CivilDate
    /// The holiday the date belongs to (for a make-up workday: the holiday it compensates).
    public let name: String

    public init(date: CivilDate, name: String) {
        self.date = date
        self.name = name
    }

    public var description: String { "\(date) \(name)" }
}
