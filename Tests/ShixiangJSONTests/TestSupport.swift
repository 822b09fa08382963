import ShixiangTestSupport
@testable import ShixiangJSON


/// A realistic registry event (the same shape as the benchmark's).
let sampleEvent = """
{"seq":1048576,"id":"evt_01J9Z8K3M4N5P6Q7R8S9T0V1W2","type":"registry.entry.amended","ts":"2024-11-05T08:30:15.123456Z",\
"actor":{"id":"u-20931","name":"王小明","role":"registrar"},"prev":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",\
"data":{"unit":"上海市浦东新区市场监督管理局","title":"营业执照变更登记","amount":1234567.89,"ratio":0.125,"count":42,"active":true,"note":null,\
"evidence":[{"kind":"scan","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","pages":3},\
{"kind":"photo","sha256":"a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3","pages":1},\
{"kind":"sign","sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae","pages":2}]}}
"""

/// Generates random JSON values covering every case, awkward strings and numbers.
struct ValueGenerator {
    var rng: SplitMix64

    static let stringPieces: [String] = [
        "", "a", "id", "Z", "中文", "名称", "é", "e\u{301}", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}",
        "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "😀", "\u{10FFFF}", "\u{FEFF}", " ", "x y",
        "0", "-", "true", "null", "ä", "Ω", "𝄞",
    ]

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func string() -> String {
        var s = ""
        for _ in 0..<int(5) { s += Self.stringPieces[int(Self.stringPieces.count)] }
        return s
    }

    mutating func double() -> Double {
        switch int(8) {
        case 0: return Double(int(1000)) / 8
        case 1: return Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (int(2) == 0 ? 1 : -1)
        case 2: return [0.1, 1e-7, 1.5e300, -2.5e-300, .leastNonzeroMagnitude, 1.7976931348623157e308, 9007199254740992.0,
                        9007199254740993.0, -0.0, 0.0, 1e21, 123456789.125, 3.14159][int(13)]
        case 3: return Double(Int64(bitPattern: rng.next()))
        case 4: return Double(int(1 << 20)) * 1e-3
        default: return Double(bitPattern: (rng.next() >> 12) | 0x3FF0_0000_0000_0000) - 1
        }
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        let leafOnly = depth >= 5
        switch int(leafOnly ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(int(2) == 0)
        case 2:
            switch int(3) {
            case 0: return .int(Int64(int(200)) - 100)
            case 1: return .int(Int64(bitPattern: rng.next()))
            default: return .int([Int64.min, Int64.max, 0, -1, 1 << 53, -(1 << 53)][int(6)])
            }
        case 3, 4: return .double(double())
        case 5: return .string(string())
        case 6:
            var a: [JSONValue] = []
            for _ in 0..<int(5) { a.append(value(depth: depth + 1)) }
            return .array(a)
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<int(6) { o[string()] = value(depth: depth + 1) }
            return .object(o)
        }
    }
}

func parse(_ s: String) throws -> JSONValue { try JSONValue.parse(s) }
func canon(_ v: JSONValue) -> String { v.canonicalString }
