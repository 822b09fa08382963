import ShixiangJSON
import ShixiangRPC

/// The methods the server answers, by name.
public struct MethodTable: Sendable {
    public typealias Handler = @Sendable (JSONValue?, RequestContext) async throws -> MethodOutcome

    public struct Method: Sendable {
        public var name: String
        public var summary: String
        public var handler: Handler
    }

    public private(set) var methods: [String: Method] = [:]

    public init() {}

    /// Registers a method whose params are decoded as `P` before `body` runs.
    public mutating func register<P: RPCParams>(_ name: String, _ params: P.Type, summary: String,
                                                _ body: @escaping @Sendable (P, RequestContext) async throws -> MethodOutcome) {
        methods[name] = Method(name: name, summary: summary) { raw, context in
            try await body(try P.decode(raw), context)
        }
    }

    /// Registers a method returning a plain result.
    public mutating func register<P: RPCParams>(_ name: String, _ params: P.Type, summary: String,
                                                result body: @escaping @Sendable (P, RequestContext) async throws -> JSONValue) {
        register(name, params, summary: summary) { p, c in MethodOutcome(try await body(p, c)) }
    }

    /// Registers `system.methods`, listing every method registered so far (call it last).
    public mutating func registerListing() {
        let listing: JSONValue = .array((methods.values.map { ($0.name, $0.summary) } + [("system.methods", "List the methods this daemon answers.")])
            .sorted { $0.0 < $1.0 }
            .map { ["name": .string($0.0), "summary": .string($0.1)] })
        register("system.methods", NoParams.self, summary: "List the methods this daemon answers.") { _, _ in listing }
    }

    /// Adds every method of `other`.
    public mutating func merge(_ other: MethodTable) {
        methods.merge(other.methods) { _, new in new }
    }
}
