import ShixiangJSON

/// A JSON-RPC 2.0 error object: what a client receives when a call fails.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code from ``RPCErrorCode``.
    public var code: Int
    /// One or two sentences a clerk can act on.
    public var message: String
    /// Structured detail, e.g. `{"field": "changes.promisedTime"}` or `{"actualVersion": 3}`.
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (code \(code))" }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    /// Reads an error object received from a server.
    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(code: Int(code), message: message, data: json["data"])
    }
}

/// Errors that may be shown to clients opt in by conforming: they choose their code and wording.
/// Any other error reaching the server is logged in full and answered as ``RPCErrorCode/internalError``.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    public var rpcError: RPCError { self }
}

/// The stable error codes. The JSON-RPC ones are fixed by the specification; the registry's own
/// lie in the implementation-defined range −32000…−32099 and never change meaning.
public enum RPCErrorCode {
    /// The line is not valid JSON (or not valid UTF-8).
    public static let parseError = -32700
    /// Valid JSON, but not a JSON-RPC 2.0 request.
    public static let invalidRequest = -32600
    /// No such method.
    public static let methodNotFound = -32601
    /// The method exists but the params are wrong: the message names the field.
    public static let invalidParams = -32602
    /// Something failed inside the server; details are in its log, not in the reply.
    public static let internalError = -32603

    /// The stream is not at the expected version; `data.actualVersion` says where it is.
    public static let wrongExpectedVersion = -32001
    /// An event id is already stored with different content.
    public static let duplicateEventID = -32002
    /// The thing asked for does not exist.
    public static let notFound = -32003
    /// The request line is longer than the server accepts; the connection is closed.
    public static let requestTooLarge = -32004
    /// The change could not be stored (disk full, database at its size limit, I/O error). Nothing was written.
    public static let storageFailure = -32005
    /// The server is shutting down.
    public static let shuttingDown = -32006
    /// The daemon serves as many connections as it is configured to; the new one is closed.
    public static let tooManyConnections = -32007
    /// The caller is not allowed to do this.
    public static let permissionDenied = -32010
    /// The caller is not known to the server's policy.
    public static let unknownPeer = -32011
    /// The request breaks a rule of the registry; `data.field` names the offending field.
    public static let ruleViolation = -32020
    /// The action is not allowed in the object's current state; `data.state` names it.
    public static let illegalTransition = -32021
    /// The thing already exists.
    public static let alreadyExists = -32022
    /// A date or deadline cannot be computed because the working-day calendar does not cover it.
    public static let calendarUnknown = -32023
}
