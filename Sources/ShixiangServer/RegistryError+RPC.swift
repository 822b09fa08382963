import Registry
import ShixiangJSON
import ShixiangRPC

extension RegistryError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case let .rule(field, _):
            return RPCError(code: RPCErrorCode.ruleViolation, message: description, data: ["field": .string(field)])
        case let .illegalTransition(_, state, _):
            return RPCError(code: RPCErrorCode.illegalTransition, message: description,
                            data: ["state": .string(String(state.prefix { $0 != " " }))])
        case let .notFound(what, key):
            return RPCError(code: RPCErrorCode.notFound, message: description, data: ["what": .string(what), "key": .string(key)])
        case let .alreadyExists(what, key):
            return RPCError(code: RPCErrorCode.alreadyExists, message: description, data: ["what": .string(what), "key": .string(key)])
        }
    }
}
