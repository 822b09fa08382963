import Synchronization

/// Lets readers wait until the log's committed head moves past a position.
final class HeadWatcher: Sendable {
    /// One suspended reader. Its state lives under the watcher's lock.
    private final class Waiter: @unchecked Sendable {
        // @unchecked Sendable: every field is read and written only while holding `HeadWatcher.state`.
        let beyond: UInt64
        var continuation: CheckedContinuation<UInt64?, Never>?
        var cancelled = false
        init(beyond: UInt64) { self.beyond = beyond }
    }

    private struct State {
        var head: LogHead
        var closed = false
        var waiters: [ObjectIdentifier: Waiter] = [:]
    }

    private let state: Mutex<State>

    init(head: LogHead) { state = Mutex(State(head: head)) }

    /// The last committed head.
    var head: LogHead { state.withLock { $0.head } }

    /// Records a new committed head and wakes the readers it satisfies.
    func publish(_ head: LogHead) {
        let ready: [(CheckedContinuation<UInt64?, Never>, UInt64)] = state.withLock { s in
            s.head = head
            var out: [(CheckedContinuation<UInt64?, Never>, UInt64)] = []
            for (key, waiter) in s.waiters where head.seq > waiter.beyond {
                if let c = waiter.continuation { out.append((c, head.seq)) }
                waiter.continuation = nil
                s.waiters[key] = nil
            }
            return out
        }
        for (c, seq) in ready { c.resume(returning: seq) }
    }

    /// Wakes every reader with `nil`; later waits return `nil` at once.
    func close() {
        let all: [CheckedContinuation<UInt64?, Never>] = state.withLock { s in
            s.closed = true
            let out = s.waiters.values.compactMap(\.continuation)
            for waiter in s.waiters.values { waiter.continuation = nil }
            s.waiters = [:]
            return out
        }
        for c in all { c.resume(returning: nil) }
    }

    /// Returns the head seq once it is greater than `seq`; `nil` if the log closes or the task is cancelled.
    func wait(beyond seq: UInt64) async -> UInt64? {
        let waiter = Waiter(beyond: seq)
        let key = ObjectIdentifier(waiter)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<UInt64?, Never>) in
                let immediate: UInt64?? = state.withLock { s in
                    if s.closed || waiter.cancelled { return .some(nil) }
                    if s.head.seq > seq { return .some(s.head.seq) }
                    waiter.continuation = c
                    s.waiters[key] = waiter
                    return .none
                }
                if let immediate { c.resume(returning: immediate) }
            }
        } onCancel: {
            let c: CheckedContinuation<UInt64?, Never>? = state.withLock { s in
                waiter.cancelled = true
                s.waiters[key] = nil
                defer { waiter.continuation = nil }
                return waiter.continuation
            }
            c?.resume(returning: nil)
        }
    }
}
