import EventLog
import ShixiangCodes

/// A registered unit (实施机构 / 单位) as the registry knows it now.
public struct UnitRecord: Codable, Sendable, Equatable {
    /// The unified social credit code (统一社会信用代码).
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var level: ExerciseLevel
    /// For a township: its supervising district department, which files its adjustments.
    public var guidingUnit: String?
    /// Whether the code passes the GB 32100 check digit (real registered codes sometimes do not).
    public var checkDigitValid: Bool
    public var dissolved: Bool
    public var registeredAt: Timestamp
    /// Explicit zero reports (seed 001 §4): the unit has no public-service items.
    public var zeroReports: [ZeroReport]
    /// The unit stream's version.
    public var version: UInt64

    enum CodingKeys: String, CodingKey {
        case code, name, kind, level, guidingUnit, checkDigitValid, dissolved, registeredAt, zeroReports, version
    }
}

/// A unit's statement that it has no items of a category (零报告).
public struct ZeroReport: Codable, Sendable, Equatable {
    /// What is reported empty, e.g. `publicService`.
    public var category: String
    public var note: String
    public var at: Timestamp

    enum CodingKeys: String, CodingKey { case category, note, at }
}
