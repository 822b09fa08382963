import Synchronization

/// A flag that tasks can wait on until it is raised, once.
final class OneShotSignal: Sendable {
    private struct State {
        var raised = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Raises the flag and wakes every waiter. Later calls do nothing.
    func raise() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            guard !s.raised else { return [] }
            s.raised = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns when the flag is raised or the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s in
                    if s.raised { return true }
                    s.waiters.append(c)
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            raise()
        }
    }
}

/// The live subscriptions of one connection, so `events.unsubscribe` can end one.
public final class SubscriptionTable: Sendable {
    private let state = Mutex<(next: Int, live: [String: OneShotSignal])>((0, [:]))

    /// Registers a subscription and returns its id and the signal that ends it.
    func add() -> (String, OneShotSignal) {
        let signal = OneShotSignal()
        let id: String = state.withLock { s in
            s.next += 1
            let id = "sub-\(s.next)"
            s.live[id] = signal
            return id
        }
        return (id, signal)
    }

    func remove(_ id: String) {
        _ = state.withLock { $0.live.removeValue(forKey: id) }
    }

    /// Ends subscription `id`; false if there is none.
    func cancel(_ id: String) -> Bool {
        let signal = state.withLock { $0.live.removeValue(forKey: id) }
        signal?.raise()
        return signal != nil
    }

    var count: Int { state.withLock { $0.live.count } }
}
