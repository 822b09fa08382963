import EventLog
import Foundation
import Registry
import ShixiangArchive
import ShixiangDigest
import ShixiangJSON

/// What an export wrote.
public struct ExportReport: Sendable {
    public var bag: String
    public var fromSeq: UInt64
    public var toSeq: UInt64
    public var events: Int
    public var cases: Int
    public var payloadBytes: UInt64
    public var seconds: Double
}

/// Why an export could not run.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingToExport(from: UInt64, head: UInt64)
    case badRange(String)

    public var description: String {
        switch self {
        case let .nothingToExport(from, head):
            return "Nothing to export: the log ends at seq \(head) and the export would start at \(from)."
        case let .badRange(reason): return reason
        }
    }
}

/// Exports a range of the log as one BagIt bag of electronic records (电子档案).
///
/// The payload holds every event of the range as JSON lines (`data/events.jsonl`, each
/// `{"hash", "record"}` with the exact stored bytes) and, for each
/// adjustment case touched, its events (`data/cases/<id>.json`) and a DA/T 48 encapsulation
/// package (`data/cases/<id>.xml`) whose 业务实体块 lists each step of the procedure. `bag-info.txt`
/// carries the chain proof (first seq and the hash it links to, last seq and hash, the log's head
/// at export), so the bag can be checked against the log or a neighbouring bag offline. The bag is
/// written under a `.partial` name and renamed when whole; reads are short snapshots of 10,000
/// events; the export ends by appending a watermark event (`archive.exported.v1`) so that
/// `sinceLast` continues exactly where it ended.
public enum ArchiveExport {
    public static let watermarkStream = "archive/exports"
    public static let watermarkType = EventType.archiveExported

    /// The last export's watermark: `(toSeq, bag)`, or `nil` if none was made.
    public static func lastWatermark(_ store: EventStore) throws -> (toSeq: UInt64, bag: String)? {
        guard let last = try store.events(stream: watermarkStream).last,
              let to = last.data["toSeq"]?.intValue, let bag = last.data["bag"]?.stringValue else { return nil }
        return (UInt64(to), bag)
    }

