import ShixiangJSON
import ShixiangRPC

/// Params of a method: decoded from the request's named params, refusing fields it does not know
/// (so a misspelt field is reported instead of silently ignored).
public protocol RPCParams: Decodable, Sendable {
    /// Every field name the method accepts.
    static var fields: Set<String> { get }

    /// Decodes `params` (absent means `{}`), with errors that name the offending field. The
    /// default is ``decodeStrictly(_:)``; a hot method may read the common well-formed case
    /// directly and leave everything else to it, so its errors stay the same.
    static func decode(_ params: JSONValue?) throws(RPCError) -> Self
}

extension RPCParams {
    public static func decode(_ params: JSONValue?) throws(RPCError) -> Self {
        try decodeStrictly(params)
    }

    /// Decodes `params` (absent means `{}`) through `Decodable`, refusing unknown fields, with
    /// errors that name the offending field.
    public static func decodeStrictly(_ params: JSONValue?) throws(RPCError) -> Self {
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
                           // A member named "" cannot be named by data.field (a non-empty path); the message says it.
                           data: key.isEmpty ? nil : ["field": .string(key)])
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

/// Refuses members of a nested params object that its type does not know, naming the first one.
///
/// Call from a nested params type's `init(from:)`; top-level params are checked by ``RPCParams``.
func rejectUnknownMembers(_ decoder: any Decoder, allowed: Set<String>) throws {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    let container = try decoder.container(keyedBy: AnyKey.self)
    if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
        throw DecodingError.dataCorrupted(.init(
            codingPath: decoder.codingPath + [AnyKey(stringValue: unknown)],
            debugDescription: "unknown field (allowed here: \(allowed.sorted().joined(separator: ", ")))"))
    }
}
