import EventLog
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import ShixiangJSON
import ShixiangRPC
import Synchronization

/// The JSON-RPC service on a Unix domain socket.
///
/// Each connection has a thread that reads and frames its lines (``SocketConnection``); `system.ping`
/// and `events.append` are answered there (``FastPath``), and every other request in async Swift by
/// the connection's task, so nothing that touches storage runs on a connection thread and no
/// request waits on another connection. Requests on one connection are answered in order (fast-path
/// answers may overtake); clients open more connections for parallel work. On graceful shutdown
/// (SIGTERM through the service group) it stops accepting, lets requests in progress finish, closes
/// every connection and removes the socket.
public final class RegistryServer: Service {
    public let configuration: ServerConfiguration
    private let methods: MethodTable
    private let logger: Logger
    private let connections: ConnectionRegistry
    private let fastPathStore: EventStore?
    /// Who may do what; replace its policy to reload.
    public let policy: PolicyStore
    private let listener = Mutex<UnixListener?>(nil)
    private let ready = OneShotSignal()

    /// - Parameter fastPath: the log whose `system.ping` and `events.append` are answered on the
    ///   connection's thread (see `FastPath`); `nil` sends every request through `methods`.
    public init(configuration: ServerConfiguration, methods: MethodTable, logger: Logger,
                connections: ConnectionRegistry = ConnectionRegistry(), fastPath: EventStore? = nil,
                policy: PolicyStore = PolicyStore(.ownerOnly())) {
        self.configuration = configuration
        self.policy = policy
        self.connections = connections
        self.fastPathStore = fastPath
        self.methods = methods
        self.logger = logger
    }

    /// Open connections right now.
    public var connectionCount: Int { connections.count }

    /// Returns once the socket is listening (or the server has stopped).
    public func waitUntilListening() async { await ready.wait() }

    public func run() async throws {
        let path = configuration.socketPath
        let server = try UnixListener(path: path, backlog: 256)
        chmod(path, mode_t(configuration.socketMode))
        listener.withLock { $0 = server }
        server.start()
        logger.info("listening", metadata: ["socket.path": "\(path)"])
        ready.raise()
        defer {
            unlink(path)
            logger.info("socket closed", metadata: ["socket.path": "\(path)"])
        }
        let fastPath = fastPathStore.map {
            FastPath(store: $0, version: configuration.version, limits: JSONLimits(maxDepth: configuration.maxJSONDepth),
                     policy: policy, connections: connections, logger: logger)
        }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { tasks in
                    for await fd in server.accepted {
                        tasks.addTask { await self.serve(fd, fastPath: fastPath) }
                    }
                }
            } onCancel: {
                self.stop()
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: no new connections, finishing requests in progress")
            self.stop()
        }
    }

    private func stop() {
        listener.withLock { $0 }?.close()
        connections.shutDown()
    }

    private func serve(_ fd: Int32, fastPath: FastPath?) async {
        let connection: SocketConnection
        do {
            connection = try SocketConnection(fd: fd, peer: PeerCredentials.read(fd: fd), maxLineBytes: configuration.maxLineBytes)
        } catch {
            logger.error("cannot set up a connection", metadata: ["error": "\(error)"])
            close(fd)
            return
        }
        let id: Int
        switch connections.add(connection, limit: configuration.maxConnections) {
        case .success(let number):
            id = number
        case .failure(let refusal):
            if case .full(let limit) = refusal {
                logger.warning("refusing a connection: the limit is reached", metadata: ["connections.max": "\(limit)"])
                var line = RPCResponse.error(id: .null, RPCError(code: RPCErrorCode.tooManyConnections,
                    message: "Too many connections: the daemon serves at most \(limit) at once. Close connections you no longer use and try again.",
                    data: ["maxConnections": .int(Int64(limit))])).compactBytes()
                line.append(UInt8(ascii: "\n"))
                connection.send(line)
            }
            connection.requestClose()
            connection.consumerFinished()
            connection.start(name: "shixiang-conn-closing") { _, _ in true }
            await connection.waitUntilClosed()
            return
        }
        var logger = self.logger
        logger[metadataKey: "connection.id"] = "\(id)"
        if let peer = connection.peer { logger[metadataKey: "peer.uid"] = "\(peer.uid)" }
        if let fastPath {
            connection.start(name: "shixiang-conn-\(id)") { line, connection in fastPath.handle(line, on: connection) }
        } else {
            connection.start(name: "shixiang-conn-\(id)") { _, _ in false }
        }
        await consume(connection, id: id, logger: logger)
        connection.consumerFinished()
        await connection.waitUntilClosed()
        connections.remove(connection)
    }

    /// Answers the lines the connection's thread hands on, in order, until its input ends.
    private func consume(_ connection: SocketConnection, id: Int, logger: Logger) async {
        var context = RequestContext(peer: connection.peer, connectionID: id, logger: logger, subscriptions: SubscriptionTable())
        let dispatcher = Dispatcher(methods: methods, limits: JSONLimits(maxDepth: configuration.maxJSONDepth), policy: policy)
        let writer = ConnectionWriter(connection: connection)
        let limit = configuration.maxLineBytes
        context.notify = { method, params in try? await writer.send(RPCResponse.notification(method: method, params: params)) }
        await withDiscardingTaskGroup { followUps in
            defer { followUps.cancelAll() }  // the peer is gone or we are closing: end its subscriptions too
            for await frame in connection.inbound {
                defer { connection.consumedLine() }
                guard connections.beginRequest(connection) else {
                    connection.requestClose()
                    return
                }
                switch frame {
                case .oversized:
                    try? await writer.send(RPCResponse.error(id: .null, RPCError(code: RPCErrorCode.requestTooLarge,
                        message: "Request too large: a request line may be at most \(limit) bytes. The connection will be closed.")))
                    logger.notice("closing connection after an oversized request line")
                    _ = connections.endRequest(connection)
                    connection.requestClose()
                    return
                case .line(let line):
                    let answer = await dispatcher.answer(line, context: context)
                    if let response = answer.response { try? await writer.send(response) }
                    for work in answer.followUps { followUps.addTask { await work(writer) } }
                }
                guard connections.endRequest(connection) else {
                    connection.requestClose()
                    return
                }
            }
        }
    }
}
