import LMDB
import ShixiangJSON

/// The fields of a stored event that a fold needs, read in place from the stored record by a
/// ``JSONReader`` (no `JSONValue` tree, no UUID, hash or actor decoded); `data` is left as bytes.
/// The envelope fields of a stored event as text that lies in its record (see
/// ``StoredEventFields/readText(record:seq:_:)``): `stream` and `type` are valid only during the
/// call that hands them over.
public struct StoredEventText {
    public var seq: UInt64
    public var stream: UnsafeBufferPointer<UInt8>
    public var version: UInt64
    public var type: UnsafeBufferPointer<UInt8>
    public var recordedAt: Timestamp
    public var effectiveAt: Timestamp?

    /// The same fields, with the stream and the type made strings.
    public var fields: StoredEventFields {
        StoredEventFields(seq: seq, stream: String(decoding: stream, as: UTF8.self), version: version,
                          type: String(decoding: type, as: UTF8.self), recordedAt: recordedAt, effectiveAt: effectiveAt)
    }
}

public struct StoredEventFields: Sendable {
    public var seq: UInt64
    public var stream: String
    public var version: UInt64
    public var type: String
    public var recordedAt: Timestamp
    public var effectiveAt: Timestamp?

    public init(seq: UInt64, stream: String, version: UInt64, type: String, recordedAt: Timestamp, effectiveAt: Timestamp?) {
        self.seq = seq
        self.stream = stream
        self.version = version
        self.type = type
        self.recordedAt = recordedAt
        self.effectiveAt = effectiveAt
    }

    /// The fields of an envelope already decoded.
    public init(_ e: EventEnvelope) {
        self.init(seq: e.seq, stream: e.stream, version: e.version, type: e.type, recordedAt: e.recordedAt, effectiveAt: e.effectiveAt)
    }

    /// Calls `body` with these fields as text (stream and type as UTF-8 bytes).
    public func withText<R>(_ body: (StoredEventText) throws -> R) rethrows -> R {
        var stream = self.stream, type = self.type  // native strings: their bytes, not copies
        return try stream.withUTF8 { stream in
            try type.withUTF8 { type in
                try body(StoredEventText(seq: seq, stream: stream, version: version, type: type, recordedAt: recordedAt, effectiveAt: effectiveAt))
            }
        }
    }

