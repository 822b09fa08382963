import Foundation
import Testing
import ShixiangTestSupport
@testable import ShixiangDaemon

@Suite struct ConfigurationTests {
    @Test func flagsBeatEnvironmentBeatFileBeatDefaults() throws {
        let dir = try TemporaryDirectory("conf")
        let file = dir.file("d.conf")
        try """
            # comment
            data-dir = /from/file
            socket = "/from/file.sock"   # quoted, with a trailing comment
            log-level = debug
            max-line-bytes = 2048
            max-connections = 64
            socket-mode = 0600
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let env = ["SHIXIANG_SOCKET": "/from/env.sock", "HOME": "/home/x"]
        let c = try DaemonConfiguration.resolve(flags: ["log-level": "error"], configFile: file, environment: env)
        #expect(c.dataDirectory == "/from/file")
        #expect(c.socketPath == "/from/env.sock")
        #expect(c.logLevel == .error)
        #expect(c.maxLineBytes == 2048)
        #expect(c.maxConnections == 64)
        #expect(try DaemonConfiguration.resolve(flags: ["max-connections": "3"], configFile: file, environment: env).maxConnections == 3)
        #expect(c.socketMode == 0o600)
        let viaEnvFile = try DaemonConfiguration.resolve(flags: [:], configFile: nil, environment: ["SHIXIANG_CONFIG": file])
        #expect(viaEnvFile.dataDirectory == "/from/file")
    }

    @Test func badFilesAndValuesAreNamed() throws {
        let dir = try TemporaryDirectory("conf")
        let file = dir.file("d.conf")
        try "data-dir = /x\nsockett = /y\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.unknownKey(path: file, line: 2, key: "sockett")) {
            try DaemonConfiguration.resolve(flags: [:], configFile: file, environment: [:])
        }
        try "just words\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.malformedLine(path: file, line: 1)) {
            try DaemonConfiguration.resolve(flags: [:], configFile: file, environment: [:])
        }
        #expect(throws: ConfigurationError.unreadableFile(dir.file("none"))) {
            try DaemonConfiguration.resolve(flags: [:], configFile: dir.file("none"), environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.resolve(flags: ["log-level": "loud"], configFile: nil, environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.resolve(flags: ["max-line-bytes": "12"], configFile: nil, environment: [:])
        }
        for bad in ["0", "-1", "many", "100001"] {
            #expect(throws: ConfigurationError.invalidValue(key: "max-connections", value: bad, expected: "a number of connections from 1 to 100000")) {
                try DaemonConfiguration.resolve(flags: ["max-connections": bad], configFile: nil, environment: [:])
            }
        }
        let long = "/tmp/" + String(repeating: "s", count: 120) + ".sock"
        #expect(throws: ConfigurationError.socketPathTooLong(long)) {
            try DaemonConfiguration.resolve(flags: ["socket": long], configFile: nil, environment: [:])
        }
        let message = ConfigurationError.invalidValue(key: "log-level", value: "loud", expected: "trace, …").description
        #expect(message.contains("log-level = loud"))
    }

    @Test func lockRefusesASecondHolderAndNamesTheFirst() throws {
        let dir = try TemporaryDirectory("lock")
        let first = try DaemonLock(dataDirectory: dir.path)
        #expect(throws: DaemonError.alreadyRunning(dataDirectory: dir.path, pid: getpid())) {
            _ = try DaemonLock(dataDirectory: dir.path)
        }
        withExtendedLifetime(first) {}
    }
}
