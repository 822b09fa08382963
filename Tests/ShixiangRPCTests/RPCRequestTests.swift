import Testing
import ShixiangJSON
@testable import ShixiangRPC

@Suite struct RPCRequestTests {
    func check(_ text: String) throws -> Result<RPCRequest, RPCInvalidRequest> {
        RPCRequest.validate(try JSONValue.parse(text))
    }

    @Test func acceptsRequestsAndNotifications() throws {
        let r = try check(#"{"jsonrpc":"2.0","id":"x","method":"m","params":{"a":1}}"#).get()
        #expect(r.id == "x" && r.method == "m" && r.params?["a"] == 1 && !r.isNotification)
        let n = try check(#"{"jsonrpc":"2.0","method":"m","params":[1]}"#).get()
        #expect(n.isNotification)
        let nullID = try check(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#).get()
        #expect(nullID.id == .null && !nullID.isNotification)
    }

    @Test func rejectsWhatIsNotARequestKeepingTheIDWhenKnown() throws {
        let cases: [(String, JSONValue)] = [
            (#"[1]"#, .null),
            (#"{"id":3,"method":"m"}"#, 3),
            (#"{"jsonrpc":"2.0","id":3}"#, 3),
            (#"{"jsonrpc":"2.0","id":3,"method":"m","params":"x"}"#, 3),
            (#"{"jsonrpc":"2.0","id":[1],"method":"m"}"#, .null),
            (#"{"jsonrpc":"2.0","id":3,"method":"m","x":1}"#, 3),
        ]
        for (text, id) in cases {
            guard case .failure(let invalid) = try check(text) else {
                Issue.record("accepted \(text)")
                continue
            }
            #expect(invalid.id == id, "\(text)")
            #expect(invalid.error.code == RPCErrorCode.invalidRequest)
        }
    }

    @Test func errorObjectsRoundTrip() {
        let e = RPCError(code: RPCErrorCode.wrongExpectedVersion, message: "m", data: ["actualVersion": 2])
        #expect(RPCError(json: e.json) == e)
        #expect(RPCError(json: ["message": "no code"]) == nil)
    }
}
