import EventLog
import Registry
import Foundation
import Logging
import ServiceLifecycle
import ShixiangServer

/// The daemon: takes the data directory's lock, opens the log, serves the socket until SIGTERM or
/// SIGINT, then drains and closes everything in order.
public enum Daemon {
    /// Runs until a shutdown signal. Throws before serving if the daemon cannot start.
    public static func run(_ config: DaemonConfiguration, logger: Logger) async throws {
        try prepare(config)
        let lock = try DaemonLock(dataDirectory: config.dataDirectory)
        try checkSocketFree(config.socketPath)
        let policy = PolicyStore(try loadPolicy(config, logger: logger))

        var options = EventStoreOptions()
        options.environment.initialMapSize = config.initialMapSize
        options.environment.maxMapSize = config.maxMapSize
        let store = try EventStore(directory: config.dataDirectory, options: options, logger: logger)
        defer { store.close() }
        logger.info("log opened", metadata: [
            "data.dir": "\(config.dataDirectory)", "event.seq": "\(store.head.seq)",
        ])

        var server = ServerConfiguration(socketPath: config.socketPath)
        server.socketMode = config.socketMode
        server.maxLineBytes = config.maxLineBytes
        server.maxConnections = config.maxConnections
        let connections = ConnectionRegistry()
        let registry = try Registry(store: store)
        if registry.needsCreationIndex {
            // A log written before the creation index: build it (and every projection) before serving.
            logger.notice("building the creation index from the log", metadata: ["event.seq": "\(store.head.seq)"])
            let report = try await registry.rebuild()
            logger.notice("creation index built", metadata: ["event.seq": "\(report.events)", "seconds": "\(Int(report.seconds))"])
        }
        let methods = methodTable(store: store, registry: registry, server: server, connections: connections, policy: policy)
        let service = RegistryServer(configuration: server, methods: methods, logger: logger, connections: connections, fastPath: store,
                                     policy: policy)
        let reloader = PolicyReloader(config: config, policy: policy, logger: logger)
        defer { reloader.cancel() }

        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
        store.close()
        logger.info("stopped", metadata: ["event.seq": "\(store.head.seq)"])
        withExtendedLifetime(lock) {}
    }

    /// Every method the daemon serves.
    public static func methodTable(store: EventStore, registry: Registry, server: ServerConfiguration, connections: ConnectionRegistry,
                                   policy: PolicyStore) -> MethodTable {
        var table = MethodTable()
        EventMethods.register(into: &table, store: store, configuration: server)
        RegistryMethods.register(into: &table, registry: registry)
        AccessMethods.register(into: &table, registry: registry, policy: policy)
        SystemMethods.register(into: &table, store: store, configuration: server, startedAt: Date(),
                               connections: { connections.count })
        table.registerListing()
        return table
    }

    /// The access policy: the configured file, or without one only the daemon's own user, as admin.
    static func loadPolicy(_ config: DaemonConfiguration, logger: Logger) throws(DaemonError) -> AccessPolicy {
        guard let path = config.policyFile else {
            let policy = AccessPolicy.ownerOnly()
            logger.notice("no access policy file configured: serving only uid \(getuid()) (the daemon's own user), as admin; set `policy` in the config to serve others")
            return policy
        }
        do {
            let policy = try AccessPolicy.load(path: path)
            logger.info("access policy loaded", metadata: ["policy.file": "\(path)", "policy.principals": "\(policy.entries.count)"])
            return policy
        } catch {
            throw .badPolicy(error.description)
        }
    }

    static func prepare(_ config: DaemonConfiguration) throws(DaemonError) {
        let fm = FileManager.default
        for (dir, mode) in [(config.dataDirectory, 0o750), ((config.socketPath as NSString).deletingLastPathComponent, 0o755)] where !dir.isEmpty {
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
            } catch {
                throw .cannotPrepare(path: dir, reason: (error as NSError).localizedDescription)
            }
        }
    }

    /// Refuses a socket path where a live daemon listens; a stale socket file is left for the
    /// server to replace.
    static func checkSocketFree(_ path: String) throws(DaemonError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw .cannotPrepare(path: path, reason: "a file that is not a socket is in the way")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected == 0 { throw .socketInUse(path) }
    }
}
