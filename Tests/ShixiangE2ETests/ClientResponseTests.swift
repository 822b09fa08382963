import Foundation
import Glibc
import Testing
@testable import ShixiangClient
import ShixiangJSON
import ShixiangRPC
import ShixiangTestSupport

/// How ``RegistryConnection`` reads answers, against a scripted server that answers each request
/// line with lines given in advance: the daemon's own result lines (read without parsing their
/// envelope) and every other shape a server may send (read the general way).
@Suite struct ClientResponseTests {
    /// A Unix-socket server on its own thread that, for each request line it reads, writes the next
    /// script entry's lines (with `{ID}` replaced by the request's id), then closes.
    final class ScriptedServer: @unchecked Sendable {
        let path: String
        private let listener: Int32
        private let directory: TemporaryDirectory

        init(_ script: [[String]]) throws {
            directory = try TemporaryDirectory("client-lines")
            path = directory.file("s.sock")
            let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0, listen(listener, 1) == 0 else { throw TestSupportError("cannot listen on \(path)") }
            Thread {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                defer { close(fd) }
                var pending: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                for answer in script {
                    var line: [UInt8]
                    while true {
                        if let nl = pending.firstIndex(of: 10) {
                            line = Array(pending[..<nl])
                            pending.removeSubrange(...nl)
                            break
                        }
                        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                        guard n > 0 else { return }
                        pending.append(contentsOf: buffer[..<n])
                    }
                    let id = (try? JSONValue.parse(line))?["id"]?.intValue ?? 0
                    let out = answer.map { $0.replacingOccurrences(of: "{ID}", with: String(id)) + "\n" }.joined()
                    _ = out.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
                }
            }.start()
        }

        deinit { close(listener) }
    }

    func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test func resultLinesOfTheDaemonsShapeAreReadWithoutTheirEnvelope() {
        let prefix = Array(#"{"id":12,"jsonrpc":"2.0","result":"#.utf8)
        func result(_ line: String) -> JSONValue? {
            Array(line.utf8).withUnsafeBytes { RegistryConnection.resultOnly($0, prefix: prefix) }
        }
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":{"head":{"seq":3},"v":"一"}}"#) == ["head": ["seq": 3], "v": "一"])
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":null}"#) == .some(.null))
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":[1,"x"]}"#) == [1, "x"])
        // Anything else is left to the general path.
        #expect(result(#"{"id":123,"jsonrpc":"2.0","result":1}"#) == nil)        // another request's
        #expect(result(#"{"error":{"code":-32601,"message":"m"},"id":12,"jsonrpc":"2.0"}"#) == nil)
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":{},"extra":1}"#) == nil) // more members
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":{"a":}}"#) == nil)       // malformed result
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":1} "#) == nil)           // not ending in }
        #expect(result(#"{"id":12,"jsonrpc":"2.0","result":}"#) == nil)             // no result at all
    }

    @Test func everyShapeOfAnswerIsReadAsItMeans() async throws {
        let server = try ScriptedServer([
            [#"{"id":{ID},"jsonrpc":"2.0","result":{"a":[1,2]}}"#],                       // the daemon's shape
            [#"{"jsonrpc":"2.0","result":{"b":true},"id":{ID}}"#],                        // another member order
            [#"{"id":{ID},"jsonrpc":"2.0","result":{"c":1},"x":0}"#],                     // an extra member
            [#"{"jsonrpc":"2.0","method":"events.event","params":{"n":1}}"#,              // a notification first
             #"{"id":{ID},"jsonrpc":"2.0","result":"after"}"#],
            [#"{"error":{"code":-32004,"message":"Not found."},"id":{ID},"jsonrpc":"2.0"}"#], // an error
            [#"{"id":999,"jsonrpc":"2.0","result":1}"#],                                  // someone else's answer
        ])
        let path = server.path
        let outcomes = try await onThread { () -> [String] in
            try RegistryConnection.withConnection(socketPath: path) { c in
                var seen: [String] = []
                seen.append(try c.call("m").compactString)
                seen.append(try c.call("m").compactString)
                seen.append(try c.call("m").compactString)
                seen.append(try c.call("m").compactString)
                seen.append((try c.nextNotification(timeout: .zero)).map { "\($0.method) \($0.params.compactString)" } ?? "no notification")
                do { _ = try c.call("m"); seen.append("no error") } catch let e as RPCError { seen.append("RPCError \(e.code)") }
                do { _ = try c.call("m"); seen.append("no error") } catch let e as ClientError { seen.append("\(e)".contains("expected the response to request") ? "mismatch" : "\(e)") }
                return seen
            }
        }
        #expect(outcomes == [#"{"a":[1,2]}"#, #"{"b":true}"#, #"{"c":1}"#, #""after""#, #"events.event {"n":1}"#,
                             "RPCError -32004", "mismatch"])
    }

    /// Typed results (``RegistryConnection/call(_:_:decoding:)``, ``RegistryConnection/ping()``):
    /// read from the line's bytes on the daemon's shape, from the parsed result otherwise, and a
    /// result of another shape is an invalid response, not a crash or a default.
    @Test func typedResultsAreReadInEveryShapeAndCheckedForTheirs() async throws {
        let hash = String(repeating: "ab", count: 32)
        let server = try ScriptedServer([
            [#"{"id":{ID},"jsonrpc":"2.0","result":{"head":{"hash":"\#(hash)","seq":7},"version":"0.9.0"}}"#],
            [#"{"jsonrpc":"2.0","result":{"version":"1","extra":[1],"head":{"seq":0,"hash":"00"}},"id":{ID}}"#],
            [#"{"jsonrpc":"2.0","method":"events.event","params":{"n":1}}"#,
             #"{"id":{ID},"jsonrpc":"2.0","result":{"head":{"hash":"h","seq":1},"version":"2"}}"#],
            [#"{"id":{ID},"jsonrpc":"2.0","result":{"head":{"hash":"h","seq":-1},"version":"2"}}"#],   // negative seq
            [#"{"id":{ID},"jsonrpc":"2.0","result":{"version":"2"}}"#],                                // no head
            [#"{"id":{ID},"jsonrpc":"2.0","result":[1,2]}"#],                                          // not an object
            [#"{"error":{"code":-32603,"message":"Internal error."},"id":{ID},"jsonrpc":"2.0"}"#],
            [#"{"id":{ID},"jsonrpc":"2.0","result":12}"#],
        ])
        let path = server.path
        let outcomes = try await onThread { () -> [String] in
            try RegistryConnection.withConnection(socketPath: path) { c in
                var seen: [String] = []
                func attempt(_ body: () throws -> String) {
                    do { seen.append(try body()) } catch let e as RPCError { seen.append("RPCError \(e.code)") } catch let e as ClientError {
                        seen.append("\(e)".contains("unexpected result") || "\(e)".contains("needs version") ? "invalid" : "\(e)")
                    } catch { seen.append("other \(error)") }
                }
                for _ in 0..<7 {
                    attempt { let p = try c.ping(); return "\(p.version) \(p.headSeq) \(p.headHash.prefix(4))" }
                }
                attempt { String(try c.call("m", decoding: { try $0.readInteger() })) }
                seen.append((try c.nextNotification(timeout: .zero)).map { $0.method } ?? "no notification")
                return seen
            }
        }
        #expect(outcomes == ["0.9.0 7 abab", "1 0 00", "2 1 h", "invalid", "invalid", "invalid", "RPCError -32603", "12",
                             "events.event"])
    }
}
