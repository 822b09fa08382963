import EventLog
import Foundation
import ShixiangJSON

/// An event as the projector folds it: the envelope fields it reads and its payload, decoded and
/// upcast. Decoding is separate from ``Projector/apply(_:to:_:)-(ProjectedEvent,_,_)`` so that a
/// rebuild decodes on one thread while it folds on another.
public struct ProjectedEvent: Sendable {
    public let seq: UInt64
    public let version: UInt64
    /// The event's type (for the types the projector folds, the one shared ``EventType`` string).
    public let type: String
    public let recordedAt: Timestamp
    public let effectiveAt: Timestamp?
    /// The stream's kind (the part before its first `/`, as in ``StreamName/parse(_:)``; nil if
    /// it has none) and the key of the record the event belongs to (the part after it; the whole
    /// name if it has none).
    let streamKind: String?
    let key: String
    var payload: Payload

    public var stream: String { streamKind.map { "\($0)/\(key)" } ?? key }
    public var fields: StoredEventFields {
        StoredEventFields(seq: seq, stream: stream, version: version, type: type, recordedAt: recordedAt, effectiveAt: effectiveAt)
    }

    /// Decodes an envelope (the log's own decoding: a `JSONValue` tree, then `Codable`).
    public init(_ stored: EventEnvelope) throws {
        let e = Upcaster.upcast(stored)
        seq = e.seq
        version = e.version
        type = e.type
        recordedAt = e.recordedAt
        effectiveAt = e.effectiveAt
        (streamKind, key) = Self.split(e.stream)
        payload = try Payload(type: e.type, TreeSource(value: e.data))
    }

    /// Decodes an event from its stored fields and bytes (see ``init(text:data:)``).
    public init(fields: StoredEventFields, data: UnsafeRawBufferPointer) throws {
        self = try fields.withText { try ProjectedEvent(text: $0, data: data) }
    }

    /// Decodes an event from its stored bytes: `data` is the canonical JSON of its `data` member
    /// as ``StoredEventFields/readText(record:seq:_:)`` hands it over, decoded in place (and
    /// checked as it is decoded). A known type is found by its bytes, and only the stream's key is
    /// made a string: a rebuild decodes a million of these. Types that need an upcast go through
    /// the tree and the ``Upcaster``.
    public init(text: StoredEventText, data: UnsafeRawBufferPointer) throws {
        // Every member is made first and stored once, at the end: a throwing initialiser that
        // stores members before its last `try` copies the whole event once more (and releases it).
        let type: String, payload: Payload
        if let known = KnownEventTypes.find(text.type) {
            type = known.name
            payload = try Payload(kind: known.kind, BytesSource(bytes: data))
        } else {
            let name = String(decoding: text.type, as: UTF8.self)
            if Upcaster.needsUpcast(name) {
                let (upcast, value) = Upcaster.upcast(type: name, data: try JSONValue.parse(data))
                type = upcast
                payload = try Payload(type: upcast, TreeSource(value: value))
            } else {
                type = name
                payload = try Payload(type: name, BytesSource(bytes: data))
            }
        }
        let (streamKind, key) = Self.split(text.stream)
        self.init(seq: text.seq, version: text.version, type: type, recordedAt: text.recordedAt, effectiveAt: text.effectiveAt,
                  streamKind: streamKind, key: key, payload: payload)
    }

    private init(seq: UInt64, version: UInt64, type: String, recordedAt: Timestamp, effectiveAt: Timestamp?, streamKind: String?, key: String,
                 payload: consuming Payload) {
        self.seq = seq
        self.version = version
        self.type = type
        self.recordedAt = recordedAt
        self.effectiveAt = effectiveAt
        self.streamKind = streamKind
        self.key = key
        self.payload = payload
    }

