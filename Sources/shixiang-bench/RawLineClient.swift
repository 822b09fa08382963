#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShixiangJSON

/// A minimal blocking JSON-RPC client: one Unix socket, prebuilt request lines, `write` then `read`
/// until the newline. No NIO, no Swift tasks, no JSON parsing on the timed path.
///
/// It shows how much of a round trip is the daemon's: the difference to the figures through the
/// client library (``RegistryConnection``) is the library's cost (which, on 2 cores, also competes with the daemon for CPU).
enum RawLineClient {
    /// Figures of one raw-client loop.
    struct Figures: Sendable, Codable, Equatable {
        /// Timed round trips.
        var roundTrips: Int
        /// Round trips per second.
        var perSecond: Double
        /// Per-round-trip latency: start of the write to the arrival of the response's newline.
        var latency: LatencySummary
    }

    /// Sends each of `warmup` then `lines` (each a request without its newline) and waits for its
    /// response; only `lines` are timed. Every response must carry a `"result"`.
    static func run(socketPath: String, warmup: [[UInt8]], lines: [[UInt8]]) async throws -> Figures {
        try await onOwnThread {
            let (latencies, seconds) = try samples(socketPath: socketPath, warmup: warmup, lines: lines)
            return Figures(roundTrips: lines.count, perSecond: seconds > 0 ? Double(lines.count) / seconds : 0,
                           latency: LatencySummary(microseconds: latencies))
        }
    }

    /// ``run(socketPath:warmup:lines:)`` on a new connection, on this thread (it blocks): the
    /// latencies (µs) and the timed loop's seconds.
    static func samples(socketPath: String, warmup: [[UInt8]], lines: [[UInt8]]) throws -> (latencies: [Double], seconds: Double) {
        let fd = try openConnection(socketPath)
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        for line in warmup { try roundTrip(fd, line, &reader) }
        let clock = ContinuousClock()
        var latencies: [Double] = []
        latencies.reserveCapacity(lines.count)
        let begin = clock.now
        for line in lines {
            let started = clock.now
            try roundTrip(fd, line, &reader)
            latencies.append((clock.now - started).microseconds)
        }
        return (latencies, (clock.now - begin).seconds)
    }

    /// The request line (no newline) of a JSON-RPC call.
    static func requestLine(id: Int, method: String, params: JSONValue?) -> [UInt8] {
        var object: [String: JSONValue] = ["id": .int(Int64(id)), "jsonrpc": "2.0", "method": .string(method)]
        if let params { object["params"] = params }
        return JSONValue.object(object).canonicalBytes()
    }

    private static func roundTrip(_ fd: Int32, _ line: [UInt8], _ reader: inout LineReader) throws {
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        try writeAll(fd, bytes)
        let response = try reader.nextLine()
        // `"result":` appears in a success response and never in an error response's envelope.
        guard contains(response, Array(#""result":"#.utf8)) else {
            throw BenchError.unexpected(String(decoding: response.prefix(300), as: UTF8.self))
        }
    }

    private static func openConnection(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.daemon("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let fits = withUnsafeMutableBytes(of: &address.sun_path) { raw -> Bool in
            guard bytes.count < raw.count else { return false }
            for (i, b) in bytes.enumerated() { raw[i] = b }
            return true
        }
        guard fits else {
            close(fd)
            throw BenchError.setup("socket path too long: \(path)")
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw BenchError.daemon("connect(\(path)): \(reason)")
        }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BenchError.daemon("send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Buffered reads of newline-terminated lines.
    private struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)

        init(fd: Int32) { self.fd = fd }

        /// The next line, without its newline.
        mutating func nextLine() throws -> [UInt8] {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(buffer[..<newline])
                    buffer.removeSubrange(...newline)
                    return line
                }
                let fd = self.fd
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BenchError.daemon("recv: \(String(cString: strerror(errno)))")
                }
                if n == 0 { throw BenchError.daemon("the daemon closed the connection") }
                buffer.append(contentsOf: chunk[..<n])
            }
        }
    }
}
