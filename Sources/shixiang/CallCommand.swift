import ArgumentParser
import ShixiangJSON

/// `shixiang call METHOD [PARAMS]`: any method of the daemon, for what no command covers yet.
struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call any daemon method with JSON params and print the result as JSON.",
        discussion: """
            Example: shixiang call unit.get '{"code": "…"}'. PARAMS is a JSON object or array (- reads \
            standard input); `shixiang call system.methods` lists the methods. The result is printed \
            indented (one line with --json).
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The method, e.g. catalogue.get.") var method: String
    @Argument(help: "The params, a JSON object (or array); - reads standard input.") var params: String?

    func validate() throws {
        try Check.notBlank(method, "METHOD")
        if let params, params != "-" {
            switch try params.parsedJSON(option: "PARAMS") {
            case .object, .array: break
            default: throw ValidationError("PARAMS must be a JSON object or array.")
            }
        }
    }

    func run() throws {
        let value = try JSONInput.read(inline: params == "-" ? nil : params, option: "PARAMS", file: params == "-" ? "-" : nil, fileOption: "PARAMS")
        let result = try global.withClient { try $0.call(method, value) }
        if global.json { return global.printJSON(result) }
        print(result.prettyString())
    }
}
