import EventLog
import Foundation
import LMDB
import ShixiangJSON
import ShixiangTestSupport
import Testing
@testable import Registry

/// The fold's fast path — envelope fields and payloads decoded in place from the stored bytes —
/// against the log's own decoding (a `JSONValue` tree, then `Codable`), for every event stored.
@Suite struct StoredDecodeTests {
    /// The payload's case and its data as JSON, to compare two decodings.
    static func described(_ p: Payload) throws -> (String, JSONValue?) {
        guard let child = Mirror(reflecting: p).children.first else { return ("\(p)", nil) }
        guard let value = child.value as? any Encodable else { return (child.label ?? "?", nil) }
        return (child.label ?? "?", try JSONValueEncoder().encode(value))
    }

    /// Decodes every stored event both ways and expects the same; returns the types seen.
    static func expectBothDecodingsAgree(_ store: EventStore) throws -> Set<String> {
        var types: Set<String> = []
        try store.read { txn in
            for seq in 1...max(store.head.seq, 1) {
                guard let envelope = try store.queries.event(txn, seq: seq) else { continue }
                let slow = try ProjectedEvent(envelope)
                let fast = try #require(try store.queries.withStoredEvent(txn, seq: seq) { try ProjectedEvent(fields: $0, data: $1) })
                #expect(fast.seq == slow.seq && fast.stream == slow.stream && fast.version == slow.version && fast.type == slow.type
                        && fast.recordedAt == slow.recordedAt && fast.effectiveAt == slow.effectiveAt, "event \(seq)")
                let (a, b) = (try described(slow.payload), try described(fast.payload))
                #expect(a.0 == b.0 && a.1 == b.1, "event \(seq) (\(envelope.type))")
                types.insert(envelope.type)
            }
        }
        return types
    }

    @Test func everyEventTypeDecodesFromItsStoredBytesAsThroughTheTree() async throws {
        let w = try await GoldenTests.worldWithEveryEventType()
        // And one of the draft shape, read through the upcaster.
        let code = creditCode(77)
        _ = try await w.store.append(stream: StreamName.unit(code), expected: .noStream, events: [
            NewEvent(type: "unit.registered.v0", data: ["code": .string(code), "name": "老单位", "type": "township", "level": "乡级", "guidingUnit": .string(w.department)]),
        ])
        let types = try Self.expectBothDecodingsAgree(w.store)
        for type in GoldenTests.payloads.keys { #expect(types.contains(type), "no \(type) in the history") }
        #expect(types.contains("unit.registered.v0"))
        let upcast = try w.store.read { txn in
            try #require(try w.store.queries.withStoredEvent(txn, seq: w.store.head.seq) { try ProjectedEvent(fields: $0, data: $1) })
        }
        #expect(upcast.type == EventType.unitRegistered)
        // The projections written live (each event decoded through the tree) equal a fold of the
        // stored bytes, except for the raw append, which no live write projected; a rebuild takes it in.
        #expect(try w.registry.checkProjections().differences == ["p-created/unit@\(w.store.head.seq)", "p-units/\(code)"])
        _ = try await w.registry.rebuild()
        #expect(try w.registry.checkProjections().differences.isEmpty)
    }

    @Test(arguments: [UInt64(3), 4])
    func randomHistoriesDecodeTheSameBothWays(seed: UInt64) async throws {
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let w = try await World(clock: LogClock { clock.read() })
        _ = try await AsOfPropertyTests.randomHistory(w, clock: clock, seed: seed, steps: 40)
        _ = try Self.expectBothDecodingsAgree(w.store)
    }

    /// A record whose canonical JSON is `text`, as the log stores it (format byte, hash, JSON).
    static func record(_ text: String) -> [UInt8] { [1] + [UInt8](repeating: 0, count: 32) + Array(text.utf8) }

    static let good = #"{"actor":null,"data":{"name":"新"},"id":"8d6f3a52-9a53-4a8e-9a8c-6d4f1c0b2e11","prevHash":"00","#
        + #""recordedAt":"2026-03-02T01:00:00.000000Z","seq":5,"stream":"unit/x","type":"unit.renamed.v1","version":1}"#

    @Test func malformedStoredRecordsAreCorruptNotMisread() throws {
        let fields = try Self.record(Self.good).withUnsafeBytes { bytes in
            try StoredEventFields.read(record: bytes, seq: 5) { fields, data in
                #expect(String(decoding: data, as: UTF8.self) == #"{"name":"新"}"#)
                return fields
            }
        }
        #expect(fields.stream == "unit/x" && fields.version == 1 && fields.type == "unit.renamed.v1" && fields.effectiveAt == nil)
        let broken = [
            String(Self.good.dropLast()),  // truncated
            Self.good + " x",  // trailing bytes
            Self.good.replacingOccurrences(of: #""seq":5,"#, with: #""seq":5,"seq":5,"#),  // duplicate member
            Self.good.replacingOccurrences(of: #""seq":5"#, with: #""seq":6"#),  // not the seq it is stored under
            Self.good.replacingOccurrences(of: #""seq":5"#, with: #""seq":-5"#),
            Self.good.replacingOccurrences(of: #""seq":5"#, with: #""seq":"5""#),
            Self.good.replacingOccurrences(of: #""version":1"#, with: #""version":1.5"#),
            Self.good.replacingOccurrences(of: #""stream":"unit/x","#, with: ""),  // missing
            Self.good.replacingOccurrences(of: #""actor":null,"#, with: ""),
            Self.good.replacingOccurrences(of: "2026-03-02T01", with: "2026-13-02T01"),
            Self.good.replacingOccurrences(of: #"{"name":"新"}"#, with: #"{"name":"新",}"#),  // malformed data
            Self.good.replacingOccurrences(of: #"{"name":"新"}"#, with: #"{"name":"\u00"}"#),
        ]
        for text in broken {
            #expect(throws: EventLogError.self, "\(text)") {
                try Self.record(text).withUnsafeBytes { bytes in try StoredEventFields.read(record: bytes, seq: 5) { _, _ in } }
            }
        }
        var bad = Self.record(Self.good)
        bad[bad.count - 20] = 0xFF  // invalid UTF-8 in the type
        #expect(throws: EventLogError.self) { try bad.withUnsafeBytes { bytes in try StoredEventFields.read(record: bytes, seq: 5) { _, _ in } } }
        // The payload decoder is as strict: a malformed or ill-typed payload throws.
        for data in [#"{"name":1}"#, #"{"nam":"x"}"#, #"{"name":"x","name":"y"}"#] {
            #expect(throws: (any Error).self, "\(data)") {
                try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: fields, data: $0) }
            }
        }
        // So are the payloads read member by member (imports).
        var recorded = fields
        recorded.type = EventType.itemRecorded
        let item = #"{"code":"000104002000","elements":{},"powerSource":"1","source":{"file":"a.csv","line":2,"sha256":"00"},"status":"inUse"}"#
        _ = try Array(item.utf8).withUnsafeBytes { try ProjectedEvent(fields: recorded, data: $0) }
        for data in [item.replacingOccurrences(of: #","status":"inUse""#, with: ""), item.replacingOccurrences(of: #""line":2"#, with: #""line":"2""#),
                     item.replacingOccurrences(of: #""status":"inUse""#, with: #""status":"bogus""#),
                     item.replacingOccurrences(of: #""code":"000104002000","#, with: #""code":"000104002000","code":"1","#)] {
            #expect(throws: (any Error).self, "\(data)") {
                try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: recorded, data: $0) }
            }
        }
    }
}

/// The records a rebuild writes by the million encode directly, byte for byte as through the tree.
@Suite struct CanonicalRecordTests {
    @Test func itemsAndEntriesEncodeDirectlyAsThroughTheTree() async throws {
        let w = try await GoldenTests.worldWithEveryEventType()
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let v = try await World(clock: LogClock { clock.read() })
        _ = try await AsOfPropertyTests.randomHistory(v, clock: clock, seed: 5, steps: 40)
        var checked = 0
        for r in [w.registry, v.registry] {
            var items = try r.items(cursor: nil, limit: .max).records
            items[0].exerciseLevel = .township  // every optional present at least once
            items[0].lastAdjustment = "a\"b"
            items[0].legalityReview = "审\n查"
            items[0].mergedInto = "000104002000"
            for item in items {
                #expect(try item.canonicalBytes() == JSONValueEncoder().encode(item).canonicalBytes(), "\(item.code)")
                checked += 1
            }
            var entries = try r.entries(unit: w.department) + r.entries(unit: w.township) + r.entries(unit: w.otherDepartment)
            if !entries.isEmpty { entries[0].splitInto = ["x", "y"]; entries[0].supersededBy = "z" }
            for entry in entries {
                #expect(try entry.canonicalBytes() == JSONValueEncoder().encode(entry).canonicalBytes(), "\(entry.code)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
