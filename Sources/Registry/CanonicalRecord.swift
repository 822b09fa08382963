import EventLog
import ShixiangCalendar
import ShixiangCodes
import ShixiangJSON

/// A record that writes its canonical JSON directly, byte for byte what
/// `JSONValueEncoder().encode(record).canonicalBytes()` gives (tests hold them to it), without
/// building the intermediate tree: for the kinds a rebuild writes by the million.
protocol CanonicalRecord {
    /// Appends the record's canonical JSON to `bytes` (a rebuild packs many records into one buffer).
    func appendCanonical(to bytes: inout [UInt8]) throws
}

extension CanonicalRecord {
    /// The record's canonical JSON on its own.
    func canonicalBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        try appendCanonical(to: &bytes)
        return bytes
    }
}

/// Kinds written too rarely for a writer of their own take the general path.
extension UnitRecord: CanonicalRecord {
    func appendCanonical(to bytes: inout [UInt8]) throws { bytes += try JSONValueEncoder().encode(self).canonicalBytes() }
}

extension YearNotice: CanonicalRecord {
    func appendCanonical(to bytes: inout [UInt8]) throws { bytes += try JSONValueEncoder().encode(self).canonicalBytes() }
}

/// Writes an object's members, which the caller gives in the byte order of their names.
struct CanonicalObjectWriter {
    private(set) var bytes: [UInt8] = []
    private var empty = true

    /// A writer that goes on at the end of `bytes`, taking its storage over (no copy): give it
    /// back with `bytes = writer.finish()`.
    init(appendingTo bytes: inout [UInt8]) {
        swap(&self.bytes, &bytes)
        self.bytes.append(UInt8(ascii: "{"))
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

    mutating func member(_ key: StaticString, _ value: CanonicalJSON) {
        name(key)
        value.write(into: &bytes)
    }

    mutating func member(_ key: StaticString, _ value: String) {
        name(key)
        EnvelopeText.appendString(value, to: &bytes)
    }

    mutating func member(_ key: StaticString, _ value: UInt64) {
        name(key)
        EnvelopeText.appendInteger(value, to: &bytes)
    }

    mutating func member(_ key: StaticString, _ value: Int64) {
        name(key)
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        EnvelopeText.appendInteger(value.magnitude, to: &bytes)
    }

    mutating func member(_ key: StaticString, _ value: Int) { member(key, Int64(value)) }

    mutating func member(_ key: StaticString, _ value: Bool) {
        name(key)
        bytes.append(contentsOf: value ? Self.trueText : Self.falseText)
    }

    mutating func member(_ key: StaticString, _ value: Timestamp) {
        name(key)
        bytes.append(UInt8(ascii: "\""))
        value.appendRFC3339(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func member(_ key: StaticString, _ value: String?) { if let value { member(key, value) } }
    mutating func member(_ key: StaticString, _ value: Timestamp?) { if let value { member(key, value) } }

    /// An array of strings.
    mutating func member(_ key: StaticString, _ values: [String]) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            EnvelopeText.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func member(_ key: StaticString, _ values: [String]?) { if let values { member(key, values) } }

    /// An array of objects, each written by `write` as the members of its own object.
    mutating func member<Element>(_ key: StaticString, objects: [Element], _ write: (Element, inout CanonicalObjectWriter) -> Void) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (i, element) in objects.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            object(element, write)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An optional object member (left out when nil), written by `write`.
    mutating func member<Element>(_ key: StaticString, object element: Element?, _ write: (Element, inout CanonicalObjectWriter) -> Void) {
        guard let element else { return }
        name(key)
        object(element, write)
    }

    /// Writes a nested object in place, into the same buffer.
    private mutating func object<Element>(_ element: Element, _ write: (Element, inout CanonicalObjectWriter) -> Void) {
        var inner = CanonicalObjectWriter(appendingTo: &bytes)
        write(element, &inner)
        bytes = inner.finish()
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}

extension CatalogueItemRecord: CanonicalRecord {
    func appendCanonical(to out: inout [UInt8]) {
        var w = CanonicalObjectWriter(appendingTo: &out)
        w.member("code", code)
        w.member("effectiveAt", effectiveAt)
        w.member("elements", elementsJSON)
        w.member("exerciseLevel", exerciseLevel?.code)
        w.member("lastAdjustment", lastAdjustment)
        w.member("legalityReview", legalityReview)
        w.member("mergedInto", mergedInto)
        w.member("powerSource", powerSource.code)
        w.member("status", status.code)
        w.member("updatedAt", updatedAt)
        w.member("version", version)
        out = w.finish()
    }
}

extension ImplementationEntryRecord: CanonicalRecord {
    func appendCanonical(to out: inout [UInt8]) {
        var w = CanonicalObjectWriter(appendingTo: &out)
        w.member("basicCode", basicCode)
        w.member("code", code)
        w.member("fields", fieldsJSON)
        w.member("lastAdjustment", lastAdjustment)
        w.member("level", level.code)
        if let splitInto { w.member("splitInto", .array(splitInto.map { .string($0) })) }
        w.member("status", status.rawValue)
        w.member("supersededBy", supersededBy)
        w.member("unit", unit)
        w.member("updatedAt", updatedAt)
        w.member("version", version)
        out = w.finish()
    }
}

extension AdjustmentRecord: CanonicalRecord {
    func appendCanonical(to out: inout [UInt8]) {
        var w = CanonicalObjectWriter(appendingTo: &out)
        w.member("basis", basis)
        w.member("changes", changesJSON)
        w.member("effectiveAt", effectiveAt)
        w.member("evidence", objects: evidence) { e, o in
            o.member("name", e.name)
            o.member("sha256", e.sha256)
            o.member("size", e.size)
        }
        w.member("filer", filer)
        w.member("filing", filing)
        w.member("filingRequired", filingRequired)
        w.member("history", objects: history) { h, o in
            o.member("at", h.at)
            o.member("reason", h.reason)
            o.member("seq", h.seq)
            o.member("status", h.status.rawValue)
        }
        w.member("id", id)
        w.member("kind", kind)
        w.member("list", list.rawValue)
        w.member("offlineGuide", object: offlineGuide) { g, o in
            o.member("at", g.at)
            o.member("note", g.note)
            o.member("seq", g.seq)
        }
        w.member("publishedChannels", publishedChannels)
        w.member("reason", reason)
        w.member("returnReason", returnReason)
        w.member("status", status.rawValue)
        w.member("target", target)
        w.member("unit", unit)
        w.member("version", version)
        out = w.finish()
    }
}

extension FilingRecord: CanonicalRecord {
    func appendCanonical(to out: inout [UInt8]) {
        var w = CanonicalObjectWriter(appendingTo: &out)
        w.member("adjustments", adjustments)
        w.member("form", formJSON)
        w.member("forwardedAt", forwardedAt)
        w.member("forwardedTo", forwardedTo)
        w.member("id", id)
        w.member("submittedAt", submittedAt)
        w.member("unit", unit)
        w.member("version", version)
        out = w.finish()
    }
}

extension NoticeRecord: CanonicalRecord {
    func appendCanonical(to out: inout [UInt8]) {
        var w = CanonicalObjectWriter(appendingTo: &out)
        w.member("id", id)
        w.member("issuedAt", issuedAt)
        w.member("reason", reason)
        w.member("rectification", rectification)
        w.member("rectifiedAt", rectifiedAt)
        w.member("subject", subject)
        w.member("unit", unit)
        w.member("version", version)
        w.member("workingDays", workingDays)
        out = w.finish()
    }
}
