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
        seq = text.seq
        version = text.version
        recordedAt = text.recordedAt
        effectiveAt = text.effectiveAt
        (streamKind, key) = Self.split(text.stream)
        if let known = KnownEventTypes.find(text.type) {
            type = known.name
            payload = try Payload(kind: known.kind, BytesSource(bytes: data))
            return
        }
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

    /// A stream name's kind and key, split at the first `/` as ``StreamName/parse(_:)`` splits it.
    static func split(_ stream: UnsafeBufferPointer<UInt8>) -> (kind: String?, key: String) {
        guard let slash = stream.firstIndex(of: UInt8(ascii: "/")) else { return (nil, String(decoding: stream, as: UTF8.self)) }
        return (String(decoding: UnsafeBufferPointer(rebasing: stream[..<slash]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: stream[(slash + 1)...]), as: UTF8.self))
    }

    static func split(_ stream: String) -> (kind: String?, key: String) {
        guard let (kind, key) = StreamName.parse(stream) else { return (nil, stream) }
        return (kind, key)
    }
}

/// The event types the projector folds, found by the bytes of their names (no string made, no
/// `Hasher`): an open-addressed table keyed by FNV-1a.
enum KnownEventTypes {
    private struct Slot {
        let bytes: [UInt8]
        let name: String
        let kind: Payload.Kind
    }

    private static let mask = 127
    private static let slots: [Slot?] = {
        var slots = [Slot?](repeating: nil, count: mask + 1)
        precondition(Payload.kinds.count <= (mask + 1) / 2, "the table of known event types must stay at most half full")
        for (name, kind) in Payload.kinds {
            let bytes = Array(name.utf8)
            var i = hash(bytes.withUnsafeBufferPointer { $0 }) & mask
            while slots[i] != nil { i = (i + 1) & mask }
            slots[i] = Slot(bytes: bytes, name: name, kind: kind)
        }
        return slots
    }()

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The shared name and the payload kind of the type spelt by `bytes`, if the projector folds it.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String, kind: Payload.Kind)? {
        var i = hash(bytes) & mask
        while let slot = slots[i] {
            if slot.bytes.count == bytes.count, slot.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return (slot.name, slot.kind)
            }
            i = (i + 1) & mask
        }
        return nil
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
