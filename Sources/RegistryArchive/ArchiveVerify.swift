import EventLog
import Foundation
import ShixiangArchive
import ShixiangDigest
import ShixiangJSON

/// Checks an exported bag the way DA/T 70-2018 asks: the standard BagIt checks (digests, counts,
/// Payload-Oxum, no extra files, nothing executable or compressed, every XML and JSON parses) plus
/// the registry's chain proof:
/// - `chain.events` (authenticity): every event's hash recomputes from its content, each links to
///   the one before, the first links to `Shixiang-Prev-Hash` and the last is `Shixiang-Last-Hash`;
/// - `chain.range` (integrity): positions run without gap from `Shixiang-From-Seq` to
///   `Shixiang-To-Seq`, as many as `Shixiang-Events`;
/// - `chain.metadata` (authenticity): the chain labels are present and well-formed;
/// - `chain.log` (authenticity, when a log is given): the bag's last event is the log's event at
///   that position, byte for byte the same hash.
public enum ArchiveVerify {
    /// - Parameters:
    ///   - store: the live log, to check the bag's last event against (`chain.log`).
    ///   - previous: the bag exported before this one, to check that this one continues it
    ///     (`chain.previousBag`: it starts right after the previous bag's range and links to its last hash).
    public static func verify(at url: URL, log store: EventStore? = nil, previous: URL? = nil) -> BagReport {
        // Both chain checks read the same replay of events.jsonl: compute it once.
        let replayed = Once<(events: BagCheckOutcome, range: BagCheckOutcome)>(chain)
        var checks: [any BagCheck] = [
            ClosureBagCheck(id: "chain.metadata", property: .authenticity) { snapshot in
                for label in ["Shixiang-From-Seq", "Shixiang-To-Seq", "Shixiang-Events"] {
                    guard let v = snapshot.infoValues(for: label).first, UInt64(v) != nil else { return .fail("bag-info.txt: \(label) is missing or not a number") }
                }
                for label in ["Shixiang-Prev-Hash", "Shixiang-Last-Hash", "Shixiang-Head-Hash"] {
                    guard let v = snapshot.infoValues(for: label).first, v.count == 64, Digest.bytes(hex: v) != nil else {
                        return .fail("bag-info.txt: \(label) is missing or not 64 hex digits")
                    }
                }
                return .pass("chain labels present and well-formed")
            },
            ClosureBagCheck(id: "chain.events", property: .authenticity) { snapshot in
                try replayed.value(snapshot).events
            },
            ClosureBagCheck(id: "chain.range", property: .integrity) { snapshot in
                try replayed.value(snapshot).range
            },
        ]
        if let store {
            checks.append(ClosureBagCheck(id: "chain.log", property: .authenticity) { snapshot in
                guard let to = snapshot.infoValues(for: "Shixiang-To-Seq").first.flatMap(UInt64.init),
                      let last = snapshot.infoValues(for: "Shixiang-Last-Hash").first else { return .fail("no chain proof to compare") }
                guard let event = try store.event(seq: to) else { return .fail("the log has no event \(to)") }
                return Digest.hex(event.hash) == last
                    ? .pass("the bag's last event \(to) is the log's, hash \(last.prefix(16))…")
                    : .fail("the log's event \(to) has hash \(Digest.hex(event.hash)), the bag says \(last)")
            })
        }
        if let previous {
            checks.append(ClosureBagCheck(id: "chain.previousBag", property: .authenticity) { snapshot in
                let before = try BagInfoFile.labels(previous.appendingPathComponent("bag-info.txt"))
                guard let prevTo = before["Shixiang-To-Seq"].flatMap(UInt64.init), let prevLast = before["Shixiang-Last-Hash"] else {
                    return .fail("\(previous.lastPathComponent) has no chain proof")
                }
                let from = snapshot.infoValues(for: "Shixiang-From-Seq").first.flatMap(UInt64.init)
                let link = snapshot.infoValues(for: "Shixiang-Prev-Hash").first
                guard from == prevTo + 1 else { return .fail("this bag starts at \(from ?? 0), the previous one ends at \(prevTo): a gap or an overlap") }
                guard link == prevLast else { return .fail("this bag's first event does not link to the previous bag's last hash") }
                return .pass("continues \(previous.lastPathComponent): starts at \(prevTo + 1) and links to its last hash")
            })
        }
        return BagValidator(additionalChecks: checks).validate(at: url)
    }