    /// A stream name's kind and key, split at the first `/` as ``StreamName/parse(_:)`` splits it.
    static func split(_ stream: UnsafeBufferPointer<UInt8>) -> (kind: String?, key: String) {
        guard let slash = stream.firstIndex(of: UInt8(ascii: "/")) else { return (nil, String(decoding: stream, as: UTF8.self)) }
        let kindBytes = UnsafeBufferPointer(rebasing: stream[..<slash])
        return (knownKind(kindBytes) ?? String(decoding: kindBytes, as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: stream[(slash + 1)...]), as: UTF8.self))
    }

    /// The stream kinds the registry writes, as literals: a kind read from a stored event is one of
    /// these, and made from them rather than from its bytes (no check, nothing made).
    private static func knownKind(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        func equals(_ literal: StaticString) -> Bool {
            bytes.count == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
        }
        switch bytes.count {
        case 4: return equals("unit") ? "unit" : equals("item") ? "item" : nil
        case 5: return equals("entry") ? "entry" : nil
        case 6: return equals("filing") ? "filing" : equals("notice") ? "notice" : nil
        case 8: return equals("calendar") ? "calendar" : nil
        case 10: return equals("adjustment") ? "adjustment" : nil
        default: return nil
        }
    }

    static func split(_ stream: String) -> (kind: String?, key: String) {
        guard let (kind, key) = StreamName.parse(stream) else { return (nil, stream) }
        return (kind, key)
    }
}

/// The event types the projector folds, found by the bytes of their names (no string made, no
/// `Hasher`): an open-addressed table whose slots hold each name's length and its first and last
/// eight bytes (all of a name of up to 16 bytes), so that a lookup reads two words of the name,
/// compares words, and touches no reference-counted storage.
enum KnownEventTypes {
    private struct Slot {
        var count = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
        /// Where the name's bytes start in ``bytes``; its place in ``names``. -1: an empty slot.
        var offset = 0
        var index = -1
    }

    private static let mask = 127
    private static let names: [(name: String, kind: Payload.Kind)] = Payload.kinds.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

    /// The slots, and every known name's bytes one after another (never freed).
    private struct Table {
        var slots: [Slot]
        var bytes: UnsafeMutablePointer<UInt8>
    }

