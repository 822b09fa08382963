import LMDB
import ShixiangDigest

/// The outcome of recomputing the hash chain over a range of the log.
public struct VerifyReport: Sendable, Hashable {
    /// The first disagreement found, if any.
    public struct Failure: Sendable, Hashable {
        public var seq: UInt64
        /// Which check failed: `record`, `position`, `gap`, `hash`, `link`, `time`, `stream`, `index`.
        public var check: String
        public var message: String
    }

    public var fromSeq: UInt64
    public var toSeq: UInt64
    public var checked: Int
    public var head: LogHead
    public var failure: Failure?
    public var ok: Bool { failure == nil }
}

extension EventStore {
    /// Recomputes every hash in `fromSeq...toSeq` (default: the whole log), checks each link to the
    /// previous event, the index entries of each event, gapless positions and stream versions, and
    /// stops at the first disagreement.
    ///
    /// Reads in snapshots of `chunk` events so a long verification never pins one old snapshot.
    /// `progress` is called after each chunk with the last seq checked.
    public func verify(fromSeq: UInt64 = 1, toSeq: UInt64? = nil, chunk: Int = 10_000,
                       progress: (UInt64) -> Void = { _ in }) throws -> VerifyReport {
        let head = self.head
        let from = max(fromSeq, 1)
        let to = min(toSeq ?? head.seq, head.seq)
        var report = VerifyReport(fromSeq: from, toSeq: to, checked: 0, head: head, failure: nil)
        guard from <= to else { return report }

        var previousHash: [UInt8]?
        var previousTime = Timestamp(microseconds: .min)
        if from > 1 {
            guard let before = try event(seq: from - 1) else {
                report.failure = .init(seq: from - 1, check: "gap", message: "event \(from - 1) is missing")
                return report
            }
            previousHash = before.hash
            previousTime = before.recordedAt
        } else {
            previousHash = EventEnvelope.genesisHash
        }

        var expected = from
        while expected <= to, report.failure == nil {
            let failure: VerifyReport.Failure? = try read { txn in
                let indexed = try queries.indexRange(txn).indexedThrough
                return try txn.withCursor(databases.events) { cursor in
                    var entry = try cursor.seek(atLeast: BigEndianKey.bytes(expected))
                    var inChunk = 0
                    while inChunk < chunk, expected <= to {
                        guard let e = entry, let seq = BigEndianKey.read(e.key), e.key.count == 8 else {
                            return .init(seq: expected, check: "gap", message: "event \(expected) is missing")
                        }
                        guard seq == expected else {
                            return .init(seq: expected, check: "gap", message: "event \(expected) is missing (next stored is \(seq))")
                        }
                        if let f = try checkRecord(txn, e.value, seq: seq, indexed: indexed, previousHash: previousHash ?? [], previousTime: previousTime,
                                                   update: { previousHash = $0; previousTime = $1 }) {
                            return f
                        }
                        report.checked += 1
                        inChunk += 1
                        expected += 1
                        entry = try cursor.next()
                    }
                    return nil
                }
            }
            report.failure = failure
            progress(expected - 1)
        }
        if report.failure == nil, from == 1, to == head.seq {
            report.failure = try checkIndexCounts()
        }
        return report
    }

    private func checkRecord(_ txn: borrowing ReadTransaction, _ record: UnsafeRawBufferPointer, seq: UInt64, indexed: UInt64,
                             previousHash: [UInt8], previousTime: Timestamp,
                             update: ([UInt8], Timestamp) -> Void) throws -> VerifyReport.Failure? {
        let envelope: EventEnvelope
        do { envelope = try LogQueries.decode(record: record, seq: seq) } catch {
            return .init(seq: seq, check: "record", message: error.description)
        }
        let canonical = UnsafeRawBufferPointer(rebasing: record[LogKeys.recordHeader...])
        guard envelope.seq == seq else {
            return .init(seq: seq, check: "position", message: "stored under seq \(seq) but says seq \(envelope.seq)")
        }
        let recomputed = Digest.sha256(canonical)
        guard recomputed == envelope.hash else {
            return .init(seq: seq, check: "hash", message: "stored hash \(Digest.hex(envelope.hash)) but the content hashes to \(Digest.hex(recomputed)): the event was altered")
        }
        guard envelope.prevHash == previousHash else {
            return .init(seq: seq, check: "link", message: "prevHash \(Digest.hex(envelope.prevHash)) does not match the previous event's hash \(Digest.hex(previousHash))")
        }
        guard envelope.recordedAt >= previousTime else {
            return .init(seq: seq, check: "time", message: "recordedAt \(envelope.recordedAt) is earlier than the previous event's \(previousTime)")
        }
        if envelope.version > 0 {
            var found = false
            if seq <= indexed {
                // The version before came earlier, so it is indexed too.
                found = try txn.contains(databases.byStream, key: LogKeys.stream(envelope.stream, version: envelope.version - 1))
            } else {
                try queries.forEachStreamEntry(txn, stream: envelope.stream, fromVersion: envelope.version - 1) { version, _ in
                    found = version == envelope.version - 1
                    return !found
                }
            }
            guard found else {
                return .init(seq: seq, check: "stream", message: "stream \(envelope.stream) has version \(envelope.version) but no version \(envelope.version - 1)")
            }
        }
        let seqKey = BigEndianKey.bytes(seq)
        guard seq <= indexed else {
            // Past the indexed-through mark: its entries are still to be written, so none may exist.
            if try txn.contains(databases.byStream, key: LogKeys.stream(envelope.stream, version: envelope.version)) {
                return .init(seq: seq, check: "index", message: "the stream index has an entry for \(envelope.stream)@\(envelope.version), past the indexed-through mark \(indexed)")
            }
            if try queries.indexedSeq(txn, id: envelope.id) != nil {
                return .init(seq: seq, check: "index", message: "the id index has an entry for \(envelope.id.uuidString.lowercased()), past the indexed-through mark \(indexed)")
            }
            update(envelope.hash, envelope.recordedAt)
            return nil
        }
        guard try txn.value(databases.byStream, key: LogKeys.stream(envelope.stream, version: envelope.version)) == seqKey else {
            return .init(seq: seq, check: "index", message: "the stream index entry for \(envelope.stream)@\(envelope.version) does not point to this event")
        }
        guard try txn.value(databases.byID, key: LogKeys.id(envelope.id)) == seqKey else {
            return .init(seq: seq, check: "index", message: "the id index entry for \(envelope.id.uuidString.lowercased()) does not point to this event")
        }
        update(envelope.hash, envelope.recordedAt)
        return nil
    }

    /// Both indexes hold exactly one entry per event up to the indexed-through mark (each event's
    /// own entries were checked one by one: so none is missing and none is extra).
    private func checkIndexCounts() throws -> VerifyReport.Failure? {
        try read { txn in
            let events = Int(try queries.indexRange(txn).indexedThrough)
            for (db, name) in [(databases.byStream, "stream"), (databases.byID, "id")] {
                let entries = try txn.stat(db).entries
                if entries != events {
                    return .init(seq: UInt64(events), check: "index", message: "the \(name) index has \(entries) entries for \(events) indexed events")
                }
            }
            return nil
        }
    }
}
