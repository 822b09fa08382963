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
    /// Reads and decodes events `from…upTo` in short read snapshots of `batch` events, straight
    /// from their stored bytes, and queues them. No snapshot is held while waiting on the queue.
    func decodeLog(from first: UInt64, upTo head: UInt64, batch: Int, into queue: DecodedBatches) {
        do {
            var next = first
            while next <= head {
                var events: [ProjectedEvent] = []
                events.reserveCapacity(batch)
                next = try store.read { txn in
                    try txn.withCursor(store.databases.events) { cursor in
                        var seq = next
                        var entry = try cursor.seek(atLeast: BigEndianKey.bytes(seq))
                        while let e = entry, events.count < batch, let key = BigEndianKey.read(e.key), key <= head {
                            events.append(try StoredEventFields.read(record: e.value, seq: key) { fields, data in
                                try ProjectedEvent(fields: fields, data: data)
                            })
                            seq = key + 1
                            entry = try cursor.next()
                        }
                        return entry == nil || events.isEmpty ? head + 1 : seq
                    }
                }
                if !events.isEmpty, !queue.put(events) { break }
            }
            queue.finish(nil)
        } catch {
            queue.finish(error)
        }
    }

    /// Folds events `1…head` into `session`: decoded on a thread of its own, folded on this one.
    /// `progress(seq)` follows the fold.
    func foldLog(into session: inout ProjectionSession, upTo head: UInt64, batch: Int = 2_048, progress: (UInt64) -> Void) throws {
        let queue = DecodedBatches(capacity: 8)
        let producer = Thread { [self] in decodeLog(from: 1, upTo: head, batch: batch, into: queue) }
        producer.name = "shixiang-decode"
        producer.stackSize = 1 << 20
        producer.start()
        defer { queue.cancel() }
        while let events = try queue.take() {
            try store.read { txn in
                for e in events { try Projector.apply(e, to: &session, txn) }
            }
            progress(events.last?.seq ?? 0)
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
