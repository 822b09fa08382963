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

    /// ``good`` as the log lays it out (a real id and hash), which is read by position.
    static let canonical = good.replacingOccurrences(of: #""prevHash":"00""#, with: #""prevHash":""# + String(repeating: "0", count: 64) + "\"")

    @Test func recordsInTheLogsOwnLayoutAreReadByPositionAsByTheReader() throws {
        func read(_ text: String) throws -> (StoredEventFields, String)? {
            try Self.record(text).withUnsafeBytes { bytes in
                try StoredEventFields.read(record: bytes, seq: 5) { ($0, String(decoding: $1, as: UTF8.self)) }
            }
        }
        let withEffective = Self.canonical.replacingOccurrences(of: #","id":"#, with: #","effectiveAt":"2026-04-01T00:00:00.000000Z","id":"#)
        for text in [Self.canonical, withEffective, Self.canonical.replacingOccurrences(of: #""actor":null"#, with: #""actor":{"name":"王\"五\"","roles":["a]"]}"#)] {
            // The same record with a space after its first brace is not in the log's layout: the general reader reads it.
            let (fast, fastData) = try #require(try read(text))
            let (general, generalData) = try #require(try read("{ " + text.dropFirst()))
            #expect(fast.seq == general.seq && fast.stream == general.stream && fast.version == general.version && fast.type == general.type
                    && fast.recordedAt == general.recordedAt && fast.effectiveAt == general.effectiveAt && fastData == generalData, "\(text)")
            #expect(fastData == #"{"name":"新"}"#)
        }
        #expect(try read(withEffective)?.0.effectiveAt == Timestamp(rfc3339: "2026-04-01T00:00:00Z"))
        // Anything wrong with an envelope field is still refused (the general reader says what).
        for text in [String(Self.canonical.dropLast()), Self.canonical + " x", Self.canonical.replacingOccurrences(of: #""seq":5"#, with: #""seq":6"#),
                     Self.canonical.replacingOccurrences(of: #""seq":5"#, with: #""seq":05"#), Self.canonical.replacingOccurrences(of: "2026-03-02T01", with: "2026-13-02T01"),
                     Self.canonical.replacingOccurrences(of: #""version":1"#, with: #""version":1.5"#), Self.canonical.replacingOccurrences(of: #""actor":null,"#, with: ""),
                     Self.canonical.replacingOccurrences(of: #""version":1"#, with: #""version":9223372036854775808"#)] {
            #expect(throws: EventLogError.self, "\(text)") { try read(text) }
        }
        // Data is stepped over by its structure here; malformed data is refused by the payload decoder instead,
        // for the types whose data the projector does not read as well.
        for (type, data) in [("unit.renamed.v1", #"{"name":"新",}"#), ("unit.renamed.v1", #"{"name":"\u00"}"#), ("unit.renamed.v1", #"{"name":"新","x":tru}"#),
                             ("catalogue.itemCancelled.v1", #"{"code":"1","x":[1,}"#), ("adjustment.approved.v1", #"{"id":"a",}"#),
                             ("adjustment.archived.v1", #"{"id":"\q"}"#), ("someone.elses.v1", #"{"x":tru}"#)] {
            let text = Self.canonical.replacingOccurrences(of: #"{"name":"新"}"#, with: data).replacingOccurrences(of: "unit.renamed.v1", with: type)
            #expect(throws: (any Error).self, "\(text)") {
                try Self.record(text).withUnsafeBytes { bytes in try StoredEventFields.read(record: bytes, seq: 5) { try ProjectedEvent(fields: $0, data: $1) } }
            }
        }
    }

    /// The position reader takes what lies between `data` and the fixed tail as `data`: a record
    /// with a member the log does not write there is still read as JSON reads it (the general
    /// reader ignores members it does not know), once what was taken for `data` fails to decode.
    @Test func aMemberTheLogDoesNotWriteAfterDataIsReadAsJSONReadsIt() throws {
        for extra in [#","extra":1"#, #","extra":"2026-04-01T00:00:00.000000Z""#, #","effectiveAt":"2026-04-01T00:00:00.000000Z","extra":[1]"#] {
            let text = Self.canonical.replacingOccurrences(of: #"{"name":"新"}"#, with: #"{"name":"新"}"# + extra)
            var calls = 0
            let (event, data) = try Self.record(text).withUnsafeBytes { bytes in
                try StoredEventFields.read(record: bytes, seq: 5) { fields, data in
                    calls += 1
                    return (try ProjectedEvent(fields: fields, data: data), String(decoding: data, as: UTF8.self))
                }
            }
            #expect(data == #"{"name":"新"}"#, "\(text)")
            #expect(event.stream == "unit/x" && event.version == 1 && calls == 2, "\(text)")
            #expect(event.effectiveAt == (extra.contains("effectiveAt") ? Timestamp(rfc3339: "2026-04-01T00:00:00Z") : nil))
        }
        // A body that fails on the record's own data fails once more at most, with its own error.
        var calls = 0
        #expect(throws: JSONDecodingError.self) {
            try Self.record(Self.canonical.replacingOccurrences(of: #"{"name":"新"}"#, with: #"{"name":1}"#)).withUnsafeBytes { bytes in
                try StoredEventFields.read(record: bytes, seq: 5) { fields, data in
                    calls += 1
                    return try ProjectedEvent(fields: fields, data: data)
                }
            }
        }
        #expect(calls == 1)
    }

    /// A stream's kind and key, split from its bytes as `StreamName.parse` splits its text: the
    /// registry's own kinds and any other.
    @Test func streamsSplitIntoKindAndKeyFromTheirBytes() {
        for stream in ["adjustment/adj-1", "unit/11510000001000000P", "item/510101088000", "entry/x/y", "filing/fil-9", "notice/n",
                       "calendar/cn", "custom/x", "unix/1", "adjustmenT/1", "adjustments/1", "/lead", "trail/", "nokind", "广安/事项"] {
            var copy = String(stream.utf8.map { Character(Unicode.Scalar($0)) })
            if !stream.utf8.allSatisfy({ $0 < 0x80 }) { copy = String(stream) }
            let split = copy.withUTF8 { ProjectedEvent.split($0) }
            let parsed = StreamName.parse(stream)
            #expect(split.kind == parsed?.kind && split.key == (parsed?.key ?? stream), "\(stream)")
        }
    }

    @Test func knownEventTypesAreFoundByTheirBytesAndNothingElseIs() {
        for (name, kind) in Payload.kinds {
            var copy = String(name.utf8.map { Character(Unicode.Scalar($0)) })  // the same text in storage of its own
            let found = copy.withUTF8 { KnownEventTypes.find($0) }
            #expect(found?.name == name && found.map { "\($0.kind)" } == "\(kind)", "\(name)")
        }
        #expect(Payload.kinds.count > 25)
        for other in ["", "unit", "unit.registered.v0", "unit.registered.v1 ", "Unit.registered.v1", "adjustment.approved.v2", "archive.exported.v1",
                      String(repeating: "x", count: 300)] {
            var text = other
            #expect(text.withUTF8 { KnownEventTypes.find($0) } == nil, "\(other)")
        }
        // A name differing from a known one in any single byte (its first and last eight bytes
        // are compared as words, the rest byte by byte) is not taken for it.
        for name in Payload.kinds.keys {
            let bytes = Array(name.utf8)
            for i in bytes.indices {
                var changed = bytes
                changed[i] = changed[i] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                #expect(changed.withUnsafeBufferPointer { KnownEventTypes.find($0) } == nil, "\(name) changed at \(i)")
            }
        }
    }

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
        // And those of the adjustment procedure: each malformed form refused by both decodings.
        var submitted = fields
        submitted.type = EventType.adjustmentSubmitted
        let submission = #"{"basis":"b","changes":{},"evidence":[{"name":"n","sha256":"s","size":1}],"filer":"f","filingRequired":true,"id":"a","kind":"add","list":"catalogue","reason":"r","target":"t","unit":"u"}"#
        _ = try Array(submission.utf8).withUnsafeBytes { try ProjectedEvent(fields: submitted, data: $0) }
        for data in [submission.replacingOccurrences(of: #""list":"catalogue""#, with: #""list":"other""#),
                     submission.replacingOccurrences(of: #""filingRequired":true"#, with: #""filingRequired":"yes""#),
                     submission.replacingOccurrences(of: #","size":1"#, with: ""),
                     submission.replacingOccurrences(of: #""size":1"#, with: #""size":1.5"#),
                     submission.replacingOccurrences(of: #""evidence":[{"name":"n","sha256":"s","size":1}]"#, with: #""evidence":{}"#),
                     submission.replacingOccurrences(of: #""unit":"u""#, with: #""unit":"u","unit":"v""#),
                     submission.replacingOccurrences(of: #""filer":"f","#, with: "")] {
            #expect(throws: (any Error).self, "\(data)") {
                try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: submitted, data: $0) }
            }
            // The tree path refuses it too (at parsing, for the duplicate member).
            #expect(throws: (any Error).self, "\(data)") {
                try JSONValueDecoder().decode(AdjustmentSubmitted.self, from: try JSONValue.parse(Array(data.utf8)))
            }
        }
        var published = fields
        published.type = EventType.adjustmentPublished
        for data in [#"{"channels":"门户"}"#, #"{"channels":["门户",1]}"#, #"{}"#] {
            #expect(throws: (any Error).self, "\(data)") {
                try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: published, data: $0) }
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
        // An added entry, read member by member too: the same refusals as its Codable decoding.
        var added = fields
        added.type = EventType.entryAdded
        let entry = #"{"adjustment":"a","basicCode":"000104002000","code":"c","fields":{"name":"甲"},"level":"3","unit":"u"}"#
        for data in [entry, entry.replacingOccurrences(of: #""adjustment":"a","#, with: ""), entry.replacingOccurrences(of: #""adjustment":"a""#, with: #""adjustment":null"#)] {
            let event = try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: added, data: $0) }
            let tree = try JSONValueDecoder().decode(EntryAdded.self, from: try JSONValue.parse(Array(data.utf8)))
            guard case .entryAdded(let p) = event.payload else { Issue.record("\(data)"); continue }
            #expect(p.code == tree.code && p.unit == tree.unit && p.basicCode == tree.basicCode && p.level == tree.level && p.fields == tree.fields
                    && p.adjustment == tree.adjustment && p.fields.member("name") == "甲", "\(data)")
        }
        for data in [entry.replacingOccurrences(of: #""level":"3""#, with: #""level":"9""#), entry.replacingOccurrences(of: #""unit":"u""#, with: #""unit":1"#),
                     entry.replacingOccurrences(of: #","unit":"u""#, with: ""), entry.replacingOccurrences(of: #""fields":{"name":"甲"},"#, with: ""),
                     entry.replacingOccurrences(of: #""code":"c","#, with: #""code":"c","code":"d","#), entry + " x"] {
            #expect(throws: (any Error).self, "\(data)") {
                try Array(data.utf8).withUnsafeBytes { try ProjectedEvent(fields: added, data: $0) }
            }
            #expect(throws: (any Error).self, "\(data)") {
                try JSONValueDecoder().decode(EntryAdded.self, from: try JSONValue.parse(Array(data.utf8)))
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

    @Test func adjustmentsFilingsAndNoticesEncodeDirectlyAsThroughTheTree() async throws {
        let w = try await GoldenTests.worldWithEveryEventType()
        let clock = HandClock("2026-03-02T09:00:00+08:00")
        let v = try await World(clock: LogClock { clock.read() })
        _ = try await AsOfPropertyTests.randomHistory(v, clock: clock, seed: 7, steps: 60)
        let awkward = "引号\"反斜杠\\换行\n制表\t\u{7f}\u{1}é"
        var adjustments: [AdjustmentRecord] = []
        var filings: [FilingRecord] = []
        var notices: [NoticeRecord] = []
        for r in [w.registry, v.registry] {
            adjustments += try r.adjustments(unit: nil, status: nil)
            filings += try r.filings(unit: nil)
            notices += try r.notices(unit: nil)
        }
        #expect(adjustments.count > 5 && filings.count > 0 && notices.count > 0)
        // Every optional present at least once, every optional absent at least once, awkward text.
        var a = try #require(adjustments.first)
        a.effectiveAt = Timestamp(rfc3339: "2026-12-31T23:59:59.5+08:00")
        a.filing = awkward
        a.returnReason = awkward
        a.publishedChannels = ["门户", awkward]
        a.offlineGuide = GuideUpdate(at: try #require(Timestamp(rfc3339: "2026-01-01T00:00:00Z")), seq: 9, note: awkward)
        a.evidence = [Evidence(name: awkward, sha256: String(repeating: "a", count: 64), size: 0),
                      Evidence(name: "b", sha256: "c", size: Int64.max)]
        a.history.append(StatusChange(status: .returned, at: a.history[0].at, seq: UInt64(Int64.max), reason: awkward))
        a.changes = ["z": [1, 2.5, nil, true], "a": ["b": "c"], "中": "文"]
        var bare = a
        bare.effectiveAt = nil; bare.filing = nil; bare.returnReason = nil; bare.publishedChannels = nil
        bare.offlineGuide = nil; bare.evidence = []; bare.history = []; bare.changes = [:]
        adjustments += [a, bare]
        var f = try #require(filings.first)
        f.forwardedAt = nil; f.forwardedTo = nil
        var g = f
        g.forwardedAt = a.history[0].at; g.forwardedTo = [awkward, "改革办"]; g.adjustments = []
        filings += [f, g]
        var n = try #require(notices.first)
        n.rectifiedAt = a.history[0].at; n.rectification = awkward; n.workingDays = Int(Int64.min)
        var m = n
        m.rectifiedAt = nil; m.rectification = nil
        notices += [n, m]
        for record in adjustments {
            #expect(try record.canonicalBytes() == JSONValueEncoder().encode(record).canonicalBytes(), "\(record.id)")
        }
        for record in filings {
            #expect(try record.canonicalBytes() == JSONValueEncoder().encode(record).canonicalBytes(), "\(record.id)")
        }
        for record in notices {
            #expect(try record.canonicalBytes() == JSONValueEncoder().encode(record).canonicalBytes(), "\(record.id)")
        }
    }
}

/// The fold profile folds what a rebuild folds and encodes what it writes.
@Suite struct FoldProfileTests {
    @Test func theProfileFoldsEveryEventAndEncodesEveryRecordARebuildWrites() async throws {
        let w = try await GoldenTests.worldWithEveryEventType()
        let profile = try w.registry.profileFold()
        #expect(profile.events == w.store.head.seq)
        let report = try await w.registry.rebuild()
        #expect(profile.records == report.records && report.records > 0)
        #expect(profile.walk > 0 && profile.walk <= profile.encode && profile.fold <= profile.encode)
        // Up to a phase: the later ones are not run.
        let partial = try w.registry.profileFold(through: 1)
        #expect(partial.envelopes > 0 && partial.payloads == 0 && partial.fold == 0 && partial.encode == 0 && partial.records == 0)
    }
}
