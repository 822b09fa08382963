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
    /// Types whose data the projector does not read: what they change is their type.
    case unitDissolved
    case adjustmentApproved
    case adjustmentForwarded
    case adjustmentArchived
    /// A type the projector does not know (raw `events.append` use): skipped.
    case none

    /// The payload kind of each type the projector folds: one hash lookup per event, where
    /// comparing the type with each known name in turn cost more than reading small payloads.
    private enum Kind {
        case unitRegistered, unitRenamed, unitZeroReported, unitDissolved
        case adjustmentSubmitted, adjustmentReturned, adjustmentResubmitted, adjustmentApproved, adjustmentPublished
        case adjustmentFiled, adjustmentForwarded, adjustmentArchived, adjustmentGuideUpdated
        case filingSubmitted, filingForwarded
        case itemRecorded, itemAdded, itemChanged, itemDelegated, itemCancelled, itemReinstated
        case entryRecorded, entryAdded, entryChanged, entryCancelled, entrySuperseded
        case noticeIssued, noticeRectified, calendarPublished
    }

    private static let kinds: [String: Kind] = [
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
        func d<T: Decodable>(_ t: T.Type) throws -> T { try source.decode(t) }
        guard let kind = Self.kinds[type] else {
            try source.check()
            self = .none
            return
        }
        switch kind {
        case .unitRegistered: self = .unitRegistered(try d(UnitRegistered.self))
        case .unitRenamed: self = .unitRenamed(try d(UnitRenamed.self))
        case .unitZeroReported: self = .unitZeroReported(try d(UnitZeroReported.self))
        case .unitDissolved: try source.check(); self = .unitDissolved
        case .adjustmentSubmitted: self = .adjustmentSubmitted(try d(AdjustmentSubmitted.self))
        case .adjustmentReturned: self = .adjustmentReturned(try d(AdjustmentReturned.self))
        case .adjustmentResubmitted: self = .adjustmentResubmitted(try d(AdjustmentResubmitted.self))
        case .adjustmentApproved: try source.check(); self = .adjustmentApproved
        case .adjustmentPublished: self = .adjustmentPublished(try d(AdjustmentPublished.self))
        case .adjustmentFiled: self = .adjustmentFiled(try d(AdjustmentFiled.self))
        case .adjustmentForwarded: try source.check(); self = .adjustmentForwarded
        case .adjustmentArchived: try source.check(); self = .adjustmentArchived
        case .adjustmentGuideUpdated: self = .adjustmentGuideUpdated(try d(AdjustmentGuideUpdated.self))
        case .filingSubmitted: self = .filingSubmitted(try d(FilingSubmitted.self))
        case .filingForwarded: self = .filingForwarded(try d(FilingForwarded.self))
        case .itemRecorded: self = .itemRecorded(try d(ItemRecorded.self))
        case .itemAdded: self = .itemAdded(try d(ItemAdded.self))
        case .itemChanged: self = .itemChanged(try d(ItemChanged.self))
        case .itemDelegated: self = .itemDelegated(try d(ItemDelegated.self))
        case .itemCancelled: self = .itemCancelled(try d(ItemCancelled.self))
        case .itemReinstated: self = .itemReinstated(try d(ItemReinstated.self))
        case .entryRecorded: self = .entryRecorded(try d(EntryRecorded.self))
        case .entryAdded: self = .entryAdded(try d(EntryAdded.self))
        case .entryChanged: self = .entryChanged(try d(EntryChanged.self))
        case .entryCancelled: self = .entryCancelled(try d(EntryCancelled.self))
        case .entrySuperseded: self = .entrySuperseded(try d(EntrySuperseded.self))
        case .noticeIssued: self = .noticeIssued(try d(NoticeIssued.self))
        case .noticeRectified: self = .noticeRectified(try d(NoticeRectified.self))
        case .calendarPublished: self = .calendarPublished(try d(CalendarPublished.self))
        }
    }
}

/// Where a payload is decoded from.
protocol PayloadSource {
    func decode<T: Decodable>(_ type: T.Type) throws -> T
    /// Checks data that nothing decodes (types whose data the projector does not read), as a
    /// decoding would check it.
    func check() throws
}

/// A payload as a tree, decoded by `JSONValueDecoder`.
struct TreeSource: PayloadSource {
    let value: JSONValue
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoder().decode(T.self, from: value) }
    /// A tree was checked as it was parsed.
    func check() {}
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
