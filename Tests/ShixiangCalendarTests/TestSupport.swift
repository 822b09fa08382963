import ShixiangTestSupport
import Testing
import ShixiangCalendar

/// Parses a date literal used in a test; records an issue (and returns 1970-01-01) if invalid.
func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CivilDate {
    guard let date = CivilDate(iso: text) else {
        Issue.record("bad date literal \(text)", sourceLocation: sourceLocation)
        return CivilDate(dayNumber: 0)
    }
    return date
}

