import Foundation
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// SIGKILL in the middle of registry commands and raw appends, cycle after cycle: after each
/// restart every acknowledged write is there, the chain verifies, and the projections equal a
/// replay of the log. `SHIXIANG_CRASH_CYCLES` runs more cycles.
@Suite struct CrashE2ETests {
    @Test func sigkillUnderRegistryLoadLosesNothingAndLeavesProjectionsExact() async throws {
        let cycles = ProcessInfo.processInfo.environment["SHIXIANG_CRASH_CYCLES"].flatMap { Int($0) } ?? 4
        let daemon = try await DaemonProcess(label: "crash")
        let acknowledged = Acknowledged()
        var generator = SeededGenerator(seed: UInt64.random(in: 1...UInt64.max))
        var survived = 0
        for cycle in 0..<cycles {
            let stop = StopFlag()
            let load = WriteLoad(socketPath: daemon.socketPath, acknowledged: acknowledged, tag: "c\(cycle)", rawWriters: 3, registryWriters: 3)
            async let problems = load.run(until: stop)
            let before = acknowledged.count
            try await waitUntil("cycle \(cycle)'s writers are acknowledged") { acknowledged.count >= before + 20 }
            // Kill at a different point of the work each time.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &generator)))
            try await daemon.kill()
            stop.set()
            #expect(await problems == [], "cycle \(cycle)")

            try await daemon.start()
            try await daemon.withClient { c in
                let lost = try await acknowledged.losses(c)
                #expect(lost.isEmpty, "cycle \(cycle): \(lost.count) acknowledged writes lost: \(lost.prefix(10))")
                let verify = try await c.call("audit.verify")
                #expect(verify["ok"] == true, "cycle \(cycle): \(verify.compactString)")
                let check = try await c.call("admin.checkProjections")
                #expect(check["ok"] == true, "cycle \(cycle): \(check.compactString.prefix(500))")
                if lost.isEmpty && verify["ok"] == true && check["ok"] == true { survived += 1 }
            }
        }
        let s = acknowledged.snapshot
        print("crash: \(survived) of \(cycles) SIGKILL cycles survived; \(s.eventIDs.count) raw appends, \(s.units.count) units, "
              + "\(s.adjustments.count) adjustments acknowledged; none lost")
        #expect(survived == cycles)
        #expect(s.units.count > 0 && s.adjustments.values.contains { $0.status == "approved" })
    }
}
