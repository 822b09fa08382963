import EventLog
import Foundation
import LMDB

/// A bounded queue of decoded events between the thread that reads and decodes the log and the
/// one that folds it: the fold stays sequential, the decoding runs beside it on the other core.
final class DecodedBatches: @unchecked Sendable {
    // @unchecked Sendable: every field is guarded by `condition`.
    private let condition = NSCondition()
    private var batches: [[ProjectedEvent]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Queues a batch, waiting while the queue is full; false if the consumer gave up.
    func put(_ batch: [ProjectedEvent]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// No more batches will come (`error`: why decoding stopped).
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, waiting for it; nil when all were taken; throws what stopped the producer.
    func take() throws -> [ProjectedEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer stops: the producer's next `put` returns false.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

extension Registry {
    /// Reads and decodes the batches `part`, `part + parts`, `part + 2 parts`… of events
    /// `1…head` (`batch` events each, by seq: the log is gapless) straight from their stored bytes,
    /// each in a short read snapshot, and queues them in order. No snapshot is held while waiting
    /// on the queue.
    func decodeLog(upTo head: UInt64, batch: Int, part: Int, parts: Int, into queue: DecodedBatches) {
        do {
            var index = UInt64(part)
            while index * UInt64(batch) < head {
                let first = index * UInt64(batch) + 1
                let last = min(head, first + UInt64(batch) - 1)
                var events: [ProjectedEvent] = []
                events.reserveCapacity(batch)
                try store.read { txn in
                    try txn.withCursor(store.databases.events) { cursor in
                        var entry = try cursor.seek(atLeast: BigEndianKey.bytes(first))
                        while let e = entry, let key = BigEndianKey.read(e.key), key <= last {
                            events.append(try StoredEventFields.readText(record: e.value, seq: key) { text, data in
                                try ProjectedEvent(text: text, data: data)
                            })
                            entry = try cursor.next()
                        }
                    }
                }
                guard queue.put(events) else { break }
                index += UInt64(parts)
            }
            queue.finish(nil)
        } catch {
            queue.finish(error)
        }
    }

    /// Folds events `1…head` into `session`, in order: decoded by threads of their own (as many
    /// as there are cores; the fold itself is light), folded on this one. `progress(seq)` follows the fold.
    func foldLog(into session: inout ProjectionSession, upTo head: UInt64, batch: Int = 2_048, progress: (UInt64) -> Void) throws {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        let queues = (0..<parts).map { _ in DecodedBatches(capacity: 4) }
        for part in 0..<parts {
            let producer = Thread { [self] in decodeLog(upTo: head, batch: batch, part: part, parts: parts, into: queues[part]) }
            producer.name = "shixiang-decode-\(part)"
            producer.stackSize = 1 << 20
            producer.start()
        }
        defer { for queue in queues { queue.cancel() } }
        var turn = 0
        while var events = try queues[turn % parts].take() {
            turn += 1
            let last = events.last?.seq ?? 0
            try store.read { txn in
                // Each event read where it lies (`for e in events` copied every one out).
                for i in events.indices { try Projector.apply(&events[i], to: &session, txn) }
            }
            progress(last)
        }
    }
}

/// Runs `body` on a thread of its own (CPU-bound work that must not hold a thread of the Swift
/// concurrency pool, of which this machine has two).
func onOwnThread<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }
}
