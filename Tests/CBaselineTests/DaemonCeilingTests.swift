import CBaseline
import Foundation
import LMDB
import ShixiangTestSupport
import Testing

/// The C group-committing daemon the benchmark measures as the ceiling of the daemon's N-client
/// throughput: it must store every append once, in order, durably, and answer each writer.
@Suite struct DaemonCeilingTests {
    static let line = #"{"id":1,"jsonrpc":"2.0","method":"events.append","params":{"stream":"item/1"}}"#

    /// Runs the ceiling and returns its figures and the values of its log, in key order.
    private func run(clients: Int, perClient: Int, warmup: Int, gather: Int,
                     in dir: TemporaryDirectory) throws -> (cb_daemon_figures, [Double], [(UInt64, String)]) {
        var figures = cb_daemon_figures()
        var latencies = [Double](repeating: -1, count: clients * perClient)
        let rc = latencies.withUnsafeMutableBufferPointer { buffer in
            cb_daemon_append_bench(dir.path + "/log", dir.path + "/c.sock", Self.line, Int32(clients), Int32(perClient),
                                   Int32(warmup), Int32(gather), buffer.baseAddress, &figures)
        }
        #expect(rc == 0, "\(String(cString: cb_strerror(rc)))")
        let env = try Environment(path: dir.path + "/log")
        let events = try env.database(named: "events", flags: [])
        let stored = try env.read { txn in
            try txn.withCursor(events) { cursor in
                var out: [(UInt64, String)] = []
                var entry = try cursor.first()
                while let (key, value) = entry {
                    out.append((key.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, String(decoding: value, as: UTF8.self)))
                    entry = try cursor.next()
                }
                return out
            }
        }
        return (figures, latencies, stored)
    }

    @Test(arguments: [0, 300])
    func everyAppendIsStoredOnceInOrderAndAnswered(gather: Int) throws {
        let dir = try TemporaryDirectory()
        let (figures, latencies, stored) = try run(clients: 4, perClient: 25, warmup: 3, gather: gather, in: dir)
        #expect(figures.appends == 100)
        #expect(figures.events == 112, "timed and warm-up appends")
        #expect(figures.commits >= 1 && figures.commits <= 112)
        #expect(figures.commit_seconds > 0 && figures.seconds > 0)
        #expect(latencies.allSatisfy { $0 > 0 }, "every timed append was answered and timed")
        #expect(stored.map(\.0) == Array(1...112), "gapless seqs from 1")
        #expect(stored.allSatisfy { $0.1 == Self.line }, "each value is the request line as received")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/c.sock"), "the socket is removed")
    }

    @Test func badArgumentsAreRefusedBeforeAnythingStarts() throws {
        let dir = try TemporaryDirectory()
        var figures = cb_daemon_figures()
        #expect(cb_daemon_append_bench(dir.path + "/log", dir.path + "/c.sock", "two\nlines", 2, 2, 0, 0, nil, &figures) == EINVAL)
        #expect(cb_daemon_append_bench(dir.path + "/log", dir.path + "/c.sock", Self.line, 0, 2, 0, 0, nil, &figures) == EINVAL)
        #expect(cb_daemon_append_bench(dir.path + "/log", dir.path + "/c.sock", Self.line, 2, 2, 0, -1, nil, &figures) == EINVAL)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/log/data.mdb"))
    }
}