    public static func export(registry: Registry, fromSeq: UInt64?, sinceLast: Bool, into directory: URL,
                              organization: String, actor: JSONValue = .null, recordWatermark: Bool = true,
                              progress: (UInt64, UInt64) -> Void = { _, _ in }) async throws -> ExportReport {
        let started = Date()
        let store = registry.store
        var from: UInt64 = sinceLast ? (try lastWatermark(store)?.toSeq ?? 0) + 1 : max(fromSeq ?? 1, 1)
        if sinceLast, let adopted = try await adoptFinishedBag(startingAt: from, in: directory, store: store, actor: actor) {
            from = adopted + 1
        }
        let head = store.head
        guard from <= head.seq else { throw ExportError.nothingToExport(from: from, head: head.seq) }
        let to = head.seq
        let name = "shixiang-\(String(format: "%012llu", from))-\(String(format: "%012llu", to))"
        let writer = try BagWriter(destination: directory.appendingPathComponent(name), discardingStalePartial: true)

        // Pass 1: the events exactly as stored, streamed page by page; cases gathered on the way.
        var cases: [String: [EventEnvelope]] = [:]
        var first: RawEvent?
        var last: RawEvent?
        var next = from
        var count = 0
        var failure: (any Error)?
        _ = try writer.addFile("events.jsonl") {
            guard next <= to else { return nil }
            do {
                let page = try store.rawPage(fromSeq: next, limit: 10_000)
                var chunk: [UInt8] = []
                chunk.reserveCapacity(page.reduce(0) { $0 + $1.canonical.count + 90 })
                for e in page where e.seq <= to {
                    chunk += Self.linePrefix
                    chunk += Array(Digest.hex(e.hash).utf8)
                    chunk += Self.lineMiddle
                    chunk += e.canonical
                    chunk += Self.lineEnd
                    first = first ?? e
                    last = e
                    count += 1
                    let ids = try caseIDs(of: e)
                    if !ids.isEmpty {
                        let envelope = try e.envelope()
                        for id in ids { cases[id, default: []].append(envelope) }
                    }
                }
                next = (page.last?.seq ?? to) + 1
                if page.isEmpty { next = to + 1 }
                progress(min(next - 1, to) - from + 1, to - from + 1)
                return chunk
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        guard let first, let last, let firstEnvelope = try? first.envelope() else {
            throw ExportError.badRange("no events between \(from) and \(to)")
        }

        // Pass 2: one record per adjustment case.
        for (id, events) in cases.sorted(by: { $0.key < $1.key }) {
            let json = try writer.addFile("cases/\(id).json", bytes: JSONValue.array(events.map(\.json)).canonicalBytes())
            let record = try registry.adjustment(id)
            let unit = try record.flatMap { try registry.unit($0.unit) }
            let package = CaseRecord.package(id: id, events: events, adjustment: record, unit: unit, json: json, organization: organization)
            _ = try writer.addFile("cases/\(id).xml", bytes: package.render())
        }

        let info = BagInfo(sourceOrganization: organization, externalIdentifier: name, extraLabels: [
            BagInfoLabel("Shixiang-From-Seq", String(from)),
            BagInfoLabel("Shixiang-Prev-Hash", Digest.hex(firstEnvelope.prevHash)),
            BagInfoLabel("Shixiang-To-Seq", String(to)),
            BagInfoLabel("Shixiang-Last-Hash", Digest.hex(last.hash)),
            BagInfoLabel("Shixiang-Head-Seq", String(head.seq)),
            BagInfoLabel("Shixiang-Head-Hash", Digest.hex(head.hash)),
            BagInfoLabel("Shixiang-Events", String(count)),
            BagInfoLabel("Shixiang-Cases", String(cases.count)),
        ])
        _ = try writer.finish(info: info)
        let bytes = writer.payloadFiles.values.reduce(UInt64(0)) { $0 + $1.size }
        // The watermark: the next `sinceLast` export starts after `to`.
        if recordWatermark { _ = try await store.append(stream: watermarkStream, expected: .any, events: [NewEvent(type: watermarkType, data: [
            "bag": .string(name), "fromSeq": .int(Int64(from)), "toSeq": .int(Int64(to)), "lastHash": .string(Digest.hex(last.hash)),
            "events": .int(Int64(count)), "cases": .int(Int64(cases.count)), "payloadBytes": .int(Int64(bytes)),
        ])], actor: actor) }
        return ExportReport(bag: name, fromSeq: from, toSeq: to, events: count, cases: cases.count, payloadBytes: bytes,
                            seconds: Date().timeIntervalSince(started))
    }

    /// A complete bag in `directory` that starts at `from` but whose watermark was never recorded
    /// (the export stopped between finishing it and recording it): checked against the log, then
    /// its watermark is recorded. Returns its last position, or `nil` when there is none.
    static func adoptFinishedBag(startingAt from: UInt64, in directory: URL, store: EventStore, actor: JSONValue) async throws -> UInt64? {
        let prefix = "shixiang-\(String(format: "%012llu", from))-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard let name = names.sorted().first(where: { $0.hasPrefix(prefix) && !$0.hasSuffix(BagWriter.partialSuffix) }) else { return nil }
        let labels = try BagInfoFile.labels(directory.appendingPathComponent(name).appendingPathComponent("bag-info.txt"))
        guard let to = labels["Shixiang-To-Seq"].flatMap(UInt64.init), let lastHash = labels["Shixiang-Last-Hash"],
              let event = try store.event(seq: to), Digest.hex(event.hash) == lastHash else {
            throw ExportError.badRange("\(directory.path)/\(name) starts where this export would, but does not match the log; move it away and export again")
        }
        _ = try await store.append(stream: watermarkStream, expected: .any, events: [NewEvent(type: watermarkType, data: [
            "bag": .string(name), "fromSeq": .int(Int64(from)), "toSeq": .int(Int64(to)), "lastHash": .string(lastHash),
            "events": .int(Int64(labels["Shixiang-Events"].flatMap(Int.init) ?? 0)),
            "cases": .int(Int64(labels["Shixiang-Cases"].flatMap(Int.init) ?? 0)), "payloadBytes": 0,
        ])], actor: actor)
        return to
    }

    /// A line of `events.jsonl`: `{"hash":"<hex>","record":<the stored canonical JSON>}`, so the
    /// bag holds exactly the bytes that were hashed and a reader checks them without re-encoding.
    static let linePrefix = Array("{\"hash\":\"".utf8)
    static let lineMiddle = Array("\",\"record\":".utf8)
    static let lineEnd = Array("}\n".utf8)

    /// The adjustment cases an event belongs to, decoding it only when its stream does not say.
    static func caseIDs(of e: RawEvent) throws -> [String] {
        guard let stream = e.topLevelString("stream"), let type = e.topLevelString("type") else {
            return try caseIDs(of: e.envelope())
        }
        if stream.hasPrefix("adjustment/") { return [String(stream.dropFirst("adjustment/".count))] }
        let effects = (type.hasPrefix("catalogue.") || type.hasPrefix("implementation.") || type == EventType.filingSubmitted)
            && type != EventType.itemRecorded && type != EventType.entryRecorded
        return effects ? caseIDs(of: try e.envelope()) : []
    }

    /// The adjustment cases a decoded event belongs to.
    static func caseIDs(of e: EventEnvelope) -> [String] {
        if e.stream.hasPrefix("adjustment/") { return [String(e.stream.dropFirst("adjustment/".count))] }
        if let id = e.data["adjustment"]?.stringValue { return [id] }
        if e.type == EventType.filingSubmitted { return e.data["adjustments"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        return []
    }
}

