import EventLog
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// One unit's implementation of a catalogue item (实施清单 entry) as it stands now.
public struct ImplementationEntryRecord: Codable, Sendable, Equatable {
    /// The 实施编码: unit credit code + exercise level + 基本编码.
    public var code: String
    public var unit: String
    public var basicCode: String
    public var level: ExerciseLevel
    public var status: EntryStatus
    /// The implementation fields, keyed by `ImplementationField.key`, kept as canonical JSON with
    /// the changes not yet merged in (a fold merges them as bytes, once, when the entry is
    /// written): ``fieldsJSON`` is the object, ``fields`` its value.
    public var fieldsPatched: PatchedObject
    public var fieldsJSON: CanonicalJSON {
        get { fieldsPatched.object }
        set { fieldsPatched = PatchedObject(newValue) }
    }
    public var fields: JSONValue {
        get { fieldsJSON.value }
        set { fieldsJSON = CanonicalJSON(newValue) }
    }
    public var updatedAt: Timestamp
    public var lastAdjustment: String?
    /// For a split entry: the finer entries (业务办理项编码) it became.
    public var splitInto: [String]?
    /// For an entry superseded by a level change: the new 实施编码.
    public var supersededBy: String?
    public var version: UInt64

    enum CodingKeys: String, CodingKey {
        case code, unit, basicCode, level, status, fieldsPatched = "fields", updatedAt, lastAdjustment, splitInto, supersededBy, version
    }

    public var name: String { fieldsJSON.member("name")?.stringValue ?? "" }
}

/// Whether an implementation entry is in force.
public enum EntryStatus: String, Codable, Sendable, CaseIterable {
    case inUse
    case cancelled
    /// Replaced by a finer split or by a new code after a level change.
    case superseded

    public var label: String {
        switch self {
        case .inUse: "在用"
        case .cancelled: "取消"
        case .superseded: "已调整"
        }
    }
}
