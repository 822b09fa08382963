import ShixiangJSON
import ShixiangRPC

/// Params of a method: decoded from the request's named params, refusing fields it does not know
/// (so a misspelt field is reported instead of silently ignored).
public protocol RPCParams: Decodable, Sendable {
    /// Every field name the method accepts.
    static var fields: Set<String> { get }
}

extension RPCParams {
    /// Decodes `params` (absent means `{}`), with errors that name the offending field.
    public static func decode(_ params: JSONValue?) throws(RPCError) -> Self {
        let object: [String: JSONValue]
        switch params {
        case nil: object = [:]
        case .object(let o)?: object = o
        case .array?:
            throw RPCError(code: RPCErrorCode.invalidParams,
                           message: "Invalid params: this method takes named params (a JSON object), not a list.")
        default:
            throw RPCError(code: RPCErrorCode.invalidParams, message: "Invalid params: expected a JSON object.")
        }
        for key in object.keys.sorted() where !fields.contains(key) {
            let allowed = fields.sorted().joined(separator: ", ")
            throw RPCError(code: RPCErrorCode.invalidParams,
                           message: "Invalid params: unknown field \"\(key)\" (this method accepts: \(allowed.isEmpty ? "no params" : allowed)).",
                           data: ["field": .string(key)])
        }
        do {
            return try JSONValueDecoder().decode(Self.self, from: .object(object))
        } catch {
            throw RPCError(code: RPCErrorCode.invalidParams, message: "Invalid params: \(error.description)",
                           data: error.path.isEmpty ? nil : ["field": .string(error.path)])
        }
    }
}

/// Params of a method that takes none.
public struct NoParams: RPCParams {
    public static let fields: Set<String> = []
}

extension RPCError {
    /// An invalid-params error naming `field`.
    public static func invalidParams(_ field: String, _ message: String) -> RPCError {
        RPCError(code: RPCErrorCode.invalidParams, message: "Invalid params: \(field): \(message)", data: ["field": .string(field)])
    }
}
