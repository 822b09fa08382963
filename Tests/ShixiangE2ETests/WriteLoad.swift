import Foundation
import Synchronization
import Testing
import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// What the daemon acknowledged to the load's writers, recorded client-side: after a crash, a
/// backup or a full disk, every one of these must still be there.
final class Acknowledged: Sendable {
    struct State {
        var eventIDs: [String] = []
        var units: [String] = []
        /// Adjustment id → the last status the daemon confirmed, and the catalogue item it adds.
        var adjustments: [String: (status: String, item: String)] = [:]
        var next = 0
    }

    let state = Mutex(State())

    /// A number not used before in this test, for unique credit codes and item codes.
    func nextNumber() -> Int { state.withLock { s in s.next += 1; return s.next } }

    var snapshot: State { state.withLock { $0 } }

    /// Every acknowledged thing is present: events by id, units, adjustments in at least their
    /// confirmed status (an unacknowledged later step may have been stored too), and the item of
    /// each confirmed approval. Returns a description of each loss.
    func losses(_ client: RegistryClient) async throws -> [String] {
        let s = snapshot
        var lost: [String] = []
        let stored = Set(try await allEvents(client).compactMap { $0["id"]?.stringValue })
        lost += s.eventIDs.filter { !stored.contains($0) }.map { "event \($0)" }
        for unit in s.units where await rpcError({ try await client.call("unit.get", ["code": .string(unit)]) }) != nil {
            lost.append("unit \(unit)")
        }
        for (id, confirmed) in s.adjustments.sorted(by: { $0.key < $1.key }) {
            let status = try? await client.call("adjustment.get", ["id": .string(id)])["status"]?.stringValue
            let ok = confirmed.status == "approved" ? status == "approved" : (status == "submitted" || status == "approved")
            if !ok { lost.append("adjustment \(id): confirmed \(confirmed.status), stored \(status ?? "nothing")") }
            if confirmed.status == "approved", await rpcError({ try await client.call("catalogue.get", ["code": .string(confirmed.item)]) }) != nil {
                lost.append("catalogue item \(confirmed.item) of approved \(id)")
            }
        }
        return lost
    }

    var count: Int {
        let s = snapshot
        return s.eventIDs.count + s.units.count + s.adjustments.count
    }
}

/// Concurrent writers against a daemon: raw appends, and registry commands (unit registrations,
/// catalogue additions submitted and approved). Each records what the daemon acknowledged.
struct WriteLoad {
    let socketPath: String
    let acknowledged: Acknowledged
    let tag: String
    var rawWriters = 2
    var registryWriters = 2

    /// Runs the writers until `stop` is set or their connections fail (the daemon died); returns
    /// the errors other than lost connections that the writers met.
    func run(until stop: StopFlag) async -> [String] {
        await withTaskGroup(of: [String].self) { group in
            for w in 0..<rawWriters {
                group.addTask { await self.rawWriter(w, stop) }
            }
            for w in 0..<registryWriters {
                group.addTask { await self.registryWriter(w, stop) }
            }
            var problems: [String] = []
            for await p in group { problems += p }
            return problems
        }
    }

    private func rawWriter(_ w: Int, _ stop: StopFlag) async -> [String] {
        do {
            try await RegistryClient.withConnection(socketPath: socketPath) { client in
                while !stop.isSet {
                    let id = UUID().uuidString.lowercased()
                    _ = try await client.call("events.append", appendParams(stream: "load/\(tag)/\(w)", ids: [id],
                                                                            payload: ["名称": "企业投资项目备案", "n": .int(Int64(w))]))
                    acknowledged.state.withLock { $0.eventIDs.append(id) }
                }
            }
        } catch let e as RPCError {
            return ["raw writer \(w): \(e)"]
        } catch {}
        return []
    }

    private func registryWriter(_ w: Int, _ stop: StopFlag) async -> [String] {
        do {
            try await RegistryClient.withConnection(socketPath: socketPath) { client in
                while !stop.isSet {
                    let n = acknowledged.nextNumber()
                    let unit = RegistryFixtures.creditCode(100_000 + n)
                    _ = try await client.call("unit.register", ["code": .string(unit), "name": .string("区测试局\(n)"),
                                                                "kind": "districtDepartment", "level": "4"])
                    acknowledged.state.withLock { $0.units.append(unit) }
                    let item = "0001" + String(format: "%02d%03d", 10 + n / 999, 1 + n % 999) + "000"
                    var e = elements
                    e["name"] = .string("负载事项\(n)")
                    let a = try await client.call("adjustment.submit", submission(unit, "catalogue", "add", item, ["elements": e]))
                    guard let id = a["id"]?.stringValue else { return }
                    acknowledged.state.withLock { $0.adjustments[id] = ("submitted", item) }
                    _ = try await client.call("adjustment.approve", ["id": .string(id)])
                    acknowledged.state.withLock { $0.adjustments[id] = ("approved", item) }
                }
            }
        } catch let e as RPCError {
            return ["registry writer \(w): \(e)"]
        } catch {}
        return []
    }
}

/// A flag the test sets to end its load.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
