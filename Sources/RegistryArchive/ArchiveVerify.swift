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
    public static func verify(at url: URL, log store: EventStore? = nil) -> BagReport {
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
                try chain(snapshot).events
            },
            ClosureBagCheck(id: "chain.range", property: .integrity) { snapshot in
                try chain(snapshot).range
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
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            count += 1
            guard case .object(var object) = try JSONValue.parse(Array(line)) else { chainFailure = chainFailure ?? "line \(count) is not an event"; continue }
            let stated = object["hash"]?.stringValue ?? ""
            object["hash"] = nil
            let recomputed = Digest.hex(Digest.sha256(JSONValue.object(object).canonicalBytes()))
            let seq = object["seq"]?.intValue.map(UInt64.init) ?? 0
            if chainFailure == nil {
                if recomputed != stated { chainFailure = "event \(seq): its content hashes to \(recomputed.prefix(16))…, the bag says \(stated.prefix(16))…" }
                else if object["prevHash"]?.stringValue != previous { chainFailure = "event \(seq) does not link to the event before it" }
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
