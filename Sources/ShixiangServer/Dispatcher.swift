import Logging
import ShixiangJSON
import ShixiangRPC

/// Turns one request line into its response line, per JSON-RPC 2.0: single requests, batches and
/// notifications; every failure becomes an error object, never a dropped connection.
struct Dispatcher: Sendable {
    let methods: MethodTable
    let limits: JSONLimits
    let policy: PolicyStore

    /// What answering a line produced.
    struct Answer: Sendable {
        /// The response to write (`nil` when the line held only notifications).
        var response: JSONValue?
        /// Work to start after the response is written.
        var followUps: [@Sendable (ConnectionWriter) async -> Void] = []
    }

    func answer(_ line: [UInt8], context: RequestContext) async -> Answer {
        let parsing = line.withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try JSONValue.parse(bytes, limits: limits) }
        }
        let parsed: JSONValue
        switch parsing {
        case .success(let value): parsed = value
        case .failure(let error):
            return Answer(response: RPCResponse.error(id: .null, RPCError(code: RPCErrorCode.parseError, message: "Parse error: \(error.message)")))
        }
        switch parsed {
        case .array(let elements):
            guard !elements.isEmpty else {
                return Answer(response: RPCResponse.error(id: .null, RPCError(code: RPCErrorCode.invalidRequest,
                    message: "Invalid request: an empty batch. Send at least one request in the array.")))
            }
            var responses: [JSONValue] = []
            var followUps: [@Sendable (ConnectionWriter) async -> Void] = []
            for element in elements {
                let (response, followUp) = await call(element, context: context)
                if let response { responses.append(response) }
                if let followUp { followUps.append(followUp) }
            }
            return Answer(response: responses.isEmpty ? nil : .array(responses), followUps: followUps)
        default:
            let (response, followUp) = await call(parsed, context: context)
            return Answer(response: response, followUps: followUp.map { [$0] } ?? [])
        }
    }

    static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: RPCErrorCode.methodNotFound, message: "Method not found: \"\(method)\". Call system.methods for the list of methods.")
    }

    private func call(_ element: JSONValue, context: RequestContext) async -> (JSONValue?, (@Sendable (ConnectionWriter) async -> Void)?) {
        let request: RPCRequest
        switch RPCRequest.validate(element) {
        case .success(let r): request = r
        case .failure(let invalid): return (RPCResponse.error(id: invalid.id, invalid.error), nil)
        }
        // Metadata goes on each log call rather than on the logger: setting logger metadata makes
        // StreamLogHandler re-render it on every request, which profiling showed costs ~8% of a ping.
        let logger = context.logger
        let outcome: Result<MethodOutcome, RPCError>
        switch authorize(request.method, context) {
        case .failure(let refusal):
            logger.notice("request refused", metadata: ["rpc.method": "\(request.method)", "reason": "\(refusal.message)"])
            outcome = .failure(refusal)
        case .success(let context):
            if let method = methods.methods[request.method] {
                do {
                    outcome = .success(try await method.handler(request.params, context))
                } catch {
                    outcome = .failure(WireError.from(error, method: request.method, logger: logger))
                }
            } else {
                outcome = .failure(Self.methodNotFound(request.method))
            }
        }
        if case .failure(let error) = outcome {
            logger.debug("request failed", metadata: ["rpc.method": "\(request.method)", "rpc.error.code": "\(error.code)"])
        }
        // A notification gets no response, whatever happened, and starts nothing.
        guard let id = request.id else { return (nil, nil) }
        switch outcome {
        case .success(let o): return (RPCResponse.result(id: id, o.result), o.followUp)
        case .failure(let e): return (RPCResponse.error(id: id, e), nil)
        }
    }

    /// The context with the policy's grant for this call, or the error refusing it: an unknown peer
    /// is refused everything; a known one what its roles do not allow.
    func authorize(_ method: String, _ context: RequestContext) -> Result<RequestContext, RPCError> {
        guard let principal = policy.principal(for: context.peer) else {
            return .failure(Self.unknownPeer(context.peer, policy: policy.policy))
        }
        guard methods.methods[method] != nil else { return .success(context) }  // answered "method not found"
        switch MethodAccess.grant(method, to: principal, actingFor: context.connection.actingFor) {
        case .success(let grant):
            var granted = context
            granted.grant = grant
            return .success(granted)
        case .failure(let denial):
            return .failure(RPCError(code: RPCErrorCode.permissionDenied,
                message: "Permission denied: \(denial.principal.summary) may not call \(method): \(denial.reason).",
                data: ["method": .string(method), "principal": .string(denial.principal.name)]))
        }
    }

    static func unknownPeer(_ peer: PeerCredentials?, policy: AccessPolicy) -> RPCError {
        guard let peer else {
            return RPCError(code: RPCErrorCode.unknownPeer, message: "Unknown peer: the socket did not say who is connecting, so nothing is served.")
        }
        return RPCError(code: RPCErrorCode.unknownPeer,
            message: "Unknown peer: \(peer) is not in the daemon's access policy (\(policy.source)). Ask the operator to add this user or one of its groups.",
            data: ["uid": .int(Int64(peer.uid)), "gid": .int(Int64(peer.gid))])
    }
}