    /// ``read(record:seq:_:)``, handing `body` the fields as they lie in the record: the stream and
    /// the type as UTF-8 bytes, for a reader that makes of them what it needs (a fold interns the
    /// type and keeps only the stream's key), with no string made for either here.
    public static func readText<R>(record: UnsafeRawBufferPointer, seq expectedSeq: UInt64,
                                   _ body: (StoredEventText, UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard record.count > LogKeys.recordHeader, record[0] == LogKeys.recordFormat else {
            throw EventLogError.corruptRecord(seq: expectedSeq, reason: "record header is not format \(LogKeys.recordFormat)")
        }
        let canonical = UnsafeRawBufferPointer(rebasing: record[LogKeys.recordHeader...])
        if let (text, data) = readCanonicalText(canonical, expectedSeq: expectedSeq) {
            do {
                return try body(text, UnsafeRawBufferPointer(rebasing: canonical[data]))
            } catch {
                // The position reader takes everything between `data`'s start and the fixed tail
                // as `data`. If that did not decode, the record is read again as JSON: a record
                // with members the log does not write is split as JSON splits it (and `body` runs
                // again), a malformed one reports its own fault, and otherwise `body`'s error stands.
                let (general, generalData) = try readGeneral(canonical, expectedSeq: expectedSeq)
                guard generalData != data else { throw error }
                return try general.withText { try body($0, UnsafeRawBufferPointer(rebasing: canonical[generalData])) }
            }
        }
        let (fields, data) = try readGeneral(canonical, expectedSeq: expectedSeq)
        return try fields.withText { try body($0, UnsafeRawBufferPointer(rebasing: canonical[data])) }
    }

    /// Reads a stored record (format byte, hash, canonical JSON) and calls `body` with its fields
    /// and the canonical bytes of its `data` member, which are valid only during the call.
    ///
    /// Checks the presence and type of every field read and that the stated seq is `seq`. A record
    /// laid out as the log writes it is read by position (``readCanonical(_:expectedSeq:)``): its
    /// `actor` stepped over by structure, its fixed-form tail read from the end, and `data` taken
    /// as what lies between (the payload decoder checks `data` as it reads it). Any other record is
    /// checked whole as JSON, as ``EventEnvelope``'s decoding does. Throws
    /// ``EventLogError/corruptRecord(seq:reason:)`` naming what is wrong. `body` may be called a
    /// second time if it throws (see the fallback in the code), so it must not have effects that
    /// a throw leaves behind.
    public static func read<R>(record: UnsafeRawBufferPointer, seq expectedSeq: UInt64,
                               _ body: (StoredEventFields, UnsafeRawBufferPointer) throws -> R) throws -> R {
        try readText(record: record, seq: expectedSeq) { text, data in try body(text.fields, data) }
    }

    /// Reads a record's canonical JSON as JSON, whatever its layout, checking every field as
    /// ``EventEnvelope``'s decoding does.
    private static func readGeneral(_ canonical: UnsafeRawBufferPointer, expectedSeq: UInt64) throws -> (StoredEventFields, Range<Int>) {
        var seq: UInt64?, version: UInt64?
        var stream: String?, type: String?
        var recordedAt: Timestamp?, effectiveAt: Timestamp?
        var data: Range<Int>?
        var sawActor = false, sawID = false, sawPrev = false
        func bad(_ reason: String) -> EventLogError { .corruptRecord(seq: expectedSeq, reason: reason) }
        do {
            var r = JSONReader(canonical)
            try r.beginObject()
            while let name = try r.nextMember() {
                if name == "data" {
                    data = try r.valueRange()
                } else if name == "seq" {
                    let v = try r.readInteger()
                    guard v >= 0 else { throw bad("field seq is not a non-negative integer") }
                    seq = UInt64(v)
                } else if name == "version" {
                    let v = try r.readInteger()
                    guard v >= 0 else { throw bad("field version is not a non-negative integer") }
                    version = UInt64(v)
                } else if name == "stream" {
                    stream = try r.readString()
                } else if name == "type" {
                    type = try r.readString()
                } else if name == "recordedAt" {
                    guard let t = try r.withString({ Timestamp(rfc3339: $0) }) else { throw bad("field recordedAt is not a timestamp") }
                    recordedAt = t
                } else if name == "effectiveAt" {
                    guard let t = try r.withString({ Timestamp(rfc3339: $0) }) else { throw bad("field effectiveAt is not a timestamp") }
                    effectiveAt = t
                } else {
                    if name == "actor" { sawActor = true } else if name == "id" { sawID = true } else if name == "prevHash" { sawPrev = true }
                    try r.skipValue()
                }
            }
            try r.end()
        } catch let error as EventLogError {
            throw error
        } catch let error as JSONParseError {
            throw bad("stored JSON does not parse: \(error.message)")
        }
        guard sawActor else { throw bad("field actor is missing") }
        guard let data else { throw bad("field data is missing") }
        guard sawID else { throw bad("field id is missing") }
        guard sawPrev else { throw bad("field prevHash is missing") }
        guard let recordedAt else { throw bad("field recordedAt is missing") }
        guard let seq else { throw bad("field seq is missing") }
        guard seq == expectedSeq else { throw bad("the record states seq \(seq)") }
        guard let stream else { throw bad("field stream is missing") }
        guard let type else { throw bad("field type is missing") }
        guard let version else { throw bad("field version is missing") }
        return (StoredEventFields(seq: seq, stream: stream, version: version, type: type, recordedAt: recordedAt, effectiveAt: effectiveAt), data)
    }
}

extension LogQueries {
    /// Calls `body` with the fields and `data` bytes of the event at `seq` (see
    /// ``StoredEventFields/read(record:seq:_:)``), or returns nil past the head.
    public func withStoredEvent<T: TransactionReading & ~Copyable, R>(_ txn: borrowing T, seq: UInt64,
                                                                     _ body: (StoredEventFields, UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try BigEndianKey.bytes(seq).withUnsafeBytes { key in
            try txn.withValue(dbs.events, key: key) { value in
                guard let value else { return nil }
                return try StoredEventFields.read(record: value, seq: seq, body)
            }
        }
    }
}
