import Foundation
import Synchronization
import Testing
import ShixiangJSON
import ShixiangTestSupport
@testable import EventLog

/// The inline commit: a lone writer on a thread that may block commits on its own thread; as soon
/// as writers overlap, they are batched on the committer thread again.
@Suite struct InlineCommitTests {
    /// What one `submit` saw: the seq it got, and whether its completion ran on the submitting thread
    /// before `submit` returned.
    struct Submitted: Sendable {
        var seq: UInt64?
        var error: String?
        var completedInline: Bool
    }

    /// Submits an append from the calling OS thread, offering to commit inline.
    static func submit(_ store: EventStore, stream: String, inline: Bool = true) -> Submitted {
        let me = pthread_self()
        let outcome = Mutex<(seq: UInt64?, error: String?, sameThread: Bool)?>(nil)
        let done = DispatchSemaphore(value: 0)
        store.submit(mayCommitInline: inline, { txn, log in
            try log.append(txn, stream: stream, expected: .any, events: [event()], actor: .null)
        }, completion: { result in
            let same = pthread_equal(pthread_self(), me) != 0
            switch result {
            case .success(let o): outcome.withLock { $0 = (o.events.first?.seq, nil, same) }
            case .failure(let e): outcome.withLock { $0 = (nil, "\(e)", same) }
            }
            done.signal()
        })
        let returnedBeforeCompletion = outcome.withLock { $0 == nil }
        done.wait()
        let o = outcome.withLock { $0! }
        return Submitted(seq: o.seq, error: o.error, completedInline: !returnedBeforeCompletion && o.sameThread)
    }

    /// Runs `body` on a new OS thread (as a connection's thread would) and waits for it.
    static func onThread<R: Sendable>(_ body: @escaping @Sendable () -> R) async -> R {
        await withCheckedContinuation { c in
            let t = Thread { c.resume(returning: body()) }
            t.start()
        }
    }

    @Test func aLoneWriterCommitsOnItsOwnThread() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let results = await Self.onThread { (0..<5).map { i in Self.submit(store, stream: "lone/\(i)") } }
        #expect(results.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(results.allSatisfy { $0.completedInline })
        // Durable and chained like any other commit; one commit per write.
        #expect(try store.verify().ok)
        let counters = try store.statistics().groupCommit
        #expect(counters.commits == 5 && counters.writes == 5 && counters.events == 5 && counters.largestBatch == 1)
        // Without the offer the same write goes through the committer thread.
        let queued = await Self.onThread { Self.submit(store, stream: "queued", inline: false) }
        #expect(queued.seq == 6 && !queued.completedInline)
    }

    @Test func overlappingWritersAreBatchedOnTheCommitterThenALoneOneIsInlineAgain() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        // Hold the committer inside a commit, so the next writers find it busy and queue.
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        async let held: AppendOutcome = store.write { txn, log in
            entered.signal()
            release.wait()
            return try log.append(txn, stream: "held", expected: .any, events: [event()], actor: .null)
        }
        entered.wait()
        let writers = 3
        let queued = Mutex<[Submitted]>([])
        let threads = (0..<writers).map { w in
            Thread { let s = Self.submit(store, stream: "overlap/\(w)"); queued.withLock { $0.append(s) } }
        }
        threads.forEach { $0.start() }
        // All three are queued behind the held commit before it is let go.
        try await waitUntil("three writes queued", timeout: .seconds(10)) { store.queuedWrites == writers }
        release.signal()
        #expect(try await held.events.map(\.seq) == [1])
        try await waitUntil("three writes answered", timeout: .seconds(10)) { queued.withLock { $0.count } == writers }
        let batched = queued.withLock { $0 }
        #expect(batched.allSatisfy { !$0.completedInline && $0.error == nil })
        #expect(Set(batched.compactMap(\.seq)) == [2, 3, 4])
        #expect(try store.statistics().groupCommit.largestBatch == writers)
        // The last commit carried three writes: the next writer is not offered an inline commit ...
        let next = await Self.onThread { Self.submit(store, stream: "after-batch") }
        #expect(next.seq == 5 && !next.completedInline)
        // ... but once a commit carried one write alone, lone writers commit inline again.
        let lone = await Self.onThread { Self.submit(store, stream: "lone") }
        #expect(lone.seq == 6 && lone.completedInline)
        #expect(try store.verify().ok)
    }

    @Test func manyThreadsMixingInlineAndQueuedWritesStayGapless() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let threads = 8, perThread = 40
        var seqs: [UInt64] = []
        var errors: [String] = []
        await withTaskGroup(of: ([UInt64], [String]).self) { group in
            for t in 0..<threads {
                group.addTask {
                    let mine = await Self.onThread { (0..<perThread).map { i in Self.submit(store, stream: "mix/\(t)", inline: i % 3 != 0) } }
                    return (mine.compactMap(\.seq), mine.compactMap(\.error))
                }
            }
            // Async writers (never inline) interleave with them.
            for a in 0..<4 {
                group.addTask {
                    var got: ([UInt64], [String]) = ([], [])
                    for _ in 0..<10 {
                        do {
                            got.0.append(try await store.append(stream: "async/\(a)", expected: .any, events: [event()]).events[0].seq)
                        } catch { got.1.append("\(error)") }
                    }
                    return got
                }
            }
            for await (s, e) in group {
                seqs.append(contentsOf: s)
                errors.append(contentsOf: e)
            }
        }
        #expect(errors == [])
        let total = threads * perThread + 40
        #expect(seqs.sorted() == Array(1...UInt64(total)))
        #expect(store.head.seq == UInt64(total))
        #expect(try store.verify().ok)
        for t in 0..<threads {
            #expect(try store.events(stream: "mix/\(t)").map(\.version) == Array(0..<UInt64(perThread)))
        }
    }

    @Test func closeWaitsForAnInlineCommitAndLaterWritesAreRefused() async throws {
        let dir = try TemporaryDirectory("log")
        let store = try EventStore(directory: dir.path)
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let inlineResult = Mutex<Result<UInt64, any Error>?>(nil)
        let writer = Thread {
            store.submit(mayCommitInline: true, { txn, log in
                entered.signal()
                release.wait()
                return try log.append(txn, stream: "slow", expected: .any, events: [event()], actor: .null)
            }, completion: { result in inlineResult.withLock { $0 = result.map { $0.events[0].seq } } })
        }
        writer.start()
        entered.wait()
        let closed = Atomic<Bool>(false)
        let closer = Thread { store.close(); closed.store(true, ordering: .releasing) }
        closer.start()
        // close() cannot finish while the inline commit holds the log.
        try await Task.sleep(for: .milliseconds(100))
        let closedEarly = closed.load(ordering: .acquiring)
        #expect(!closedEarly)
        release.signal()
        try await waitUntil("close returned", timeout: .seconds(10)) { closed.load(ordering: .acquiring) }
        let inlineSeq = try inlineResult.withLock { r in try r?.get() }
        #expect(inlineSeq == 1)
        let late = await Self.onThread { Self.submit(store, stream: "late") }
        #expect(late.seq == nil && late.error?.isEmpty == false)
        // The inline commit is durable: it is there after reopening.
        let reopened = try EventStore(directory: dir.path)
        #expect(reopened.head.seq == 1)
        #expect(try reopened.verify().ok)
    }
}