    /// Replays the hash chain of `data/events.jsonl`.
    static func chain(_ snapshot: BagSnapshot) throws -> (events: BagCheckOutcome, range: BagCheckOutcome) {
        guard let data = FileManager.default.contents(atPath: snapshot.url(for: "data/events.jsonl").path) else {
            return (.fail("data/events.jsonl is missing"), .fail("data/events.jsonl is missing"))
        }
        let from = snapshot.infoValues(for: "Shixiang-From-Seq").first.flatMap(UInt64.init) ?? 0
        let to = snapshot.infoValues(for: "Shixiang-To-Seq").first.flatMap(UInt64.init) ?? 0
        let declared = snapshot.infoValues(for: "Shixiang-Events").first.flatMap(Int.init) ?? -1
        var previous = snapshot.infoValues(for: "Shixiang-Prev-Hash").first ?? ""
        var expectedSeq = from
        var count = 0
        var chainFailure: String?
        var rangeFailure: String?
        let prefix = ArchiveExport.linePrefix, middle = ArchiveExport.lineMiddle
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            count += 1
            let bytes = Array(line)
            // {"hash":"<64 hex>","record":<canonical JSON>}
            let recordStart = prefix.count + 64 + middle.count
            guard bytes.count > recordStart + 1, bytes.starts(with: prefix), bytes[(prefix.count + 64)..<recordStart].elementsEqual(middle),
                  bytes.last == UInt8(ascii: "}") else {
                chainFailure = chainFailure ?? "line \(count) of events.jsonl is not {\"hash\",\"record\"}"
                continue
            }
            let stated = String(decoding: bytes[prefix.count..<(prefix.count + 64)], as: UTF8.self)
            let record = RawEvent(seq: 0, hash: [], canonical: Array(bytes[recordStart..<(bytes.count - 1)]))
            let seq = record.statedSeq ?? 0
            if chainFailure == nil {
                let recomputed = Digest.hex(Digest.sha256(record.canonical))
                if recomputed != stated { chainFailure = "event \(seq): its record hashes to \(recomputed.prefix(16))…, the bag says \(stated.prefix(16))…" }
                else if record.topLevelString("prevHash") != previous { chainFailure = "event \(seq) does not link to the event before it" }
            }
            if rangeFailure == nil, seq != expectedSeq { rangeFailure = "expected event \(expectedSeq), found \(seq): a gap or a reordering" }
            previous = stated
            expectedSeq = seq + 1
        }
        if chainFailure == nil, previous != snapshot.infoValues(for: "Shixiang-Last-Hash").first {
            chainFailure = "the last event's hash is not Shixiang-Last-Hash"
        }
        if rangeFailure == nil, expectedSeq != to + 1 { rangeFailure = "the events end at \(expectedSeq - 1), not at Shixiang-To-Seq \(to)" }
        if rangeFailure == nil, count != declared { rangeFailure = "\(count) events, but Shixiang-Events says \(declared)" }
        return (chainFailure.map { .fail($0) } ?? .pass("\(count) events: every hash recomputes and links, from Shixiang-Prev-Hash to Shixiang-Last-Hash"),
                rangeFailure.map { .fail($0) } ?? .pass("events \(from)–\(to) without gap, as many as Shixiang-Events"))
    }
}

/// A value computed the first time it is asked for, from the first caller's argument.
final class Once<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var cached: Value?
    private let make: (BagSnapshot) throws -> Value
    init(_ make: @escaping (BagSnapshot) throws -> Value) { self.make = make }
    func value(_ snapshot: BagSnapshot) throws -> Value {
        lock.lock(); defer { lock.unlock() }
        if let cached { return cached }
        let v = try make(snapshot)
        cached = v
        return v
    }
}

/// Reads the labels of a `bag-info.txt` (unfolded lines of `Label: value`).
enum BagInfoFile {
    static func labels(_ url: URL) throws -> [String: String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon]).trimmingCharacters(in: .whitespaces)] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}
