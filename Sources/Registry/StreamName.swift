/// The log streams of the registry's aggregates.
public enum StreamName {
    public static func unit(_ code: String) -> String { "unit/\(code)" }
    public static func item(_ code: String) -> String { "item/\(code)" }
    public static func entry(_ code: String) -> String { "entry/\(code)" }
    public static func adjustment(_ id: String) -> String { "adjustment/\(id)" }
    public static func filing(_ id: String) -> String { "filing/\(id)" }
    public static func notice(_ id: String) -> String { "notice/\(id)" }
    /// The working-day calendar's notices (one stream for the country's calendar).
    public static let calendar = "calendar/cn"

    /// The aggregate kind and key of a stream name, e.g. `("item", "000104002000")`: split at the
    /// first `/` byte (searched in the UTF-8, not character by character: this runs for every event
    /// a rebuild folds).
    public static func parse(_ stream: String) -> (kind: String, key: String)? {
        let utf8 = stream.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return (String(Substring(utf8[..<slash])), String(Substring(utf8[utf8.index(after: slash)...])))
    }
}
