import EventLog
import ShixiangCodes
import ShixiangJSON

/// Reads older event shapes as the current ones, so history recorded under an earlier version
/// folds like new history. The log keeps the old bytes untouched (its hashes depend on them);
/// only the reading changes.
///
/// Registered upcasts:
/// - `unit.registered.v0` → `unit.registered.v1`: the draft shape named the unit kind `type`, gave
///   the level as its Chinese label and had no `checkDigitValid` (computed here from the code).
public enum Upcaster {
    /// The event as its current version (unchanged if it is current or unknown).
    public static func upcast(_ e: EventEnvelope) -> EventEnvelope {
        guard needsUpcast(e.type) else { return e }
        var e = e
        (e.type, e.data) = upcast(type: e.type, data: e.data)
        return e
    }

    /// Whether events of `type` are read through an upcast.
    public static func needsUpcast(_ type: String) -> Bool {
        type == "unit.registered.v0"
    }

    /// The type and data of an event as its current version.
    public static func upcast(type: String, data: JSONValue) -> (type: String, data: JSONValue) {
        switch type {
        case "unit.registered.v0":
            var data = data
            data["kind"] = data["type"]
            data["type"] = nil
            if let level = data["level"]?.stringValue, ExerciseLevel(code: level) == nil, let coded = ExerciseLevel.value(forLabel: level) {
                data["level"] = .string(coded.code)
            }
            let code = data["code"]?.stringValue ?? ""
            data["checkDigitValid"] = .bool((try? UnifiedSocialCreditCode(code))?.checkDigitValid ?? false)
            return (EventType.unitRegistered, data)
        default:
            return (type, data)
        }
    }
}
