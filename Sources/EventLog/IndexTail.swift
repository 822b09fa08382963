import Foundation
import Synchronization

/// The index entries of the newest committed events, kept in memory until the committer writes
/// them to `events-by-stream` and `events-by-id` (see ``EventStoreOptions/indexLag``).
///
/// The log's indexes are written in batches: an append commits its event alone, and every
/// `indexLag` events one commit also writes the index entries of all events since the last such
/// commit and moves the `indexed-through` mark in `log-meta`. Until then the entries live here.
///
/// - The committer adds a batch's events right after its commit, so the writer (which alone adds)
///   always finds every committed event either here or on disk.
/// - A reader's snapshot says which events it must find here: those after its snapshot's
///   `indexed-through` mark, up to its snapshot's head. When this tail does not cover that range
///   (the snapshot is older than the last two index writes, or newer than the entries added so
///   far), ``LogQueries`` reads the range from the log itself instead. Either way it is exact.
final class IndexTail: Sendable {
    struct Entry: Sendable, Equatable {
        var seq: UInt64
        var stream: String
        var version: UInt64
        var id: UUID
    }

    private struct State: Sendable {
        /// Entries hold seqs `floor + 1 ... floor + entries.count`.
        var floor: UInt64
        var entries: [Entry] = []
        var first = 0
        /// Each stream's seqs here, ascending.
        var streams: [String: [UInt64]] = [:]
        var ids: [UUID: UInt64] = [:]

        var top: UInt64 { floor + UInt64(entries.count - first) }

        func entry(_ seq: UInt64) -> Entry { entries[first + Int(seq - floor - 1)] }
    }

    private let state: Mutex<State>

    init(floor: UInt64) {
        state = Mutex(State(floor: floor))
    }

    /// The last seq held (or the floor when empty).
    var top: UInt64 { state.withLock { $0.top } }

    /// Entries held.
    var count: Int { state.withLock { $0.entries.count - $0.first } }

    /// Adds committed events, which must continue right after ``top``.
    func add(_ events: [EventEnvelope]) {
        guard !events.isEmpty else { return }
        state.withLock { s in
            precondition(events[0].seq == s.top + 1, "index tail: events must follow seq \(s.top), got \(events[0].seq)")
            for e in events {
                s.entries.append(Entry(seq: e.seq, stream: e.stream, version: e.version, id: e.id))
                s.streams[e.stream, default: []].append(e.seq)
                s.ids[e.id] = e.seq
            }
        }
    }

    /// Forgets the entries at or below `seq` (they are on disk).
    func prune(through seq: UInt64) {
        state.withLock { s in
            guard seq > s.floor else { return }
            let end = min(seq, s.top)
            var touched = Set<String>()
            for q in (s.floor + 1)..<(end + 1) {
                let e = s.entry(q)
                s.ids[e.id] = nil
                touched.insert(e.stream)
            }
            for stream in touched {
                guard let seqs = s.streams[stream] else { continue }
                if let k = seqs.firstIndex(where: { $0 > end }) {
                    if k > 0 { s.streams[stream] = Array(seqs[k...]) }
                } else {
                    s.streams[stream] = nil
                }
            }
            s.first += Int(end - s.floor)
            s.floor = end
            // Compact the array once the dropped front outweighs what is kept.
            if s.first > 1024 && s.first * 2 > s.entries.count {
                s.entries.removeFirst(s.first)
                s.first = 0
            }
        }
    }

    // MARK: The writer's lookups (everything committed)

    /// The newest version of `stream` held here.
    func lastVersion(of stream: String) -> UInt64? {
        state.withLock { s in s.streams[stream]?.last.map { s.entry($0).version } }
    }

    /// The seq of the event with `id`, if held here.
    func seq(of id: UUID) -> UInt64? {
        state.withLock { $0.ids[id] }
    }

    /// The entries with seqs in `(after, through]`; `nil` unless all are held.
    func entries(after: UInt64, through: UInt64) -> [Entry]? {
        guard through > after else { return [] }
        return state.withLock { s in
            guard s.floor <= after, s.top >= through else { return nil }
            return (after + 1...through).map { s.entry($0) }
        }
    }

    // MARK: A reader's lookups (one snapshot's range)

    /// `stream`'s `(version, seq)` pairs with seqs in `(after, through]`, ascending; `nil` unless
    /// the range is held.
    func stream(_ stream: String, after: UInt64, through: UInt64) -> [(version: UInt64, seq: UInt64)]? {
        guard through > after else { return [] }
        return state.withLock { s in
            guard s.floor <= after, s.top >= through else { return nil }
            guard let seqs = s.streams[stream] else { return [] }
            return seqs.lazy.filter { $0 > after && $0 <= through }.map { (s.entry($0).version, $0) }
        }
    }

    /// The seq of `id` if it lies in `(after, through]`: `.some(nil)` when the range is held and
    /// `id` is not in it; `nil` unless the range is held.
    func seq(of id: UUID, after: UInt64, through: UInt64) -> UInt64?? {
        guard through > after else { return .some(nil) }
        return state.withLock { s in
            guard s.floor <= after, s.top >= through else { return nil }
            guard let seq = s.ids[id], seq > after, seq <= through else { return .some(nil) }
            return .some(seq)
        }
    }
}
