import EventLog
import ShixiangJSON

/// An event as the projector folds it: the envelope fields it reads and its payload, decoded and
/// upcast. Decoding is separate from ``Projector/apply(_:to:_:)-(ProjectedEvent,_,_)`` so that a
/// rebuild decodes on one thread while it folds on another.
public struct ProjectedEvent: Sendable {
    public var fields: StoredEventFields
    var payload: Payload

    public var seq: UInt64 { fields.seq }
    public var stream: String { fields.stream }
    public var version: UInt64 { fields.version }
    public var type: String { fields.type }
    public var recordedAt: Timestamp { fields.recordedAt }
    public var effectiveAt: Timestamp? { fields.effectiveAt }

    /// Decodes an envelope (the log's own decoding: a `JSONValue` tree, then `Codable`).
    public init(_ stored: EventEnvelope) throws {
        let e = Upcaster.upcast(stored)
        var fields = StoredEventFields(e)
        fields.type = e.type
        self.fields = fields
        payload = try Payload(type: e.type, TreeSource(value: e.data))
    }

    /// Decodes an event from its stored bytes: `data` is the canonical JSON of its `data` member
    /// as ``StoredEventFields/read(record:seq:_:)`` hands it over (checked there), decoded in place. Types that need an
    /// upcast go through the tree and the ``Upcaster``.
    public init(fields: StoredEventFields, data: UnsafeRawBufferPointer) throws {
        var fields = fields
        if Upcaster.needsUpcast(fields.type) {
            let (type, value) = Upcaster.upcast(type: fields.type, data: try JSONValue.parse(data))
            fields.type = type
            self.fields = fields
            payload = try Payload(type: type, TreeSource(value: value))
        } else {
            self.fields = fields
            payload = try Payload(type: fields.type, BytesSource(bytes: data))
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
    /// A type whose data the projector does not read (or does not know).
    case none

    /// Decodes the data of an event of `type` from `source`.
    init<S: PayloadSource>(type: String, _ source: S) throws {
        func d<T: Decodable>(_ t: T.Type) throws -> T { try source.decode(t) }
        switch type {
        case EventType.unitRegistered: self = .unitRegistered(try d(UnitRegistered.self))
        case EventType.unitRenamed: self = .unitRenamed(try d(UnitRenamed.self))
        case EventType.unitZeroReported: self = .unitZeroReported(try d(UnitZeroReported.self))
        case EventType.adjustmentSubmitted: self = .adjustmentSubmitted(try d(AdjustmentSubmitted.self))
        case EventType.adjustmentReturned: self = .adjustmentReturned(try d(AdjustmentReturned.self))
        case EventType.adjustmentResubmitted: self = .adjustmentResubmitted(try d(AdjustmentResubmitted.self))
        case EventType.adjustmentPublished: self = .adjustmentPublished(try d(AdjustmentPublished.self))
        case EventType.adjustmentFiled: self = .adjustmentFiled(try d(AdjustmentFiled.self))
        case EventType.adjustmentGuideUpdated: self = .adjustmentGuideUpdated(try d(AdjustmentGuideUpdated.self))
        case EventType.filingSubmitted: self = .filingSubmitted(try d(FilingSubmitted.self))
        case EventType.filingForwarded: self = .filingForwarded(try d(FilingForwarded.self))
        case EventType.itemRecorded: self = .itemRecorded(try d(ItemRecorded.self))
        case EventType.itemAdded, EventType.itemTakenOver: self = .itemAdded(try d(ItemAdded.self))
        case EventType.itemChanged: self = .itemChanged(try d(ItemChanged.self))
        case EventType.itemDelegated: self = .itemDelegated(try d(ItemDelegated.self))
        case EventType.itemCancelled: self = .itemCancelled(try d(ItemCancelled.self))
        case EventType.itemReinstated: self = .itemReinstated(try d(ItemReinstated.self))
        case EventType.entryRecorded: self = .entryRecorded(try d(EntryRecorded.self))
        case EventType.entryAdded: self = .entryAdded(try d(EntryAdded.self))
        case EventType.entryChanged: self = .entryChanged(try d(EntryChanged.self))
        case EventType.entryCancelled: self = .entryCancelled(try d(EntryCancelled.self))
        case EventType.entrySplit, EventType.entryLevelChanged: self = .entrySuperseded(try d(EntrySuperseded.self))
        case EventType.noticeIssued: self = .noticeIssued(try d(NoticeIssued.self))
        case EventType.noticeRectified: self = .noticeRectified(try d(NoticeRectified.self))
        case EventType.calendarPublished: self = .calendarPublished(try d(CalendarPublished.self))
        default: self = .none
        }
    }
}

/// Where a payload is decoded from.
protocol PayloadSource {
    func decode<T: Decodable>(_ type: T.Type) throws -> T
}

/// A payload as a tree, decoded by `JSONValueDecoder`.
struct TreeSource: PayloadSource {
    let value: JSONValue
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoder().decode(T.self, from: value) }
}

/// A payload as canonical bytes, decoded in place by `JSONBytesDecoder`.
struct BytesSource: PayloadSource {
    let bytes: UnsafeRawBufferPointer
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let direct = T.self as? any ReaderDecodable.Type {
            var r = JSONReader(bytes)
            let value = try direct.init(reader: &r)
            try r.end()
            return value as! T
        }
        return try JSONBytesDecoder(inputChecked: true).decode(T.self, from: bytes)
    }
}
