import EventLog
import Foundation
import LMDB

/// Where a rebuild's CPU goes, phase by phase, each timed alone on one thread over the same log
/// (`shixiang-bench fold-profile`). Every phase includes the ones before it, so their differences
/// are each phase's own cost.
public struct FoldProfile: Sendable {
    public var events: UInt64 = 0
    /// Seconds of: a cursor walk touching every stored byte; then reading each envelope's fields;
    /// then decoding each payload too; then folding into a session; then encoding every record.
    public var walk = 0.0, envelopes = 0.0, payloads = 0.0, fold = 0.0, encode = 0.0
    public var records = 0
    /// Bytes of the stored events walked.
    public var bytes = 0
}

extension Registry {
    /// Times the phases of a rebuild's fold, one after another, on this thread (nothing is written),
    /// up to and including phase `through` (0 walk, 1 envelopes, 2 payloads, 3 fold, 4 encode).
    public func profileFold(through: Int = 4) throws -> FoldProfile {
        var profile = FoldProfile()
        let head = store.head.seq
        profile.events = head
        func timed(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        /// Calls `each` with every stored event of `1…head`, in one read snapshot.
        func scan(_ each: (UnsafeRawBufferPointer, UInt64, borrowing ReadTransaction) throws -> Void) throws {
            try store.read { txn in
                try txn.withCursor(store.databases.events) { cursor in
                    var entry = try cursor.first()
                    while let e = entry, let key = BigEndianKey.read(e.key), key <= head {
                        try each(e.value, key, txn)
                        entry = try cursor.next()
                    }
                }
            }
        }
        // What each pass reads is summed into `sink`, handed to `keep` at the end, so that no pass
        // can be optimised away.
        var sink = 0
        defer { keep(sink) }
        profile.walk = try timed {
            try scan { value, _, _ in
                var x: UInt8 = 0
                var i = 0
                while i < value.count { x ^= value[i]; i += 64 }  // a byte of each cache line
                sink &+= Int(x)
                profile.bytes += value.count
            }
        }
        if through < 1 { return profile }
        profile.envelopes = try timed {
            try scan { value, seq, _ in
                sink &+= try StoredEventFields.readText(record: value, seq: seq) { text, data in text.stream.count &+ data.count }
            }
        }
        if through < 2 { return profile }
        profile.payloads = try timed {
            try scan { value, seq, _ in
                let e = try StoredEventFields.readText(record: value, seq: seq) { text, data in try ProjectedEvent(text: text, data: data) }
                sink &+= Int(truncatingIfNeeded: e.seq)
            }
        }
        if through < 3 { return profile }
        var session = ProjectionSession(dbs: dbs, backed: false)
        profile.fold = try timed {
            try scan { value, seq, txn in
                let e = try StoredEventFields.readText(record: value, seq: seq) { text, data in try ProjectedEvent(text: text, data: data) }
                try Projector.apply(e, to: &session, txn)
            }
        }
        if through < 4 { return profile }
        var writes = 0
        profile.encode = try timed {
            writes = try Refill(session, meta: []).count()
        }
        profile.encode += profile.fold
        profile.records = writes
        releaseOnOwnThread(session)
        return profile
    }
}

/// Takes a value the optimiser cannot see used.
@inline(never)
private func keep(_ value: Int) {
    withExtendedLifetime(value) {}
}
