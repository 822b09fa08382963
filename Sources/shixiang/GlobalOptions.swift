import ArgumentParser
import Foundation
import ShixiangClient
import ShixiangJSON
import ShixiangRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's socket (default: $SHIXIANG_SOCKET, else the daemon's default path).")
    var socket: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("For a gateway: act on behalf of this unit (its credit code); default $SHIXIANG_ACT_FOR.", valueName: "unit"))
    var actFor: String?

    @Option(name: .long, help: ArgumentHelp("For a gateway acting for a unit: the person at the front end, recorded with each change.", valueName: "name"))
    var person: String?

    var socketPath: String { socket ?? DefaultPaths.socket() }

    /// The unit a gateway acts for: the flag, else the environment.
    var actingFor: String? {
        if let actFor { return actFor }
        let env = ProcessInfo.processInfo.environment["SHIXIANG_ACT_FOR"]
        return env?.isEmpty == false ? env : nil
    }

    /// Connects (a blocking connection: a one-shot process gains nothing from async I/O), runs `body`,
    /// and turns failures into a message on stderr and a meaningful exit code.
    func withClient<R>(_ body: (RegistryConnection) throws -> R) throws -> R {
        do {
            return try RegistryConnection.withConnection(socketPath: socketPath) { client in
                if let unit = actingFor {
                    var params: JSONValue = ["unit": .string(unit)]
                    if let person { params["person"] = .string(person) }
                    _ = try client.call("gateway.actFor", params)
                }
                return try body(client)
            }
        } catch let error as RPCError {
            Output.error(error.message)
            if json {
                // Scripts get the whole error object too: its stable code and data.
                var object: JSONValue = ["code": .int(Int64(error.code)), "message": .string(error.message)]
                if let data = error.data { object["data"] = data }
                printJSON(["error": object])
            }
            throw ExitCode(1)
        } catch let error as ClientError {
            Output.error(error.description)
            if case .cannotConnect = error { throw ExitCode(69) }
            throw ExitCode(70)
        }
    }

    /// Prints `value` as JSON on one line.
    func printJSON(_ value: JSONValue) {
        print(value.compactString)
    }
}

/// Writing to the terminal.
enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("shixiang: \(message)\n".utf8))
    }

    static func progress(_ message: String) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\r\(message)\u{1B}[K".utf8))
    }

    static func endProgress() {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// One line for an event: `#seq  time  stream@version  type  data`.
    static func line(forEvent e: JSONValue) -> String {
        let seq = e["seq"]?.intValue ?? 0
        let time = e["recordedAt"]?.stringValue ?? "?"
        let stream = e["stream"]?.stringValue ?? "?"
        let version = e["version"]?.intValue ?? 0
        let type = e["type"]?.stringValue ?? "?"
        let data = e["data"]?.compactString ?? "{}"
        return "#\(seq)  \(time)  \(stream)@\(version)  \(type)  \(data)"
    }

    static func short(_ hash: String?) -> String { String((hash ?? "").prefix(16)) + "…" }
}

extension String {
    /// Parses a command-line JSON argument, exiting with a usage error that says what is wrong.
    func parsedJSON(option: String) throws -> JSONValue {
        do { return try JSONValue.parse(self) } catch {
            throw ValidationError("\(option) is not valid JSON: \(error.message)")
        }
    }
}
