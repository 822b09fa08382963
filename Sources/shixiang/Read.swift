import ArgumentParser
import Foundation
import ShixiangClient
import ShixiangJSON

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print events of the log, page by page.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "First position to show (default 1).")
    var from: UInt64 = 1

    @Option(name: .long, help: "Most events to show (default 100; --all for everything).")
    var limit: Int = 100

    @Flag(name: .long, help: "Show every event from --from on, fetching page after page.")
    var all = false

    @Option(name: .long, help: "Only events of this stream.")
    var stream: String?

    @Option(name: .long, help: "Only events recorded at or before this time (RFC 3339 or YYYY-MM-DD).")
    var until: String?

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        try global.withClient { client in
            var next: UInt64? = from
            var shown = 0
            while let position = next, all || shown < limit {
                var params: [String: JSONValue] = ["fromSeq": .int(Int64(position)), "limit": .int(Int64(min(all ? 1000 : limit - shown, 1000)))]
                if let stream { params["stream"] = .string(stream) }
                if let until { params["until"] = .string(until) }
                let page = try client.call("events.read", .object(params))
                for event in page["events"]?.arrayValue ?? [] {
                    print(global.json ? event.compactString : Output.line(forEvent: event))
                    shown += 1
                }
                next = page["nextSeq"]?.intValue.map { UInt64($0) }
            }
            if !global.json && shown == 0 { print("No events.") }
        }
    }
}

struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the latest events; with -f, keep following new ones as they are stored.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .short, help: "How many of the latest events to show first (default 10).")
    var n: Int = 10

    @Flag(name: .shortAndLong, help: "Follow: print new events as they are stored, until interrupted.")
    var follow = false

    @Option(name: .long, help: "Only events of this stream.")
    var stream: String?

    func validate() throws {
        guard n >= 0 else { throw ValidationError("-n must be 0 or more.") }
    }

    func run() throws {
        try global.withClient { client in
            let head = UInt64(try client.call("system.ping")["head"]?["seq"]?.intValue ?? 0)
            var last = try printLatest(client, head: head)
            guard follow else { return }
            var params: [String: JSONValue] = ["fromSeq": .int(Int64(last + 1))]
            if let stream { params["stream"] = .string(stream) }
            _ = try client.call("events.subscribe", .object(params))
            while let note = try client.nextNotification() {
                guard note.method == "events.event", let event = note.params["event"] else { continue }
                print(global.json ? event.compactString : Output.line(forEvent: event))
                fflush(nil)  // a follower's reader (a pipe, a file) must see each event as it comes
                last = UInt64(event["seq"]?.intValue ?? Int64(last))
            }
        }
    }

    /// Prints the last `n` events (up to `head` or a little beyond) and returns the last position printed.
    private func printLatest(_ client: RegistryConnection, head: UInt64) throws -> UInt64 {
        guard n > 0, head > 0 else { return head }
        var events: [JSONValue] = []
        if let stream {
            // A stream's latest events: walk its pages, keeping the last n.
            var next: UInt64? = 1
            while let position = next {
                let page = try client.call("events.read", ["fromSeq": .int(Int64(position)), "limit": 1000, "stream": .string(stream)])
                events.append(contentsOf: page["events"]?.arrayValue ?? [])
                if events.count > n { events.removeFirst(events.count - n) }
                next = page["nextSeq"]?.intValue.map { UInt64($0) }
            }
        } else {
            let from = head >= UInt64(n) ? head - UInt64(n) + 1 : 1
            let page = try client.call("events.read", ["fromSeq": .int(Int64(from)), "limit": .int(Int64(min(n, 1000)))])
            events = page["events"]?.arrayValue ?? []
        }
        for event in events { print(global.json ? event.compactString : Output.line(forEvent: event)) }
        fflush(nil)
        // Follow on from the last event printed: the page may already hold events stored after the ping.
        return max(head, events.compactMap { $0["seq"]?.intValue.map(UInt64.init) }.max() ?? 0)
    }
}