    // nonisolated(unsafe): built once, then only read (by lookups on every thread).
    nonisolated(unsafe) private static let table: Table = {
        precondition(names.count <= (mask + 1) / 2, "the table of known event types must stay at most half full")
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: names.reduce(0) { $0 + $1.name.utf8.count })
        var slots = [Slot](repeating: Slot(), count: mask + 1)
        var offset = 0
        for (index, entry) in names.enumerated() {
            let utf8 = Array(entry.name.utf8)
            precondition(utf8.count >= 8, "event type names are at least eight bytes long")
            utf8.withUnsafeBufferPointer { name in
                bytes.advanced(by: offset).update(from: name.baseAddress!, count: name.count)
                let (first, last) = words(name.baseAddress!, name.count)
                var i = hash(count: name.count, first, last) & mask
                while slots[i].index >= 0 { i = (i + 1) & mask }
                slots[i] = Slot(count: name.count, first: first, last: last, offset: offset, index: index)
            }
            offset += utf8.count
        }
        return Table(slots: slots, bytes: bytes)
    }()

    @inline(__always)
    private static func words(_ p: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    @inline(__always)
    private static func hash(count: Int, _ first: UInt64, _ last: UInt64) -> Int {
        var h = (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &+ UInt64(truncatingIfNeeded: count)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The shared name and the payload kind of the type spelt by `bytes`, if the projector folds it.
    static func find(_ text: UnsafeBufferPointer<UInt8>) -> (name: String, kind: Payload.Kind)? {
        let n = text.count
        guard n >= 8, let p = text.baseAddress else { return nil }
        let (first, last) = words(p, n)
        var i = hash(count: n, first, last) & mask
        while true {
            let slot = table.slots[i]
            if slot.index < 0 { return nil }
            if slot.count == n, slot.first == first, slot.last == last, n <= 16 || memcmp(table.bytes + slot.offset + 8, p + 8, n - 16) == 0 {
                return names[slot.index]
            }
            i = (i + 1) & mask
        }
    }
}

/// The decoded data of each event type the projector folds.
enum Payload: Sendable {
    case unitRegistered(UnitRegistered)
    case unitRenamed(UnitRenamed)
    case unitZeroReported(UnitZeroReported)
    case adjustmentSubmitted(AdjustmentSubmitted)
    case adjustmentReturned(AdjustmentReturned)
    case adjustmentResubmitted(AdjustmentResubmitted)
    case adjustmentPublished(AdjustmentPublished)
    case adjustmentFiled(AdjustmentFiled)
    case adjustmentGuideUpdated(AdjustmentGuideUpdated)
    case filingSubmitted(FilingSubmitted)
    case filingForwarded(FilingForwarded)
    case itemRecorded(ItemRecorded)
    case itemAdded(ItemAdded)
    case itemChanged(ItemChanged)
    case itemDelegated(ItemDelegated)
    case itemCancelled(ItemCancelled)
    case itemReinstated(ItemReinstated)
    case entryRecorded(EntryRecorded)
    case entryAdded(EntryAdded)
    case entryChanged(EntryChanged)
    case entryCancelled(EntryCancelled)
    case entrySuperseded(EntrySuperseded)
    case noticeIssued(NoticeIssued)
    case noticeRectified(NoticeRectified)
    case calendarPublished(CalendarPublished)
    /// Types whose data the projector does not read: what they change is their type.
    case unitDissolved
    case adjustmentApproved
    case adjustmentForwarded
    case adjustmentArchived
    /// A type the projector does not know (raw `events.append` use): skipped.
    case none

    /// The payload kind of each type the projector folds: one hash lookup per event, where
    /// comparing the type with each known name in turn cost more than reading small payloads.
    enum Kind {
        case unitRegistered, unitRenamed, unitZeroReported, unitDissolved
        case adjustmentSubmitted, adjustmentReturned, adjustmentResubmitted, adjustmentApproved, adjustmentPublished
        case adjustmentFiled, adjustmentForwarded, adjustmentArchived, adjustmentGuideUpdated
        case filingSubmitted, filingForwarded
        case itemRecorded, itemAdded, itemChanged, itemDelegated, itemCancelled, itemReinstated
        case entryRecorded, entryAdded, entryChanged, entryCancelled, entrySuperseded
        case noticeIssued, noticeRectified, calendarPublished
    }

    static let kinds: [String: Kind] = [
        EventType.unitRegistered: .unitRegistered, EventType.unitRenamed: .unitRenamed,
        EventType.unitZeroReported: .unitZeroReported, EventType.unitDissolved: .unitDissolved,
        EventType.adjustmentSubmitted: .adjustmentSubmitted, EventType.adjustmentReturned: .adjustmentReturned,
        EventType.adjustmentResubmitted: .adjustmentResubmitted, EventType.adjustmentApproved: .adjustmentApproved,
        EventType.adjustmentPublished: .adjustmentPublished, EventType.adjustmentFiled: .adjustmentFiled,
        EventType.adjustmentForwarded: .adjustmentForwarded, EventType.adjustmentArchived: .adjustmentArchived,
        EventType.adjustmentGuideUpdated: .adjustmentGuideUpdated,
        EventType.filingSubmitted: .filingSubmitted, EventType.filingForwarded: .filingForwarded,
        EventType.itemRecorded: .itemRecorded, EventType.itemAdded: .itemAdded, EventType.itemTakenOver: .itemAdded,
        EventType.itemChanged: .itemChanged, EventType.itemDelegated: .itemDelegated,
        EventType.itemCancelled: .itemCancelled, EventType.itemReinstated: .itemReinstated,
        EventType.entryRecorded: .entryRecorded, EventType.entryAdded: .entryAdded, EventType.entryChanged: .entryChanged,
        EventType.entryCancelled: .entryCancelled, EventType.entrySplit: .entrySuperseded, EventType.entryLevelChanged: .entrySuperseded,
        EventType.noticeIssued: .noticeIssued, EventType.noticeRectified: .noticeRectified,
        EventType.calendarPublished: .calendarPublished,
    ]

    /// Decodes the data of an event of `type` from `source`.
    init<S: PayloadSource>(type: String, _ source: S) throws {
        guard let kind = Self.kinds[type] else {
            try source.check()
            self = .none
            return
        }
        try self.init(kind: kind, source)
    }

    /// Decodes the data of an event of the type of `kind` from `source`.
    init<S: PayloadSource>(kind: Kind, _ source: S) throws {
        func d<T: Decodable>(_ t: T.Type) throws -> T { try source.decode(t) }
        func r<T: Decodable & ReaderDecodable>(_ t: T.Type) throws -> T { try source.read(t) }
        switch kind {
        case .unitRegistered: self = .unitRegistered(try d(UnitRegistered.self))
        case .unitRenamed: self = .unitRenamed(try d(UnitRenamed.self))
        case .unitZeroReported: self = .unitZeroReported(try d(UnitZeroReported.self))
        case .unitDissolved: try source.check(); self = .unitDissolved
        case .adjustmentSubmitted: self = .adjustmentSubmitted(try r(AdjustmentSubmitted.self))
        case .adjustmentReturned: self = .adjustmentReturned(try r(AdjustmentReturned.self))
        case .adjustmentResubmitted: self = .adjustmentResubmitted(try r(AdjustmentResubmitted.self))
        case .adjustmentApproved: try source.check(); self = .adjustmentApproved
        case .adjustmentPublished: self = .adjustmentPublished(try r(AdjustmentPublished.self))
        case .adjustmentFiled: self = .adjustmentFiled(try r(AdjustmentFiled.self))
        case .adjustmentForwarded: try source.check(); self = .adjustmentForwarded
        case .adjustmentArchived: try source.check(); self = .adjustmentArchived
        case .adjustmentGuideUpdated: self = .adjustmentGuideUpdated(try r(AdjustmentGuideUpdated.self))
        case .filingSubmitted: self = .filingSubmitted(try r(FilingSubmitted.self))
        case .filingForwarded: self = .filingForwarded(try r(FilingForwarded.self))
        case .itemRecorded: self = .itemRecorded(try r(ItemRecorded.self))
        case .itemAdded: self = .itemAdded(try r(ItemAdded.self))
        case .itemChanged: self = .itemChanged(try r(ItemChanged.self))
        case .itemDelegated: self = .itemDelegated(try d(ItemDelegated.self))
        case .itemCancelled: self = .itemCancelled(try d(ItemCancelled.self))
        case .itemReinstated: self = .itemReinstated(try d(ItemReinstated.self))
        case .entryRecorded: self = .entryRecorded(try r(EntryRecorded.self))
        case .entryAdded: self = .entryAdded(try r(EntryAdded.self))
        case .entryChanged: self = .entryChanged(try r(EntryChanged.self))
        case .entryCancelled: self = .entryCancelled(try d(EntryCancelled.self))
        case .entrySuperseded: self = .entrySuperseded(try d(EntrySuperseded.self))
        case .noticeIssued: self = .noticeIssued(try r(NoticeIssued.self))
        case .noticeRectified: self = .noticeRectified(try d(NoticeRectified.self))
        case .calendarPublished: self = .calendarPublished(try d(CalendarPublished.self))
        }
    }
}

/// Where a payload is decoded from.
protocol PayloadSource {
    func decode<T: Decodable>(_ type: T.Type) throws -> T
    /// Decodes a payload that can also be read member by member (how canonical bytes are read).
    func read<T: Decodable & ReaderDecodable>(_ type: T.Type) throws -> T
    /// Checks data that nothing decodes (types whose data the projector does not read), as a
    /// decoding would check it.
    func check() throws
}

/// A payload as a tree, decoded by `JSONValueDecoder`.
struct TreeSource: PayloadSource {
    let value: JSONValue
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoder().decode(T.self, from: value) }
    func read<T: Decodable & ReaderDecodable>(_ type: T.Type) throws -> T { try decode(T.self) }
    /// A tree was checked as it was parsed.
    func check() {}
}

/// A payload as canonical bytes, decoded in place by `JSONBytesDecoder`.
struct BytesSource: PayloadSource {
    let bytes: UnsafeRawBufferPointer
    func read<T: Decodable & ReaderDecodable>(_ type: T.Type) throws -> T {
        var r = JSONReader(bytes)
        let value = try T(reader: &r)
        try r.end()
        return value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Checked whole first: the envelope reader does not check `data` (see
        // `StoredEventFields.read`), and members no type asks for would go unchecked otherwise.
        return try JSONBytesDecoder().decode(T.self, from: bytes)
    }

    func check() throws {
        var r = JSONReader(bytes)
        try r.skipValue()
        try r.end()
    }
}
