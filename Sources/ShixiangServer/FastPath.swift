import EventLog
import Logging
import ShixiangJSON
import ShixiangRPC
import Synchronization

/// Answers the two hottest methods, `system.ping` and `events.append`, on the connection's own
/// thread, and leaves every other line to the async dispatcher.
///
/// Why not the async path for these too: each request there crosses threads four times
/// (connection → task → committer → task → connection), which on a 2-core machine costs more than
/// the JSON work itself. Here a ping is answered in place, and an append goes straight to the
/// committer, whose completion writes the response to the socket itself. Nothing here touches
/// LMDB or waits: decoding happens on the connection thread, storage work on the committer thread.
///
/// Responses carry their request's id; when a client pipelines requests, a fast answer may
/// overtake a slower one. At most ``SocketConnection/maxInFlight`` appends per connection wait
/// for the committer; past that, the connection stops reading until some are answered.
struct FastPath: Sendable {
    let store: EventStore
    let version: String
    let limits: JSONLimits
    let policy: PolicyStore
    let connections: ConnectionRegistry
    let logger: Logger
    /// The encoded result of `system.ping` for the head it was made at: the head only moves on commits.
    private let pingResult = PingResultCache()

    init(store: EventStore, version: String, limits: JSONLimits, policy: PolicyStore, connections: ConnectionRegistry, logger: Logger) {
        self.store = store
        self.version = version
        self.limits = limits
        self.policy = policy
        self.connections = connections
        self.logger = logger
    }

    /// Answers `line` if it is a well-formed ping, or an append by an admin; false leaves it to the dispatcher.
    func handle(_ line: UnsafeRawBufferPointer, on connection: SocketConnection) -> Bool {
        // Only the plain shape of a request is read here (`RequestHead`); anything else, including
        // every malformed line and every call the access policy refuses (appends are admin's), is
        // the dispatcher's to answer, with the protocol's own errors.
        guard let head = RequestHead.scan(line), head.method == "system.ping" || head.method == "events.append",
              let principal = policy.principal(for: connection.peer), head.method == "system.ping" || principal.roles.contains(.admin)
        else { return false }
        var params: JSONValue?
        if let span = head.params {
            // Nested one level below the request, so one level less of the depth limit.
            var inner = limits
            inner.maxDepth -= 1
            guard let parsed = try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: line[span]), limits: inner) else { return false }
            params = parsed
        }
        let request = RPCRequest(id: head.id, method: head.method, params: params)
        let method = head.method
        let isAppend = method == "events.append"
        guard connections.beginRequest(connection, inFlight: isAppend) else {
            if let refusal = Self.line(id: request.id, .failure(RPCError(code: RPCErrorCode.shuttingDown, message: EventLogError.closed.description))) {
                connection.send(refusal)
            }
            connection.requestClose()
            return true
        }
        if !isAppend {
            let response: [UInt8]?
            switch request.params {
            case nil, .object([:])?:
                response = request.id.map { RPCResponse.resultLine(id: $0, encodedResult: pingResult.encoded(store: store, version: version)) }
            default:
                response = Self.line(id: request.id, Result { () throws(RPCError) in
                    _ = try NoParams.decode(request.params)
                    return SystemMethods.ping(store: store, version: version)
                })
            }
            finish(connection, response, inFlight: false)
            return true
        }
        let append: EventMethods.AppendRequest
        do {
            append = try EventMethods.AppendParams.decode(request.params).request()
        } catch {
            finish(connection, Self.line(id: request.id, .failure(error)), inFlight: true)
            return true
        }
        let actor = RequestContext.actor(of: connection.peer, grant: Grant(principal: principal, unit: nil, actingFor: nil))
        // Encoded here, on the connection's thread, so the committer only splices the bytes in.
        let encodedData = append.events.map { $0.data.canonicalBytes() }
        let (logger, id, this) = (self.logger, request.id, self)
        // This is the connection's own thread, which may block: a lone writer commits right here,
        // unless its peer pipelines (more requests already received), whose appends are batched.
        store.submit(mayCommitInline: !connection.pipelined, { txn, log in
            try log.append(txn, stream: append.stream, expected: append.expected, events: append.events, actor: actor,
                           encodedData: encodedData)
        }, completion: { result in
            // On the committer thread (or this one): the answer is written from here, without a hand-over.
            let response: [UInt8]?
            switch result {
            case .success(let outcome):
                response = id.map { RPCResponse.resultLine(id: $0, encodedResult: EventMethods.appendResultBytes(stream: append.stream, outcome)) }
            case .failure(let error):
                response = Self.line(id: id, .failure(WireError.from(error, method: "events.append", logger: logger)))
            }
            this.finish(connection, response, inFlight: true)
        })
        return true
    }

    /// Writes `response` and ends the request, closing the connection if the server is shutting down.
    private func finish(_ connection: SocketConnection, _ response: [UInt8]?, inFlight: Bool) {
        if !connections.endRequest(connection, sending: response, inFlight: inFlight) { connection.requestClose() }
    }

    /// The response line of `result`, or nil for a notification (never answered).
    private static func line(id: JSONValue?, _ result: Result<JSONValue, RPCError>) -> [UInt8]? {
        guard let id else { return nil }
        let response: JSONValue
        switch result {
        case .success(let value): response = RPCResponse.result(id: id, value)
        case .failure(let error): response = RPCResponse.error(id: id, error)
        }
        var bytes = response.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

/// The compact JSON of the last `system.ping` result, remade when the head has moved.
final class PingResultCache: Sendable {
    private let cached = Mutex<(seq: UInt64, bytes: [UInt8])?>(nil)

    func encoded(store: EventStore, version: String) -> [UInt8] {
        let head = store.head
        if let hit = cached.withLock({ $0 }), hit.seq == head.seq { return hit.bytes }
        let bytes = SystemMethods.ping(head: head, version: version).compactBytes()
        cached.withLock { $0 = (head.seq, bytes) }
        return bytes
    }
}
