import ShixiangJSON
import Testing

@testable import ShixiangRPC

/// Whatever the quick scan accepts, the general parser and validator must accept with the same
/// id, method and params; what it refuses goes to them anyway.
@Suite struct RequestHeadTests {
    func scan(_ text: String) -> RequestHead? {
        Array(text.utf8).withUnsafeBytes { RequestHead.scan($0) }
    }

    func general(_ text: String) -> RPCRequest? {
        guard let value = try? Array(text.utf8).withUnsafeBytes({ try JSONValue.parse($0) }),
              case .success(let request) = RPCRequest.validate(value) else { return nil }
        return request
    }

    /// The scan may accept a line whose params are not valid JSON: the server parses that span
    /// strictly and, if it fails, hands the whole line to the general path. So the promise is:
    /// accepted, with params absent or parsing, means the general path accepts it the same.
    func agree(_ text: String) {
        guard let head = scan(text) else { return }
        if let span = head.params, (try? Array(text.utf8)[span].withUnsafeBytes({ try JSONValue.parse($0) })) == nil { return }
        guard let request = general(text) else {
            Issue.record("scan accepted what the parser refuses: \(text)")
            return
        }
        #expect(head.id == request.id, "\(text)")
        #expect(head.method == request.method, "\(text)")
        let params = head.params.flatMap { span in try? Array(text.utf8)[span].withUnsafeBytes { try JSONValue.parse($0) } }
        #expect(params == request.params, "\(text)")
    }

    @Test func plainRequestsAreRead() {
        let head = scan(#" { "jsonrpc" : "2.0", "id": 17, "method":"system.ping" } "#)
        #expect(head == RequestHead(id: .int(17), method: "system.ping", params: nil))
        let text = #"{"params":{"stream":"s","events":[{"type":"t","data":{"a":"}]\"{"}}]},"method":"events.append","jsonrpc":"2.0","id":"x-1"}"#
        let append = scan(text)
        #expect(append?.id == .string("x-1"))
        #expect(append?.method == "events.append")
        agree(text)
        #expect(scan(#"{"jsonrpc":"2.0","method":"system.ping"}"#)?.id == nil, "a notification")
        #expect(scan(#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"m"}"#)?.id == .int(.min))
    }

    @Test func unusualShapesAreLeftToTheParser() {
        for text in [
            #"[{"jsonrpc":"2.0","id":1,"method":"system.ping"}]"#,  // batch
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping","id":2}"#,  // repeated member
            #"{"jsonrpc":"2.0","id":1,"method":"sys\u0074em.ping"}"#,  // escape
            #"{"jsonrpc":"2.0","id":1.5,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":01,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":-0,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":9223372036854775808,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":null,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping","extra":1}"#,
            #"{"jsonrpc":"1.0","id":1,"method":"system.ping"}"#,
            #"{"id":1,"method":"system.ping"}"#,
            #"{"jsonrpc":"2.0","id":1}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping",}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping"} x"#,
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping","params":"p"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"system.ping","params":{"a":"unterminated}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"长"}"#,
            "{}", "", "{", "null",
        ] {
            #expect(scan(text) == nil, "\(text)")
        }
    }

    @Test func randomMutationsNeverMakeItDisagree() {
        var rng = SplitMix(state: 0x5eed)
        let base = Array(#"{"jsonrpc":"2.0","id":12,"method":"events.append","params":{"stream":"s","expectedVersion":"any","events":[{"type":"t","data":{"k":[1,"two",{"3":null}]}}]}}"#.utf8)
        let alphabet = Array(#"{}[]",:\ 0123456789-.eE"ajn"#.utf8)
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<Int(rng.next() % 3 + 1) {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                }
            }
            agree(String(decoding: bytes, as: UTF8.self))
        }
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
