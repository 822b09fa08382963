import Foundation

extension WorkingDayCalendar {
    /// Name of the shipped data file (in the module bundle).
    public static let builtInResourceName = "cn-workcalendar.json"

    /// The calendar of the shipped State Council notices (2004–2026 at the time of writing),
    /// loaded from the module's `cn-workcalendar.json` once per process and then reused.
    /// Throws `resourceMissing` / `malformedData` / a notice contract error if the data is broken.
    public static func builtIn() throws(CalendarError) -> WorkingDayCalendar {
        try builtInCache.get()
    }

    private static let builtInCache: Result<WorkingDayCalendar, CalendarError> =
        Result { () throws(CalendarError) -> WorkingDayCalendar in
            guard let url = Bundle.module.url(forResource: "cn-workcalendar", withExtension: "json") else {
                throw CalendarError.resourceMissing(builtInResourceName)
            }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw CalendarError.malformedData("cannot read \(builtInResourceName): \(error)")
            }
            return try WorkingDayCalendar(workCalendarJSON: data)
        }

    /// Builds a calendar from data in the `cn-workcalendar.json` format
    /// (`{"years": {"2025": {"holidays": [{"date", "name"}], "workdays": [...]}}, …}`).
    public init(workCalendarJSON data: Data) throws(CalendarError) {
        let file: WorkCalendarFile
        do {
            file = try JSONDecoder().decode(WorkCalendarFile.self, from: data)
        } catch let error as CalendarError {
            throw error
        } catch {
            throw CalendarError.malformedData(String(describing: error))
        }
        self.init(notices: try file.notices())
    }
}
