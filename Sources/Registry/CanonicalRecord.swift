import EventLog
import ShixiangCodes
import ShixiangJSON

/// A record that writes its canonical JSON directly, byte for byte what
/// `JSONValueEncoder().encode(record).canonicalBytes()` gives (tests hold them to it), without
/// building the intermediate tree: for the kinds a rebuild writes by the million.
protocol CanonicalRecord {
    func canonicalBytes() -> [UInt8]
}

/// Writes an object's members, which the caller gives in the byte order of their names.
struct CanonicalObjectWriter {
    private(set) var bytes: [UInt8] = []
    private var empty = true

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func name(_ key: StaticString) {
        bytes.append(empty ? UInt8(ascii: "\"") : UInt8(ascii: ","))
        if !empty { bytes.append(UInt8(ascii: "\"")) }
        empty = false
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func member(_ key: StaticString, _ value: JSONValue) {
        name(key)
        value.writeCanonical(into: &bytes)
    }

    mutating func member(_ key: StaticString, _ value: String) { member(key, .string(value)) }
    mutating func member(_ key: StaticString, _ value: UInt64) { member(key, .int(Int64(value))) }
    mutating func member(_ key: StaticString, _ value: Timestamp) { member(key, .string(value.rfc3339)) }
    mutating func member(_ key: StaticString, _ value: String?) { if let value { member(key, .string(value)) } }
    mutating func member(_ key: StaticString, _ value: Timestamp?) { if let value { member(key, value) } }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}

extension CatalogueItemRecord: CanonicalRecord {
    func canonicalBytes() -> [UInt8] {
        var w = CanonicalObjectWriter(capacity: 1024)
        w.member("code", code)
        w.member("effectiveAt", effectiveAt)
        w.member("elements", elements)
        w.member("exerciseLevel", exerciseLevel?.code)
        w.member("lastAdjustment", lastAdjustment)
        w.member("legalityReview", legalityReview)
        w.member("mergedInto", mergedInto)
        w.member("powerSource", powerSource.code)
        w.member("status", status.code)
        w.member("updatedAt", updatedAt)
        w.member("version", version)
        return w.finish()
    }
}

extension ImplementationEntryRecord: CanonicalRecord {
    func canonicalBytes() -> [UInt8] {
        var w = CanonicalObjectWriter(capacity: 2048)
        w.member("basicCode", basicCode)
        w.member("code", code)
        w.member("fields", fields)
        w.member("lastAdjustment", lastAdjustment)
        w.member("level", level.code)
        if let splitInto { w.member("splitInto", .array(splitInto.map { .string($0) })) }
        w.member("status", status.rawValue)
        w.member("supersededBy", supersededBy)
        w.member("unit", unit)
        w.member("updatedAt", updatedAt)
        w.member("version", version)
        return w.finish()
    }
}
