import EventLog
import Logging
import NIOCore
import ShixiangJSON
import ShixiangRPC

/// Answers the two hottest methods, `system.ping` and `events.append`, on the event loop, and
/// passes every other line on to the async dispatcher unchanged.
///
/// Why not the async path for these too: each request there crosses threads four times (event
/// loop → task → committer → task → event loop), which on a 2-core machine costs more than the
/// JSON work itself. Here a ping is answered in place and an append goes straight to the committer,
/// whose completion writes the response back on this event loop. Nothing here touches LMDB or
/// blocks: decoding happens on the loop, storage work on the committer thread.
///
/// Responses carry their request's id; when a client pipelines requests, a fast answer may
/// overtake a slower one. At most ``maxInFlight`` appends per connection wait for the committer;
/// past that, reading from the connection pauses until some are answered.
final class FastPathHandler: ChannelDuplexHandler {
    typealias InboundIn = LineFrame
    typealias InboundOut = LineFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let maxInFlight = 64

    private let store: EventStore
    private let version: String
    private let limits: JSONLimits
    private let peer: PeerCredentials?
    private let policy: PolicyStore
    private let connections: ConnectionRegistry
    private let logger: Logger
    private var inFlight = 0
    private var readHeld = false

    init(store: EventStore, version: String, limits: JSONLimits, peer: PeerCredentials?, policy: PolicyStore,
         connections: ConnectionRegistry, logger: Logger) {
        self.store = store
        self.version = version
        self.limits = limits
        self.peer = peer
        self.policy = policy
        self.connections = connections
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .line(let line) = unwrapInboundIn(data),
              let value = try? line.withUnsafeReadableBytes({ bytes throws(JSONParseError) in try JSONValue.parse(bytes, limits: limits) }),
              case .object = value,
              let method = value["method"]?.stringValue, method == "system.ping" || method == "events.append",
              case .success(let request) = RPCRequest.validate(value),
              let principal = policy.principal(for: peer), method == "system.ping" || principal.roles.contains(.admin)
        else {
            // Anything else, including every malformed line and every call the access policy
            // refuses (appends are admin's), is the dispatcher's to answer.
            context.fireChannelRead(data)
            return
        }
        guard connections.beginRequest(context.channel) else {
            respond(context, id: request.id, .failure(RPCError(code: RPCErrorCode.shuttingDown, message: EventLogError.closed.description)))
            context.close(promise: nil)
            return
        }
        if method == "system.ping" {
            let result: Result<JSONValue, RPCError> = Result { () throws(RPCError) in
                _ = try NoParams.decode(request.params)
                return SystemMethods.ping(store: store, version: version)
            }
            respond(context, id: request.id, result)
            finish(context)
            return
        }
        let append: EventMethods.AppendRequest
        do {
            append = try EventMethods.AppendParams.decode(request.params).request()
        } catch {
            respond(context, id: request.id, .failure(error))
            finish(context)
            return
        }
        inFlight += 1
        let loop = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let actor = RequestContext.actor(of: peer, grant: Grant(principal: principal, unit: nil, actingFor: nil))
        let logger = self.logger
        let id = request.id
        store.submit({ txn, log in
            try log.append(txn, stream: append.stream, expected: append.expected, events: append.events, actor: actor)
        }, completion: { result in
            // On the committer thread: build the answer here, write it on the event loop.
            let answer = result.map { EventMethods.appendResult(stream: append.stream, $0) }
                .mapError { WireError.from($0, method: "events.append", logger: logger) }
            loop.eventLoop.execute {
                let (handler, context) = loop.value
                handler.inFlight -= 1
                handler.respond(context, id: id, answer)
                handler.finish(context)
            }
        })
        if inFlight >= Self.maxInFlight { readHeld = true }
    }

    func read(context: ChannelHandlerContext) {
        // Backpressure: while too many appends wait for the committer, stop reading this peer.
        if readHeld { return }
        context.read()
    }

    private func finish(_ context: ChannelHandlerContext) {
        if readHeld && inFlight < Self.maxInFlight {
            readHeld = false
            context.read()
        }
        if !connections.endRequest(context.channel) { context.close(promise: nil) }
    }

    private func respond(_ context: ChannelHandlerContext, id: JSONValue?, _ result: Result<JSONValue, RPCError>) {
        guard let id else { return }  // a notification is never answered
        let response: JSONValue
        switch result {
        case .success(let value): response = RPCResponse.result(id: id, value)
        case .failure(let error): response = RPCResponse.error(id: id, error)
        }
        var bytes = response.compactBytes()
        bytes.append(UInt8(ascii: "\n"))
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
