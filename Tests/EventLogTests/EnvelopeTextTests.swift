import Foundation
import ShixiangJSON
import ShixiangTestSupport
import Testing

@testable import EventLog

/// The hand-written envelope text must be byte for byte what the general canonical writer makes:
/// every stored hash depends on it.
@Suite struct EnvelopeTextTests {
    static let awkward = ["item/000104002000", "unit/广安区", "a\"quote", "back\\slash", "tab\there", "ctl\u{1}x", "del\u{7f}", "emoji😀", "é"]

    func randomJSON(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.next() % (depth > 2 ? 4 : 6) {
        case 0: return .int(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60))
        case 1: return .string(Self.awkward[Int(rng.next() % UInt64(Self.awkward.count))])
        case 2: return .bool(rng.next() % 2 == 0)
        case 3: return .null
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomJSON(&rng, depth: depth + 1) })
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<Int(rng.next() % 5) { o[Self.awkward[Int(rng.next() % UInt64(Self.awkward.count))] + "\(rng.next() % 10)"] = randomJSON(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    func randomTimestamp(_ rng: inout SplitMix64) -> Timestamp {
        let span = Timestamp.latest.microseconds - Timestamp.earliest.microseconds
        return Timestamp(microseconds: Timestamp.earliest.microseconds + Int64(rng.next() % UInt64(span)))
    }

    @Test func envelopeCanonicalBytesEqualTheGeneralWriter() {
        var rng = SplitMix64(seed: 0xE7)
        for i in 0..<2_000 {
            let data = randomJSON(&rng, depth: 0)
            let envelope = EventEnvelope(
                seq: i % 7 == 0 ? UInt64.max >> 1 : rng.next() % 10_000_000, id: UUID(), stream: Self.awkward[i % Self.awkward.count],
                version: rng.next() % 1000, type: Self.awkward[(i / 3) % Self.awkward.count], recordedAt: randomTimestamp(&rng),
                effectiveAt: i % 2 == 0 ? randomTimestamp(&rng) : nil, actor: i % 5 == 0 ? .null : ["uid": .int(Int64(i)), "principal": "张三"],
                data: .object(["payload": data]), prevHash: (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, hash: [])
            #expect(envelope.canonicalBytes() == envelope.hashedFields.canonicalBytes(), "envelope \(i)")
        }
    }

    /// The reading by position of ``StoredEventFields/readCanonical(_:expectedSeq:)`` finds what the
    /// envelope holds in every record the log writes, awkward actors and data included; it takes
    /// every record whose stream and type are ASCII without escapes or control bytes and leaves the rest to the general reader.
    @Test func recordsAsTheLogWritesThemAreReadByPosition() throws {
        var rng = SplitMix64(seed: 0xC4)
        var byPosition = 0, plainCount = 0
        let names = Self.awkward + ["unit/11510000001000000P", "adjustment.published.v1", "a", "adjustment/019a2f3c-5d6e-7f80-9a1b-2c3d4e5f6a7b"]
        for i in 0..<2_000 {
            let data = randomJSON(&rng, depth: 0)
            let stream = names[i % names.count], type = names[(i / 3) % names.count]
            let envelope = EventEnvelope(
                seq: i % 7 == 0 ? UInt64.max >> 1 : rng.next() % 10_000_000, id: UUID(), stream: stream,
                version: i % 11 == 0 ? 0 : rng.next() % 1000, type: type, recordedAt: randomTimestamp(&rng),
                effectiveAt: i % 2 == 0 ? randomTimestamp(&rng) : nil, actor: i % 5 == 0 ? .null : ["uid": .int(Int64(i)), "principal": "张\"三]"],
                data: i % 13 == 0 ? data : .object(["payload": data]), prevHash: (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, hash: [])
            let bytes = envelope.canonicalBytes()
            let plain = [stream, type].allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != 0x22 && $0 != 0x5C } }
            if plain { plainCount += 1 }
            try bytes.withUnsafeBytes { record in
                guard let (fields, data) = StoredEventFields.readCanonical(record, expectedSeq: envelope.seq) else {
                    #expect(!plain, "envelope \(i) was not read by position")
                    return
                }
                byPosition += 1
                #expect(fields.seq == envelope.seq && fields.stream == stream && fields.type == type && fields.version == envelope.version
                        && fields.recordedAt == envelope.recordedAt && fields.effectiveAt == envelope.effectiveAt, "envelope \(i)")
                #expect(Array(record[data]) == envelope.data.canonicalBytes(), "envelope \(i)")
                // Any other seq is not this record's.
                #expect(StoredEventFields.readCanonical(record, expectedSeq: envelope.seq &+ 1) == nil)
            }
        }
        // Exactly the records with plain streams and types, and enough of them to mean something.
        #expect(byPosition == plainCount && plainCount > 200)
    }

    /// The tail of a record is read a word at a time: a stream or type of any length holding a
    /// byte a plain string may not (a quote or backslash, which the record then escapes, a control
    /// byte, a byte beyond ASCII) at any position is never read by position, and every plain one is
    /// read exactly.
    @Test func tailStringsAreReadByPositionOnlyWhenPlain() throws {
        func envelope(stream: String, type: String) -> EventEnvelope {
            EventEnvelope(seq: 42, id: UUID(), stream: stream, version: 3, type: type,
                          recordedAt: Timestamp(microseconds: 1_764_000_000_123_456), effectiveAt: nil, actor: .null,
                          data: .object(["k": .string("v")]), prevHash: Array(repeating: 0xAB, count: 32), hash: [])
        }
        for length in 0...24 {
            let plain = String(repeating: "s", count: length)
            for (stream, type) in [(plain, "t.v1"), ("unit/x", plain)] {
                try envelope(stream: stream, type: type).canonicalBytes().withUnsafeBytes { record in
                    let read = StoredEventFields.readCanonical(record, expectedSeq: 42)
                    #expect(read?.fields.stream == stream && read?.fields.type == type, "plain, \(length) bytes")
                }
            }
            for position in 0..<length {
                for special in ["\"", "\\", "\u{1}", "\u{1f}", "\n", "é", "广"] {
                    var chars = Array(plain)
                    chars[position] = Character(special)
                    let odd = String(chars)
                    for (stream, type) in [(odd, "t.v1"), ("unit/x", odd)] {
                        try envelope(stream: stream, type: type).canonicalBytes().withUnsafeBytes { record in
                            #expect(StoredEventFields.readCanonical(record, expectedSeq: 42) == nil,
                                    "\(special.debugDescription) at \(position) of \(length)")
                            // The general reader still reads it, whatever it holds.
                            let stored = [LogKeys.recordFormat] + [UInt8](repeating: 0, count: LogKeys.recordHeader - 1) + Array(record)
                            let fields = try stored.withUnsafeBytes { try StoredEventFields.read(record: $0, seq: 42) { fields, _ in fields } }
                            #expect(fields.stream == stream && fields.type == type)
                        }
                    }
                }
            }
        }
    }

    /// Timestamps in the log's own 27-byte form are read by a template a word at a time; any byte
    /// changed makes them read exactly as the general parser reads the same instant written with an
    /// offset (`+00:00` for `Z`), which never takes that path: the same value, or refused alike.
    @Test func canonicalTimestampsReadAsTheGeneralParserReadsThem() {
        var rng = SplitMix64(seed: 0x7A)
        let span = UInt64(Timestamp.latest.microseconds - Timestamp.earliest.microseconds)
        let replacements: [UInt8] = [0x2F, 0x30, 0x39, 0x3A, 0x20, 0x2D, 0x3A, 0x2E, 0x54, 0x5A, 0x7A, 0x00, 0xB0, 0xFF]
        for _ in 0..<300 {
            let t = Timestamp(microseconds: Timestamp.earliest.microseconds + Int64(rng.next() % span))
            let text = Array(t.rfc3339.utf8)
            #expect(Timestamp(rfc3339: text.withUnsafeBufferPointer { $0 }) == t)
            for position in 0..<26 {
                for byte in replacements {
                    var changed = text
                    changed[position] = byte
                    let fast = changed.withUnsafeBufferPointer { Timestamp(rfc3339: $0) }
                    let general = (changed.dropLast() + Array("+00:00".utf8)).withUnsafeBufferPointer { Timestamp(rfc3339: $0) }
                    #expect(fast == general, "\(String(decoding: changed, as: UTF8.self).debugDescription)")
                }
            }
        }
        // Days that do not exist, and the edges of the day, as the general parser has them.
        for text in ["2023-02-29T00:00:00.000000Z", "2024-02-29T23:59:59.999999Z", "2024-04-31T00:00:00.000000Z",
                     "2024-13-01T00:00:00.000000Z", "2024-00-10T00:00:00.000000Z", "2024-01-00T00:00:00.000000Z",
                     "2024-01-01T24:00:00.000000Z", "2024-01-01T23:60:00.000000Z", "2024-01-01T23:59:60.000000Z",
                     "0000-01-01T00:00:00.000000Z", "0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"] {
            let general = text.dropLast() + "+00:00"
            #expect(Timestamp(rfc3339: text) == Timestamp(rfc3339: String(general)), "\(text)")
        }
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.999999Z") != nil && Timestamp(rfc3339: "2023-02-29T00:00:00.000000Z") == nil)
    }

    @Test func stringsEqualTheGeneralWriter() {
        var rng = SplitMix64(seed: 0x57)
        // Long pieces too: text is checked eight bytes at a time before it is copied.
        let pieces = Self.awkward + ["", "基本目录", "\u{0}", "\n", "\u{1f}", " ", "\u{2028}", "~", "abcdefgh", "事项名称很长的一段文字"]
        for _ in 0..<3_000 {
            let text = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var out: [UInt8] = []
            EnvelopeText.appendString(text, to: &out)
            #expect(out == JSONValue.string(text).canonicalBytes(), "\(text.debugDescription)")
        }
    }

    @Test func everyByteToEscapeIsFoundWhereverItStands() {
        // Eight bytes at a time and then one by one: each position of strings of 0 to 24 bytes.
        for length in 0...24 {
            for filler: UInt8 in [UInt8(ascii: "a"), 0xE5, 0x7F, 0x20, 0xFF] {
                let plain = [UInt8](repeating: filler, count: length)
                #expect(!plain.withUnsafeBufferPointer(EnvelopeText.hasByteToEscape), "\(length) × \(filler)")
                for position in 0..<length {
                    for special: UInt8 in [0x00, 0x1F, 0x0A, UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                        var bytes = plain
                        bytes[position] = special
                        #expect(bytes.withUnsafeBufferPointer(EnvelopeText.hasByteToEscape), "\(special) at \(position) of \(length)")
                    }
                    // Bytes next to the special ones are not taken for them.
                    for near: UInt8 in [0x21, 0x23, 0x5B, 0x5D, 0x9C, 0xA2] {
                        var bytes = plain
                        bytes[position] = near
                        #expect(!bytes.withUnsafeBufferPointer(EnvelopeText.hasByteToEscape), "\(near) at \(position) of \(length)")
                    }
                }
            }
        }
    }

    @Test func timestampsAreWrittenAsTheyAreRead() {
        var rng = SplitMix64(seed: 0x59)
        let span = UInt64(Timestamp.latest.microseconds - Timestamp.earliest.microseconds)
        for _ in 0..<5_000 {
            let t = Timestamp(microseconds: Timestamp.earliest.microseconds + Int64(rng.next() % span))
            let text = t.rfc3339
            #expect(text.utf8.count == 27 && text.hasSuffix("Z"), "\(text)")
            #expect(Timestamp(rfc3339: text) == t, "\(text)")
        }
        #expect(Timestamp(microseconds: 1_764_000_000_123_456).rfc3339 == "2025-11-24T16:00:00.123456Z")
        #expect(Timestamp(microseconds: 0).rfc3339 == "1970-01-01T00:00:00.000000Z")
        var digits: [UInt8] = []
        for (value, width, text) in [(Int64(0), 1, "0"), (7, 3, "007"), (123_456, 6, "123456"), (Int64.max, 19, "9223372036854775807")] {
            digits.removeAll()
            EnvelopeText.appendDigits(value, width: width, to: &digits)
            #expect(String(decoding: digits, as: UTF8.self) == text)
        }
        digits.removeAll()
        EnvelopeText.appendInteger(UInt64.max, to: &digits)
        #expect(String(decoding: digits, as: UTF8.self) == "18446744073709551615")
    }

    @Test func timestampsOutsideFourDigitYearsKeepTheirSignedForm() {
        for (micros, text) in [(Timestamp.earliest.microseconds - 86_400_000_000, "0000-12-31T00:00:00.000000Z"),
                               (Timestamp.earliest.microseconds - 367 * 86_400_000_000, "-0001-12-31T00:00:00.000000Z"),
                               (Timestamp.latest.microseconds + 1, "+10000-01-01T00:00:00.000000Z"),
                               (0, "1970-01-01T00:00:00.000000Z")] {
            #expect(Timestamp(microseconds: micros).rfc3339 == text)
        }
    }

    @Test func uuidTextMatchesFoundation() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.lowercaseString == id.uuidString.lowercased())
            #expect(UUID(hexForm: id.uuidString) == id)
            #expect(UUID(hexForm: id.lowercaseString) == id)
        }
        let good = "3f2b8c1e-0d4a-4c55-9a57-2b1f0e6d7a10"
        for bad in ["", "3f2b8c1e0d4a4c559a572b1f0e6d7a10", "3f2b8c1e-0d4a-4c55-9a57-2b1f0e6d7a1g", "3f2b8c1e-0d4a-4c55-9a57_2b1f0e6d7a10",
                    good + "0", " " + good.dropFirst(), "{3f2b8c1e-0d4a-4c55-9a57-2b1f0e6d7a}", "3f2b8c1e-0d4a-4c55-9a5-72b1f0e6d7a10"] {
            #expect(UUID(hexForm: bad) == nil, "\(bad)")
        }
        #expect(UUID(hexForm: good) == UUID(uuidString: good))
        // Stricter than Foundation's sscanf, which skips leading white space.
        #expect(UUID(hexForm: " " + good.dropFirst()) == nil)
    }
}
