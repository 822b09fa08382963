import EventLog
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import ShixiangJSON
import ShixiangRPC
import Synchronization

/// The JSON-RPC service on a Unix domain socket.
///
/// Channel handlers only frame lines; every request is answered in async Swift, and nothing that
/// touches storage runs on an event loop. Requests on one connection are answered in order; clients
/// open more connections for parallel work. On graceful shutdown (SIGTERM through the service group)
/// it stops accepting, lets requests in progress finish, closes every connection and removes the socket.
public final class RegistryServer: Service {
    public let configuration: ServerConfiguration
    private let methods: MethodTable
    private let logger: Logger
    private let group: any EventLoopGroup
    private let connections: ConnectionRegistry
    private let fastPathStore: EventStore?
    /// Who may do what; replace its policy to reload.
    public let policy: PolicyStore
    private let listener = Mutex<(any Channel)?>(nil)
    private let ready = OneShotSignal()

    /// - Parameter fastPath: the log whose `system.ping` and `events.append` are answered on the
    ///   event loop (see `FastPathHandler`); `nil` sends every request through `methods`.
    public init(configuration: ServerConfiguration, methods: MethodTable, logger: Logger,
                connections: ConnectionRegistry = ConnectionRegistry(), fastPath: EventStore? = nil,
                policy: PolicyStore = PolicyStore(.ownerOnly()),
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.policy = policy
        self.connections = connections
        self.fastPathStore = fastPath
        self.methods = methods
        self.logger = logger
        self.group = eventLoopGroup
    }

    /// Open connections right now.
    public var connectionCount: Int { connections.count }

    /// Returns once the socket is listening (or the server has stopped).
    public func waitUntilListening() async { await ready.wait() }

    public func run() async throws {
        let path = configuration.socketPath
        let maxLine = configuration.maxLineBytes
        let (store, version, depth) = (fastPathStore, configuration.version, configuration.maxJSONDepth)
        let (connections, logger, policy) = (self.connections, self.logger, self.policy)
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                PeerCredentials.read(from: channel).flatMapThrowing { peer in
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: maxLine)))
                    if let store {
                        try channel.pipeline.syncOperations.addHandler(FastPathHandler(
                            store: store, version: version, limits: JSONLimits(maxDepth: depth), peer: peer,
                            policy: policy, connections: connections, logger: logger))
                    }
                    let async = try NIOAsyncChannel<LineFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                    return AcceptedConnection(channel: async, peer: peer)
                }
            }
        chmod(path, mode_t(configuration.socketMode))
        listener.withLock { $0 = server.channel }
        logger.info("listening", metadata: ["socket.path": "\(path)"])
        ready.raise()
        defer {
            unlink(path)
            logger.info("socket closed", metadata: ["socket.path": "\(path)"])
        }

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        tasks.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: no new connections, finishing requests in progress")
            self.listener.withLock { $0 }?.close(promise: nil)
            self.connections.shutDown()
        }
    }

    private struct AcceptedConnection: Sendable {
        var channel: NIOAsyncChannel<LineFrame, ByteBuffer>
        var peer: PeerCredentials?
    }

    private func serve(_ accepted: AcceptedConnection) async {
        let channel = accepted.channel.channel
        guard let id = connections.add(channel) else {
            try? await channel.close()
            return
        }
        defer { connections.remove(channel) }
        var logger = self.logger
        logger[metadataKey: "connection.id"] = "\(id)"
        if let peer = accepted.peer { logger[metadataKey: "peer.uid"] = "\(peer.uid)" }
        var context = RequestContext(peer: accepted.peer, connectionID: id, logger: logger, subscriptions: SubscriptionTable())
        let dispatcher = Dispatcher(methods: methods, limits: JSONLimits(maxDepth: configuration.maxJSONDepth), policy: policy)
        let limit = configuration.maxLineBytes
        do {
            try await accepted.channel.executeThenClose { inbound, outbound in
                let writer = ConnectionWriter(outbound: outbound, allocator: channel.allocator)
                context.notify = { method, params in try? await writer.send(RPCResponse.notification(method: method, params: params)) }
                try await withThrowingDiscardingTaskGroup { followUps in
                    for try await frame in inbound {
                        guard connections.beginRequest(channel) else { break }
                        switch frame {
                        case .oversized:
                            try await writer.send(RPCResponse.error(id: .null, RPCError(code: RPCErrorCode.requestTooLarge,
                                message: "Request too large: a request line may be at most \(limit) bytes. The connection will be closed.")))
                            logger.notice("closing connection after an oversized request line")
                            followUps.cancelAll()
                            return
                        case .line(let line):
                            if line.readableBytes == 0 { _ = connections.endRequest(channel); continue }
                            let answer = await dispatcher.answer(line, context: context)
                            if let response = answer.response { try await writer.send(response) }
                            for work in answer.followUps { followUps.addTask { await work(writer) } }
                        }
                        guard connections.endRequest(channel) else { break }
                    }
                    // The peer is gone or we are closing: end its subscriptions too.
                    followUps.cancelAll()
                }
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
    }
}
