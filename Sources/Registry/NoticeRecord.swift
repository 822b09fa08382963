import EventLog

/// A rectification notice (督促整改): the reform office orders a unit to fix an omission or a missed
/// filing within a number of working days (seed 000 §4).
public struct NoticeRecord: Codable, Sendable, Equatable {
    public var id: String
    public var unit: String
    /// What is to be fixed, e.g. an adjustment id or a catalogue item.
    public var subject: String
    public var reason: String
    public var workingDays: Int
    public var issuedAt: Timestamp
    public var rectifiedAt: Timestamp?
    public var rectification: String?
    public var version: UInt64

    enum CodingKeys: String, CodingKey { case id, unit, subject, reason, workingDays, issuedAt, rectifiedAt, rectification, version }
}

struct NoticeIssued: Codable, Sendable {
    var id: String, unit: String, subject: String, reason: String, workingDays: Int
    enum CodingKeys: String, CodingKey { case id, unit, subject, reason, workingDays }
}

struct NoticeRectified: Codable, Sendable {
    var note: String
    enum CodingKeys: String, CodingKey { case note }
}
