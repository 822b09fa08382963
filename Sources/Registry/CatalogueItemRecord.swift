import EventLog
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// A catalogue item (基本目录 entry) as it stands now.
public struct CatalogueItemRecord: Codable, Sendable, Equatable {
    /// The 基本编码.
    public var code: String
    /// The 9 directory elements, keyed by `DirectoryElement.key`, kept as canonical JSON with
    /// the changes not yet merged in (a fold merges them as bytes, once, when the item is
    /// written): ``elementsJSON`` is the object, ``elements`` its value.
    public var elementsPatched: PatchedObject
    public var elementsJSON: CanonicalJSON {
        get { elementsPatched.object }
        set { elementsPatched = PatchedObject(newValue) }
    }
    public var elements: JSONValue {
        get { elementsJSON.value }
        set { elementsJSON = CanonicalJSON(newValue) }
    }
    public var status: ItemStatus
    public var powerSource: PowerSource
    /// The level that exercises the item, when set by a delegation or take-over.
    public var exerciseLevel: ExerciseLevel?
    /// When the current state took legal effect.
    public var effectiveAt: Timestamp?
    public var updatedAt: Timestamp
    /// The adjustment that last changed it (absent for items recorded by import).
    public var lastAdjustment: String?
    /// For a merged-away item: the item it was merged into.
    public var mergedInto: String?
    /// For a cancelled item: the legality-review document.
    public var legalityReview: String?
    /// The item stream's version.
    public var version: UInt64

    enum CodingKeys: String, CodingKey {
        case code, elementsPatched = "elements", status, powerSource, exerciseLevel, effectiveAt, updatedAt, lastAdjustment, mergedInto, legalityReview, version
    }

    /// The item's name (事项名称).
    public var name: String { elementsJSON.member("name")?.stringValue ?? "" }
}
