import ShixiangCodes
import ShixiangJSON

extension TimeLimit {
    /// The stored form: `{"value": 20, "unit": "workingDays"}`; 即办 is `{"value": 0, "unit": "immediate"}`.
    public var jsonValue: JSONValue {
        .object(["value": .int(Int64(value)), "unit": .string(unit.code)])
    }

    /// Reads a time limit from its stored form or from text.
    ///
    /// Accepts `{"value": Int ≥ 0, "unit": "workingDays" | "naturalDays" | "hours" | "immediate"}`
    /// (the unit may also be its label 工作日/自然日/小时/即办; `value` may be omitted for
    /// immediate) or a string understood by ``ShixiangCodes/TimeLimit/parse(_:)`` (`"20个工作日"`,
    /// `"即办"` …). Throws a ``TimeLimitReadError`` whose description is a clerk's sentence.
    public static func read(json: JSONValue) throws(TimeLimitReadError) -> TimeLimit {
        switch json {
        case .string(let text):
            do {
                return try TimeLimit.parse(text)
            } catch {
                throw .unreadable(error.description)
            }
        case .object(let members):
            let unknown = members.keys.filter { $0 != "value" && $0 != "unit" }.sorted()
            if let key = unknown.first { throw .unknownKey(key) }
            guard let unitText = members["unit"]?.stringValue else { throw .missingUnit }
            guard let unit = TimeLimit.Unit(code: unitText) ?? TimeLimit.Unit.value(forLabel: unitText) else {
                throw .unknownUnit(unitText)
            }
            let value: Int
            switch members["value"] {
            case nil, .some(.null):
                guard unit == .immediate else { throw .missingValue }
                value = 0
            case .some(let raw):
                guard let number = raw.intValue, let int = Int(exactly: number) else { throw .valueNotInteger(raw.description) }
                value = int
            }
            do {
                return try TimeLimit(value: value, unit: unit)
            } catch {
                throw .negative(value)
            }
        default:
            throw .wrongType(json.typeName)
        }
    }
}

/// Why a JSON value is not a time limit.
public enum TimeLimitReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A string that ``ShixiangCodes/TimeLimit/parse(_:)`` rejects; the parser's sentence.
    case unreadable(String)
    /// An object key other than `value` and `unit`.
    case unknownKey(String)
    /// No `unit` string.
    case missingUnit
    /// A unit that is neither a code nor a label.
    case unknownUnit(String)
    /// No `value` for a unit other than immediate.
    case missingValue
    /// `value` is not an integer.
    case valueNotInteger(String)
    /// `value` is negative.
    case negative(Int)
    /// Neither a string nor an object.
    case wrongType(String)

    /// True for errors about a number out of range rather than an unreadable shape.
    public var isRange: Bool {
        if case .negative = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unreadable(let message): message
        case .unknownKey(let key): "办结时限 (time limit) has an unknown key “\(key)”; use value and unit"
        case .missingUnit: "办结时限 (time limit) needs a unit: workingDays, naturalDays, hours or immediate"
        case .unknownUnit(let unit): "办结时限 (time limit) unit “\(unit)” is unknown; use workingDays (工作日), naturalDays (自然日), hours (小时) or immediate (即办)"
        case .missingValue: "办结时限 (time limit) needs a value (a whole number)"
        case .valueNotInteger(let raw): "办结时限 (time limit) value \(raw) is not a whole number"
        case .negative(let value): "办结时限 (time limit) cannot be negative, got \(value)"
        case .wrongType(let type): "办结时限 (time limit) must be text such as 20个工作日 or an object {value, unit}, got \(type)"
        }
    }
}
