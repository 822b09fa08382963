/// `JSONValue` is itself `Codable`, so it can be embedded in any `Codable`
/// type (for example a free-form `data` member). With `JSONValueEncoder` and
/// `JSONValueDecoder` it passes through unchanged; with other coders it maps to
/// the natural JSON shape.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let own = decoder as? _JSONValueDecoderImpl {
            self = own.value
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else if let s = try? single.decode(String.self) {
            self = .string(s)
        } else if let a = try? single.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try single.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let own = encoder as? _JSONValueEncoderImpl {
            own.node.state = .value(self)
            return
        }
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let b): try single.encode(b)
        case .int(let i): try single.encode(i)
        case .double(let d): try single.encode(d)
        case .string(let s): try single.encode(s)
        case .array(let a): try single.encode(a)
        case .object(let o): try single.encode(o)
        }
    }
}
