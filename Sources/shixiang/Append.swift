import ArgumentParser
import Foundation
import ShixiangJSON

struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append events to a stream of the raw log.",
        discussion: """
            Either one event from --type and --data, or several from --events FILE (a JSON array of \
            {"id"?, "type", "data", "effectiveAt"?}; - reads standard input). All events of one call \
            are stored atomically. Give --id (a UUID) to make a retry safe: sending the same event \
            again returns its original position instead of storing it twice.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The stream, e.g. item/000104002000.")
    var stream: String

    @Option(name: .long, help: "The event type, e.g. note.recorded.v1.")
    var type: String?

    @Option(name: .long, help: "The event's data: a JSON object.")
    var data: String?

    @Option(name: .long, help: "The event's id (a UUID), for safe retries.")
    var id: String?

    @Option(name: .long, help: "When the change takes legal effect (RFC 3339 or YYYY-MM-DD).")
    var effectiveAt: String?

    @Option(name: .long, help: "A JSON file with an array of events (- for standard input).")
    var events: String?

    @Option(name: .long, help: "any, noStream, or the version the stream must be at (default any).")
    var expectedVersion: String = "any"

    func validate() throws {
        if events == nil && (type == nil || data == nil) {
            throw ValidationError("Give --type and --data for one event, or --events FILE for several.")
        }
        if events != nil && (type != nil || data != nil || id != nil || effectiveAt != nil) {
            throw ValidationError("--events cannot be combined with --type, --data, --id or --effective-at.")
        }
        if expectedVersion != "any" && expectedVersion != "noStream" && UInt64(expectedVersion) == nil {
            throw ValidationError("--expected-version must be any, noStream or a version number.")
        }
    }

    func run() throws {
        let list: JSONValue
        if let file = events {
            let bytes: Data
            if file == "-" {
                bytes = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("Cannot read \(file).")
                }
                bytes = contents
            }
            list = try String(decoding: bytes, as: UTF8.self).parsedJSON(option: "--events")
            guard case .array = list else { throw ValidationError("--events must hold a JSON array of events.") }
        } else {
            var event: [String: JSONValue] = ["type": .string(type ?? ""), "data": try (data ?? "{}").parsedJSON(option: "--data")]
            if let id { event["id"] = .string(id) }
            if let effectiveAt { event["effectiveAt"] = .string(effectiveAt) }
            list = [.object(event)]
        }
        let expected: JSONValue = UInt64(expectedVersion).map { .int(Int64($0)) } ?? .string(expectedVersion)
        let result = try global.withClient {
            try $0.call("events.append", ["stream": .string(stream), "expectedVersion": expected, "events": list])
        }
        if global.json { return global.printJSON(result) }
        let count = result["events"]?.arrayValue?.count ?? 0
        let first = result["firstSeq"]?.intValue ?? 0, last = result["lastSeq"]?.intValue ?? 0
        let range = first == last ? "seq \(first)" : "seq \(first)–\(last)"
        if result["duplicate"]?.boolValue == true {
            print("Already stored (a retry of the same events): \(range) on \(stream), nothing new appended.")
        } else {
            print("Appended \(count) event\(count == 1 ? "" : "s") to \(stream): \(range), stream now at version \(result["version"]?.intValue ?? 0).")
        }
    }
}
