import EventLog
import ShixiangCalendar
import ShixiangCodes
import ShixiangJSON

// The data of each event type, with explicit keys. Changing a payload's shape means a new
// versioned type and an upcaster, never an edit here.

struct UnitRegistered: Codable, Sendable {
    var code: String, name: String, kind: UnitKind, level: ExerciseLevel, guidingUnit: String?, checkDigitValid: Bool
    enum CodingKeys: String, CodingKey { case code, name, kind, level, guidingUnit, checkDigitValid }
}

struct UnitRenamed: Codable, Sendable {
    var name: String
    enum CodingKeys: String, CodingKey { case name }
}

struct UnitDissolved: Codable, Sendable {
    var reason: String
    enum CodingKeys: String, CodingKey { case reason }
}

struct UnitZeroReported: Codable, Sendable {
    var category: String, note: String
    enum CodingKeys: String, CodingKey { case category, note }
}

struct AdjustmentSubmitted: Codable, Sendable {
    var id: String, unit: String, list: AdjustmentList, kind: String, target: String, changes: CanonicalJSON
    var basis: String, reason: String, evidence: [Evidence], filingRequired: Bool, filer: String
    enum CodingKeys: String, CodingKey { case id, unit, list, kind, target, changes, basis, reason, evidence, filingRequired, filer }
}

struct AdjustmentReturned: Codable, Sendable {
    var reason: String
    enum CodingKeys: String, CodingKey { case reason }
}

struct AdjustmentResubmitted: Codable, Sendable {
    var changes: CanonicalJSON, basis: String, reason: String, evidence: [Evidence], filingRequired: Bool
    enum CodingKeys: String, CodingKey { case changes, basis, reason, evidence, filingRequired }
}

struct AdjustmentPublished: Codable, Sendable {
    var channels: [String]
    enum CodingKeys: String, CodingKey { case channels }
}

struct AdjustmentFiled: Codable, Sendable {
    var filing: String
    enum CodingKeys: String, CodingKey { case filing }
}

struct AdjustmentForwarded: Codable, Sendable {
    var filing: String, to: [String]
    enum CodingKeys: String, CodingKey { case filing, to }
}

struct AdjustmentGuideUpdated: Codable, Sendable {
    var note: String
    enum CodingKeys: String, CodingKey { case note }
}

struct FilingSubmitted: Codable, Sendable {
    var id: String, unit: String, adjustments: [String], form: CanonicalJSON
    enum CodingKeys: String, CodingKey { case id, unit, adjustments, form }
}

struct FilingForwarded: Codable, Sendable {
    var to: [String]
    enum CodingKeys: String, CodingKey { case to }
}

/// `catalogue.itemAdded.v1`, `catalogue.itemRecorded.v1` (import) and the add half of a take-over or merge.
struct ItemAdded: Codable, Sendable {
    var code: String, elements: CanonicalJSON, powerSource: PowerSource, exerciseLevel: ExerciseLevel?, adjustment: String?
    enum CodingKeys: String, CodingKey { case code, elements, powerSource, exerciseLevel, adjustment }
}

struct ItemChanged: Codable, Sendable {
    var code: String, changes: CanonicalJSON, status: ItemStatus?, adjustment: String
    enum CodingKeys: String, CodingKey { case code, changes, status, adjustment }
}

struct ItemDelegated: Codable, Sendable {
    var code: String, exerciseLevel: ExerciseLevel, powerSource: PowerSource, adjustment: String
    enum CodingKeys: String, CodingKey { case code, exerciseLevel, powerSource, adjustment }
}

struct ItemCancelled: Codable, Sendable {
    var code: String, legalityReview: String?, mergedInto: String?, adjustment: String
    enum CodingKeys: String, CodingKey { case code, legalityReview, mergedInto, adjustment }
}

struct ItemReinstated: Codable, Sendable {
    var code: String, adjustment: String
    enum CodingKeys: String, CodingKey { case code, adjustment }
}

/// `implementation.entryAdded.v1` (claim, add, the new entries of a split or level change) and
/// `implementation.entryRecorded.v1` (import).
struct EntryAdded: Codable, Sendable {
    var code: String, unit: String, basicCode: String, level: ExerciseLevel, fields: CanonicalJSON, adjustment: String?
    enum CodingKeys: String, CodingKey { case code, unit, basicCode, level, fields, adjustment }
}

struct EntryChanged: Codable, Sendable {
    var code: String, changes: CanonicalJSON, adjustment: String
    enum CodingKeys: String, CodingKey { case code, changes, adjustment }
}

struct EntryCancelled: Codable, Sendable {
    var code: String, adjustment: String
    enum CodingKeys: String, CodingKey { case code, adjustment }
}

/// The old entry of a split (`into` the new codes) or of a level change (`into` one new code).
struct EntrySuperseded: Codable, Sendable {
    var code: String, into: [String], adjustment: String
    enum CodingKeys: String, CodingKey { case code, into, adjustment }
}

extension JSONValue {
    /// Encodes a payload as event data.
    static func payload(_ value: some Encodable) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }

    /// Decodes event data as a payload.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder().decode(type, from: self)
    }
}

/// Where an imported record came from: the spreadsheet, its digest and the row.
struct ImportSource: Codable, Sendable, Equatable {
    var file: String, sha256: String, line: Int
    enum CodingKeys: String, CodingKey { case file, sha256, line }
}

/// `catalogue.itemRecorded.v1`: an item loaded from a catalogue spreadsheet.
struct ItemRecorded: Codable, Sendable {
    var code: String, elements: CanonicalJSON, status: ItemStatus, powerSource: PowerSource, source: ImportSource
    enum CodingKeys: String, CodingKey { case code, elements, status, powerSource, source }
}

/// `implementation.entryRecorded.v1`: an entry loaded from an implementation-list spreadsheet.
struct EntryRecorded: Codable, Sendable {
    var code: String, unit: String, basicCode: String, level: ExerciseLevel, fields: CanonicalJSON, source: ImportSource
    enum CodingKeys: String, CodingKey { case code, unit, basicCode, level, fields, source }
}

/// `calendar.published.v1`: a year's holiday notice of the State Council, recorded by the reform office.
struct CalendarPublished: Codable, Sendable {
    var notice: YearNotice
    enum CodingKeys: String, CodingKey { case notice }
}
