import Dispatch
import EventLog
import Foundation
import LMDB

extension Registry {
    /// Folds events `1…head` into `parts` sessions on as many threads (this one among them), each
    /// folding in log order the events of its own records (``Projector/partitionKey(_:)``): no
    /// event is handed from thread to thread, and each thread decodes only its own events, finding
    /// an event's part by its stream, read from the end of its record, before decoding it.
    ///
    /// Returns nil if an event changes a record of another part than its stream's (possible only
    /// for events appended raw, whose payload names another record than their stream): such a log
    /// is folded in log order instead. `progress(seq)` follows the slowest part.
    func foldPartitioned(upTo head: UInt64, parts: Int, batch: Int, progress: (UInt64) -> Void) throws -> [ProjectionSession]? {
        let parts = min(max(parts, 1), 64)
        let shared = PartedFold(parts: parts)
        let done = DispatchGroup()
        for part in 1..<parts {
            done.enter()
            let thread = Thread { [self] in
                shared.finish(part, Result { try foldPart(part, of: parts, upTo: head, batch: batch, shared) })
                done.leave()
            }
            thread.name = "shixiang-fold-\(part)"
            thread.stackSize = 4 << 20
            thread.start()
        }
        shared.finish(0, Result { try foldPart(0, of: parts, upTo: head, batch: batch, shared, progress: progress) })
        done.wait()
        return try shared.sessions()
    }

    /// One part of ``foldPartitioned(upTo:parts:batch:progress:)``: batch by batch, each in a short
    /// read snapshot.
    private func foldPart(_ part: Int, of parts: Int, upTo head: UInt64, batch: Int, _ shared: PartedFold,
                          progress: (UInt64) -> Void = { _ in }) throws -> ProjectionSession {
        var session = ProjectionSession(dbs: dbs, backed: false)
        var first: UInt64 = 1
        while first <= head, !shared.stopped {
            let last = min(head, first + UInt64(max(batch, 1)) - 1)
            try store.read { txn in
                try txn.withCursor(store.databases.events) { cursor in
                    var entry = try cursor.seek(atLeast: BigEndianKey.bytes(first))
                    while let e = entry, let seq = BigEndianKey.read(e.key), seq <= last {
                        let stream = StoredEventFields.peekStream(record: e.value)
                        let mine = try stream.map { Self.part(ofStream: $0, parts) == part }
                            ?? StoredEventFields.readText(record: e.value, seq: seq) { text, _ in Self.part(ofStream: text.stream, parts) == part }
                        if mine {
                            var event = try StoredEventFields.readText(record: e.value, seq: seq) { text, data in try ProjectedEvent(text: text, data: data) }
                            if let key = Projector.partitionKey(event), Self.part(ofKey: key, parts) != part { throw PartedFold.OtherPart() }
                            try Projector.apply(&event, to: &session, txn)
                        }
                        entry = try cursor.next()
                    }
                }
            }
            progress(shared.done(part, through: last))
            first = last + 1
        }
        return session
    }

    /// The part of the events of `stream` (split as ``StreamName/parse(_:)`` splits it).
    static func part(ofStream stream: UnsafeBufferPointer<UInt8>, _ parts: Int) -> Int {
        guard parts > 1 else { return 0 }
        guard let slash = stream.firstIndex(of: UInt8(ascii: "/")) else { return part(ofBytes: stream, parts) }
        if slash == 8, memcmp(stream.baseAddress!, "calendar", 8) == 0 {
            return part(ofKey: Projector.calendarPartition, parts)
        }
        return part(ofBytes: UnsafeBufferPointer(rebasing: stream[(slash + 1)...]), parts)
    }

    /// The part of the events that change the record `key` (a partition key).
    static func part(ofKey key: String, _ parts: Int) -> Int {
        guard parts > 1 else { return 0 }
        var key = key
        return key.withUTF8 { part(ofBytes: $0, parts) }
    }

    /// A hash of the last 16 bytes at most (where time-ordered ids differ most): two words
    /// mixed when there are 16, FNV-1a of the bytes (mixed again) when fewer; scaled to `0..<parts`.
    static func part(ofBytes bytes: UnsafeBufferPointer<UInt8>, _ parts: Int) -> Int {
        var h: UInt64
        if bytes.count >= 16, let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base + bytes.count - 16)
            let a = raw.loadUnaligned(as: UInt64.self), b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            h = (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F)
            h = (h ^ (h >> 31)) &* 0x94D0_49BB_1331_11EB
        } else {
            h = 0xCBF2_9CE4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            // FNV's last bytes reach its high bits weakly: mixed down and up again.
            h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        }
        // The high word of h × parts: the part, without a division.
        return Int(truncatingIfNeeded: (h ^ (h >> 32)).multipliedFullWidth(by: UInt64(parts)).high)
    }
}

/// What the threads of a partitioned fold share: how far each has come, whether one has
/// stopped, and what each ended with.
private final class PartedFold: @unchecked Sendable {
    // @unchecked Sendable: every field is guarded by `lock`.
    struct OtherPart: Error {}

    private let lock = NSLock()
    private var through: [UInt64]
    private var results: [Result<ProjectionSession, any Error>?]
    private var stop = false

    init(parts: Int) {
        through = Array(repeating: 0, count: parts)
        results = Array(repeating: nil, count: parts)
    }

    var stopped: Bool { lock.withLock { stop } }

    /// Part `part` has folded every event up to `seq`; returns how far every part has.
    func done(_ part: Int, through seq: UInt64) -> UInt64 {
        lock.withLock {
            through[part] = seq
            return through.min() ?? seq
        }
    }

    func finish(_ part: Int, _ result: Result<ProjectionSession, any Error>) {
        lock.withLock {
            results[part] = result
            if case .failure = result { stop = true }
        }
    }

    /// Every part's session; nil if an event belonged to another part; what stopped a part otherwise.
    func sessions() throws -> [ProjectionSession]? {
        try lock.withLock {
            var sessions: [ProjectionSession] = []
            var otherPart = false
            var failure: (any Error)?
            for result in results {
                switch result {
                case .success(let s)?: sessions.append(s)
                case .failure(let error as OtherPart)?: _ = error; otherPart = true
                case .failure(let error)?: failure = failure ?? error
                case nil: failure = failure ?? CancellationError()
                }
            }
            if let failure { throw failure }
            return otherPart ? nil : sessions
        }
    }
}
