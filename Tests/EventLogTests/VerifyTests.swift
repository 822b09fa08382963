import Foundation
import Testing
import LMDB
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

@Suite struct VerifyTests {
    /// Writes `count` events in a fresh log, closes it, and returns the directory.
    func makeLog(_ count: Int) async throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("verify")
        let store = try EventStore(directory: dir.path)
        for i in 0..<count {
            _ = try await store.append(stream: "s/\(i % 3)", expected: .any, events: [event(["i": .int(Int64(i)), "名称": "事项"])])
        }
        #expect(try store.verify().ok)
        store.close()
        return dir
    }

    /// Opens the raw environment behind the log's back and lets `body` change it.
    func tamper(_ dir: TemporaryDirectory, _ body: (borrowing WriteTransaction, LogDatabases) throws -> Void) throws {
        let env = try Environment(path: dir.path)
        let dbs = try LogDatabases(environment: env)
        try env.write { txn in try body(txn, dbs) }
    }

    @Test func cleanLogVerifies() async throws {
        let dir = try await makeLog(25)
        let store = try EventStore(directory: dir.path)
        var progressed: [UInt64] = []
        let report = try store.verify(chunk: 10) { progressed.append($0) }
        #expect(report.ok)
        #expect(report.checked == 25)
        #expect(report.head.seq == 25)
        #expect(progressed == [10, 20, 25])
        let partial = try store.verify(fromSeq: 5, toSeq: 9)
        #expect(partial.ok && partial.checked == 5)
    }

    @Test func changedByteInDataIsCaught() async throws {
        let dir = try await makeLog(10)
        try tamper(dir) { txn, dbs throws in
            let key = BigEndianKey.bytes(4)
            var record = try #require(try txn.value(dbs.events, key: key))
            let text = String(decoding: record[33...], as: UTF8.self)
            let altered = text.replacingOccurrences(of: "\"i\":3", with: "\"i\":9")
            #expect(altered != text)
            record = Array(record[..<33]) + Array(altered.utf8)
            try txn.put(dbs.events, key: key, value: record)
        }
        let store = try EventStore(directory: dir.path)
        let report = try store.verify()
        #expect(report.failure?.seq == 4)
        #expect(report.failure?.check == "hash")
    }

    @Test func rehashedEventBreaksTheNextLink() async throws {
        let dir = try await makeLog(10)
        // A careful forger rewrites event 6 and its stored hash; event 7 still links to the old hash.
        try tamper(dir) { txn, dbs throws in
            let key = BigEndianKey.bytes(6)
            let record = try #require(try txn.value(dbs.events, key: key))
            let altered = String(decoding: record[33...], as: UTF8.self).replacingOccurrences(of: "事项", with: "伪造")
            let bytes = Array(altered.utf8)
            try txn.put(dbs.events, key: key, value: [1] + Digest_sha256(bytes) + bytes)
        }
        let store = try EventStore(directory: dir.path)
        let report = try store.verify()
        #expect(report.failure?.seq == 7)
        #expect(report.failure?.check == "link")
    }

    @Test func missingIndexEntryIsCaught() async throws {
        let dir = try await makeLog(10)
        try tamper(dir) { txn, dbs throws in
            #expect(try txn.delete(dbs.byStream, key: LogKeys.stream("s/2", version: 1)))
        }
        let store = try EventStore(directory: dir.path)
        let report = try store.verify()
        #expect(report.failure?.check == "index" || report.failure?.check == "stream")
        #expect(report.failure?.seq == 6)
    }

    @Test func extraIndexEntryIsCaught() async throws {
        let dir = try await makeLog(5)
        try tamper(dir) { txn, dbs throws in
            try txn.put(dbs.byID, key: LogKeys.id(UUID()), value: BigEndianKey.bytes(3))
        }
        let store = try EventStore(directory: dir.path)
        let report = try store.verify()
        #expect(report.failure?.check == "index")
        #expect(report.failure?.message.contains("id index has 6 entries") == true)
    }

    @Test func pageHonoursStreamLimitAndUntil() async throws {
        let dir = try TemporaryDirectory("page")
        let clock = LockedTimes([1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000])
        let store = try EventStore(directory: dir.path, clock: LogClock { clock.next() })
        for i in 0..<5 { _ = try await store.append(stream: i % 2 == 0 ? "even" : "odd", expected: .any, events: [event()]) }
        let first = try store.page(fromSeq: 1, limit: 2)
        #expect(first.events.map(\.seq) == [1, 2])
        #expect(first.nextSeq == 3)
        let rest = try store.page(fromSeq: 3, limit: 10)
        #expect(rest.events.map(\.seq) == [3, 4, 5])
        #expect(rest.nextSeq == nil)
        #expect(try store.page(stream: "even").events.map(\.seq) == [1, 3, 5])
        #expect(try store.page(fromSeq: 2, limit: 1, stream: "even").events.map(\.seq) == [3])
        #expect(try store.page(fromSeq: 2, limit: 1, stream: "even").nextSeq == 5)
        #expect(try store.page(until: Timestamp(microseconds: 3_500_000)).events.map(\.seq) == [1, 2, 3])
        #expect(try store.page(until: Timestamp(microseconds: 500_000)).events.isEmpty)
    }

    @Test func followersWakeOnCommit() async throws {
        let dir = try TemporaryDirectory("follow")
        let store = try EventStore(directory: dir.path)
        async let woke = store.waitForEvents(beyond: 0)
        try await Task.sleep(for: .milliseconds(20))
        _ = try await store.append(stream: "s", expected: .any, events: [event()])
        #expect(await woke == 1)
        // Already beyond: returns at once.
        #expect(await store.waitForEvents(beyond: 0) == 1)
        let waiting = Task { await store.waitForEvents(beyond: 1) }
        waiting.cancel()
        #expect(await waiting.value == nil)
        store.close()
        #expect(await store.waitForEvents(beyond: 5) == nil)
    }

    @Test func timestampsRoundTrip() {
        let t = Timestamp(microseconds: 1_764_000_000_123_456)
        #expect(t.rfc3339 == "2025-11-24T16:00:00.123456Z")
        #expect(Timestamp(rfc3339: t.rfc3339) == t)
        #expect(Timestamp(rfc3339: "2025-11-25T00:00:00.123456+08:00") == t)
        #expect(Timestamp(rfc3339: "2025-11-25") == Timestamp(rfc3339: "2025-11-24T16:00:00Z"))
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999999Z")?.microseconds == -1)
        for bad in ["", "2025-13-01", "2025-02-29", "2025-11-24T25:00:00Z", "2025-11-24T10:00:00", "2025-11-24T10:00:00Zjunk", "2025-11-24T10:00:00."] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    /// Found by the socket fuzzer: `asOf: "0000-01-01"` (a year-0 date in China Standard Time is
    /// year −1 in UTC) crashed the daemon when the instant was rendered back.
    @Test func timestampsStayWithinFourDigitYears() {
        for outside in ["0000-01-01", "0000-06-01T00:00:00Z", "0001-01-01", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"] {
            #expect(Timestamp(rfc3339: outside) == nil, "\(outside)")
        }
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z") == Timestamp.earliest)
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z") == Timestamp.latest)
        #expect(Timestamp.earliest.rfc3339 == "0001-01-01T00:00:00.000000Z")
        // Read from bytes in place (a stored event's), every one of these comes out the same.
        let all = ["0000-01-01", "0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2025-11-25",
                   "2025-11-25T00:00:00.123456+08:00", "1969-12-31T23:59:59.999999Z", "", "2025-02-29", "2025-11-24T10:00:00Zjunk"]
        for text in all {
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { Timestamp(rfc3339: $0) }
            #expect(fromBytes == Timestamp(rfc3339: text), "\(text)")
        }
        #expect(Timestamp.latest.rfc3339 == "9999-12-31T23:59:59.999999Z")
        // Instants no parse produces still render, with a signed year instead of a crash or a wrong year.
        #expect(Timestamp(microseconds: Timestamp.earliest.microseconds - 1).rfc3339 == "0000-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: Timestamp.earliest.microseconds - 366 * 86_400_000_000 - 1).rfc3339.hasPrefix("-0001-12-31T23:59:59"))
        #expect(Timestamp(microseconds: Timestamp.latest.microseconds + 1).rfc3339 == "+10000-01-01T00:00:00.000000Z")
        #expect(Timestamp(microseconds: .min).rfc3339.hasPrefix("-"))
        #expect(Timestamp(microseconds: .max).rfc3339.hasPrefix("+"))
    }
}

import ShixiangDigest
func Digest_sha256(_ bytes: [UInt8]) -> [UInt8] { Digest.sha256(bytes) }
