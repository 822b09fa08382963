import ShixiangJSON

/// One JSON-RPC 2.0 request or notification, validated.
public struct RPCRequest: Sendable, Hashable {
    /// `nil` for a notification (no `id` member): it gets no response.
    public var id: JSONValue?
    public var method: String
    /// An object, an array, or `nil` when omitted.
    public var params: JSONValue?

    public init(id: JSONValue?, method: String, params: JSONValue?) {
        self.id = id
        self.method = method
        self.params = params
    }

    public var isNotification: Bool { id == nil }

    /// The request as a JSON object.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let id { object["id"] = id }
        if let params { object["params"] = params }
        return .object(object)
    }

    /// Validates one element of a request line. On failure returns the id to answer with (null when
    /// it cannot be determined) and the error.
    public static func validate(_ value: JSONValue) -> Result<RPCRequest, RPCInvalidRequest> {
        guard case .object(let object) = value else {
            return .failure(RPCInvalidRequest(id: .null, error: RPCError(code: RPCErrorCode.invalidRequest,
                message: "Invalid request: expected a JSON-RPC request object, got \(value.typeName).")))
        }
        var id: JSONValue? = nil
        if let given = object["id"] {
            switch given {
            case .string, .int, .double, .null: id = given
            default:
                return .failure(RPCInvalidRequest(id: .null, error: RPCError(code: RPCErrorCode.invalidRequest,
                    message: "Invalid request: \"id\" must be a string, a number or null.")))
            }
        }
        func invalid(_ message: String) -> Result<RPCRequest, RPCInvalidRequest> {
            .failure(RPCInvalidRequest(id: id ?? .null, error: RPCError(code: RPCErrorCode.invalidRequest, message: message)))
        }
        guard object["jsonrpc"] == "2.0" else { return invalid("Invalid request: \"jsonrpc\" must be exactly \"2.0\".") }
        guard let method = object["method"]?.stringValue else { return invalid("Invalid request: \"method\" must be a string.") }
        let params = object["params"]
        if let params {
            switch params {
            case .object, .array: break
            default: return invalid("Invalid request: \"params\" must be an object or an array.")
            }
        }
        for key in object.keys where !["jsonrpc", "id", "method", "params"].contains(key) {
            return invalid("Invalid request: unknown member \"\(key)\".")
        }
        return .success(RPCRequest(id: id, method: method, params: params))
    }
}

/// A request element that failed validation, with the id its error response carries.
public struct RPCInvalidRequest: Error, Sendable {
    public var id: JSONValue
    public var error: RPCError
}

/// Builders for the response objects.
public enum RPCResponse {
    public static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    public static func error(id: JSONValue, _ error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": error.json]
    }

    /// The line of a result response whose result is already encoded as compact JSON: the same
    /// bytes as `result(id:_:).compactBytes()` plus `\n`, without building and sorting the object.
    public static func resultLine(id: JSONValue, encodedResult: [UInt8]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(encodedResult.count + 48)
        line.append(contentsOf: resultLineHead)
        if case .int(let n) = id {
            // The common id, written in place (the same digits `compactBytes` writes).
            JSONValue.appendInteger(n, to: &line)
        } else {
            line.append(contentsOf: id.compactBytes())
        }
        line.append(contentsOf: resultLineMiddle)
        line.append(contentsOf: encodedResult)
        line.append(UInt8(ascii: "}"))
        line.append(UInt8(ascii: "\n"))
        return line
    }

    private static let resultLineHead: [UInt8] = Array(#"{"id":"#.utf8)
    private static let resultLineMiddle: [UInt8] = Array(#","jsonrpc":"2.0","result":"#.utf8)

    public static func notification(method: String, params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }
}
