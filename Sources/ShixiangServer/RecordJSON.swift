import Registry
import ShixiangCodes
import ShixiangJSON

/// The registry's records as clients see them: their stored fields plus `labels`, the Chinese
/// labels of every coded field (outputs carry both code and label).
enum RecordJSON {
    static func encode(_ value: some Encodable, labels: [String: String?]) throws -> JSONValue {
        var json = try JSONValueEncoder().encode(value)
        json["labels"] = .object(labels.compactMapValues { $0.map(JSONValue.string) })
        return json
    }

    static func unit(_ u: UnitRecord) throws -> JSONValue {
        try encode(u, labels: ["kind": u.kind.label, "level": u.level.label])
    }

    static func item(_ i: CatalogueItemRecord) throws -> JSONValue {
        try encode(i, labels: ["status": i.status.label, "powerSource": i.powerSource.label, "exerciseLevel": i.exerciseLevel?.label,
                               "itemType": i.elements["itemType"]?.stringValue.flatMap { ItemType(code: $0)?.label }])
    }

    /// A catalogue item from its stored JSON, with the same labels as ``item(_:)`` (without
    /// decoding and re-encoding the record).
    static func item(stored: JSONValue) -> JSONValue {
        var json = stored
        let labels: [String: String?] = [
            "status": stored["status"]?.stringValue.flatMap { ItemStatus(code: $0)?.label },
            "powerSource": stored["powerSource"]?.stringValue.flatMap { PowerSource(code: $0)?.label },
            "exerciseLevel": stored["exerciseLevel"]?.stringValue.flatMap { ExerciseLevel(code: $0)?.label },
            "itemType": stored["elements"]?["itemType"]?.stringValue.flatMap { ItemType(code: $0)?.label },
        ]
        json["labels"] = .object(labels.compactMapValues { $0.map(JSONValue.string) })
        return json
    }

    static func entry(_ e: ImplementationEntryRecord) throws -> JSONValue {
        try encode(e, labels: ["status": e.status.label, "level": e.level.label])
    }

    static func adjustment(_ a: AdjustmentRecord) throws -> JSONValue {
        let kind = a.list == .catalogue
            ? (CatalogueAdjustmentKind(code: a.kind)?.label ?? (a.kind == "reinstate" ? "其他（恢复）" : a.kind))
            : (ImplementationAdjustmentKind(code: a.kind)?.label ?? a.kind)
        return try encode(a, labels: ["status": a.status.label, "list": a.list.label, "kind": kind])
    }

    static func filing(_ f: FilingRecord) throws -> JSONValue {
        try encode(f, labels: [:])
    }
}
