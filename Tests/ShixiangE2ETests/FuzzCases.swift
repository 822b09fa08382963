import ShixiangTestSupport
import Foundation
import ShixiangJSON
import ShixiangRPC


/// One malformed (or odd but valid) request line and what the daemon must answer.
struct FuzzCase {
    /// The line, without its newline; never contains `\n`.
    var line: [UInt8]
    var label: String
    /// Codes the error may carry; `nil` means a result or any error will do.
    var codes: Set<Int>?
    /// The id the response must carry: the request's own, or null when the daemon cannot read it
    /// (`nil` here: either).
    var id: JSONValue?
    /// For a batch line: the answers expected, by element id (null-id answers counted separately).
    var batch: BatchExpectation?
}

struct BatchExpectation {
    /// Element id → allowed codes (`nil`: must be a result).
    var byID: [JSONValue: Set<Int>?]
    /// Elements the daemon cannot take an id from: answered with id null and −32600.
    var nullIDs: Int
}

/// Builds malformed requests from a seeded generator.
struct FuzzGenerator {
    var rng: SplitMix64
    var nextID: Int64
    let maxLine: Int

    /// A registered unit, an approved catalogue item and an adjustment, so that registry methods
    /// reach their deeper paths (deadlines, ledgers, metrics).
    let unit: String, item: String, adjustment: String

    init(seed: UInt64, worker: Int, maxLine: Int, unit: String, item: String, adjustment: String) {
        rng = SplitMix64(seed: seed &+ UInt64(worker) &* 0x1000_0001)
        nextID = Int64(worker) * 10_000_000
        self.maxLine = maxLine
        self.unit = unit
        self.item = item
        self.adjustment = adjustment
    }

    /// Dates and numbers at and past the edges of what the calendar, the clock and the integers hold.
    static let oddDates = ["\"2026-11-24\"", "\"2026-11-24T09:30:00+08:00\"", "\"0000-01-01\"", "\"0001-01-01T00:00:00Z\"",
                           "\"9999-12-31T23:59:59.999999Z\"", "\"2026-02-30\"", "\"2026-13-01\"", "\"2026-01-01T24:00:00Z\"",
                           "\"2026-01-01T00:00:00+99:99\"", "\"2026-01-01T00:00:00.1234567890123Z\"", "\"-271821-04-20\"",
                           "\"+275760-09-13\"", "\"99999999-01-01\"", "\"2026-1-1\"", "\"\"", "\"now\"", "20261124", "1e18", "-1", "null",
                           "\"2004-01-01\"", "\"2003-12-31\"", "\"2027-01-01\"", "\"2100-06-30\""]
    static let oddCounts = ["0", "-1", "1", "5", "250", "100000", "2147483647", "2147483648", "9223372036854775807", "-9223372036854775808", "1.5", "\"5\""]

    /// A registry or audit method with an odd date or count.
    mutating func dated(_ n: Int64) -> FuzzCase {
        let d = pick(Self.oddDates), d2 = pick(Self.oddDates), k = pick(Self.oddCounts)
        let (method, params) = pick([
            ("supervision.overdue", #"{"asOf":\#(d)}"#),
            ("supervision.overdue", #"{"asOf":\#(d),"unit":"\#(unit)"}"#),
            ("metrics.get", #"{"asOf":\#(d),"unit":"\#(unit)"}"#),
            ("ledger.get", #"{"unit":"\#(unit)","asOf":\#(d)}"#),
            ("unit.get", #"{"code":"\#(unit)","asOf":\#(d)}"#),
            ("catalogue.get", #"{"code":"\#(item)","inForceOn":\#(d)}"#),
            ("catalogue.get", #"{"code":"\#(item)","inForceOn":\#(d),"asOf":\#(d2)}"#),
            ("catalogue.list", #"{"asOf":\#(d),"limit":\#(k)}"#),
            ("audit.replay", #"{"asOf":\#(d),"limit":\#(k)}"#),
            ("audit.diff", #"{"from":\#(d),"to":\#(d2),"format":"csv"}"#),
            ("events.read", #"{"until":\#(d),"limit":\#(k)}"#),
            ("adjustment.deadlines", #"{"id":"\#(adjustment)"}"#),
            ("adjustment.list", #"{"unit":"\#(unit)"}"#),
            ("supervision.notice", #"{"unit":"\#(unit)","subject":"\#(adjustment)","reason":"逾期未备案","workingDays":\#(k)}"#),
            ("calendar.publish", #"{"year":\#(k),"holidays":[{"date":\#(d),"name":"元旦"}],"makeupWorkdays":[],"source":"fuzz"}"#),
            ("events.append", #"{"stream":"m/dated","expectedVersion":"any","events":[{"type":"fuzz.dated.v1","data":{},"effectiveAt":\#(d)}]}"#),
            ("adjustment.resubmit", #"{"id":"\#(adjustment)","effectiveAt":\#(d)}"#),
        ])
        return FuzzCase(line: Array(request(n, method, params).utf8), label: "dates and counts", codes: nil, id: .int(n))
    }

    static let parse: Set<Int> = [RPCErrorCode.parseError]
    static let invalid: Set<Int> = [RPCErrorCode.invalidRequest]
    static let params: Set<Int> = [RPCErrorCode.invalidParams]
    static let notFound: Set<Int> = [RPCErrorCode.methodNotFound]

    mutating func id() -> Int64 { nextID += 1; return nextID }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ options: [T]) -> T { options[int(0...options.count - 1)] }

    /// Methods that are cheap and harmless whatever their params (no files, no rebuilds).
    static let templates: [(method: String, params: String)] = [
        ("system.ping", "{}"),
        ("system.stats", "{}"),
        ("events.read", #"{"fromSeq":1,"limit":3,"stream":"m/x"}"#),
        ("events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":"fuzz.recorded.v1","data":{"n":1,"s":"事项"}}]}"#),
        ("audit.verify", #"{"fromSeq":1,"toSeq":2}"#),
        ("unit.get", #"{"code":"11510000100000000W"}"#),
        ("catalogue.list", #"{"filter":{"text":"食品"},"limit":5}"#),
        ("adjustment.get", #"{"id":"adj-1"}"#),
        ("ledger.get", #"{"unit":"11510000100000000W"}"#),
        ("events.unsubscribe", #"{"subscription":"s-1"}"#),
        ("metrics.get", #"{"asOf":"2026-06-30"}"#),
        ("supervision.overdue", #"{"asOf":"2025-10-10"}"#),
        ("audit.diff", #"{"from":"2026-01-01","to":"2026-07-01","format":"csv"}"#),
        ("unit.register", #"{"code":"11510000MB0000021U","name":"某某镇人民政府","kind":"乡镇（街道）","level":"乡级","guidingUnit":"11510000MB0000011T"}"#),
        ("adjustment.submit", #"{"basis":"《决定》","reason":"依法调整","evidence":[{"name":"决定.pdf","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","size":1024}],"unit":"11510000MB0000011T","list":"catalogue","kind":"add","target":"000104009000","changes":{"elements":{"name":"食品经营许可","itemType":"01","content":"依申请办理","implementingBody":"区市场监管局","serviceObject":["2"],"theme":"x","legalBasis":"《行政许可法》","handlingForm":["1"],"isPublic":true}}}"#),
        ("catalogue.import", #"{"content":"基本编码,事项名称\n000104002000,食品经营许可\n"}"#),
    ]

    func request(_ id: Int64, _ method: String, _ params: String?) -> String {
        var s = #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)""#
        if let params { s += #","params":\#(params)"# }
        return s + "}"
    }

    mutating func next() -> FuzzCase {
        let n = id()
        let (method, params) = pick(Self.templates)
        let valid = request(n, method, params)
        switch int(0...19) {
        case 0:  // invalid UTF-8 inside a string
            var bytes = Array(valid.utf8)
            let quote = bytes.lastIndex(of: UInt8(ascii: "\"")) ?? 1
            bytes.insert(contentsOf: pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe6, 0x96], [0xf8, 0x88, 0x80, 0x80, 0x80]]), at: quote)
            return FuzzCase(line: bytes, label: "invalid UTF-8", codes: Self.parse, id: .null)
        case 1:  // cut short
            let bytes = Array(valid.utf8)
            return FuzzCase(line: Array(bytes.prefix(int(1...bytes.count - 1))), label: "truncated", codes: Self.parse, id: .null)
        case 2:  // random bytes
            var bytes = (0..<int(1...200)).map { _ in UInt8.random(in: 0...255, using: &rng) }.map { $0 == 0x0a ? 0x20 : $0 }
            // Not whitespace (an empty line gets no answer) and not `[` (a batch gets an array).
            bytes[0] = pick(Array("x!#%&'()*+<>?@^`|~-0123456789\"tfn".utf8))
            return FuzzCase(line: bytes, label: "garbage", codes: Self.parse.union(Self.invalid), id: .null)
        case 3:  // nesting beyond the limit, balanced or not
            let depth = int(63...20_000)
            let inner = String(repeating: "[", count: depth) + (chance(0.5) ? String(repeating: "]", count: depth) : "")
            return FuzzCase(line: Array(request(n, "system.ping", #"{"x":\#(inner)}"#).utf8), label: "deep nesting", codes: Self.parse, id: .null)
        case 4:  // nesting within the limit: valid JSON, unknown field
            let depth = int(1...60)
            let inner = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            return FuzzCase(line: Array(request(n, "system.ping", #"{"x":\#(inner)}"#).utf8), label: "nesting", codes: Self.params, id: .int(n))
        case 5:  // huge or odd numbers
            let number = pick(["1e400", "-1e400", "123456789012345678901234567890", "18446744073709551616", "9223372036854775808",
                               "-1", "1.5", "-0", "0.0", "1e2", "1E-7", "4294967296"])
            if chance(0.3) {
                return FuzzCase(line: Array(#"{"jsonrpc":"2.0","id":\#(number),"method":"system.ping"}"#.utf8), label: "numeric id \(number)",
                                codes: Self.parse, id: nil)  // a representable id is answered with a result
                    .withCodes(number.contains("e4") ? Self.parse : nil)
            }
            let field = pick(["limit", "fromSeq"])
            let acceptable: Set<String> = field == "limit" ? ["1e2"] : ["-0", "0.0", "1e2", "4294967296", "9223372036854775808"]
            let codes: Set<Int>? = number.contains("e4") ? Self.parse : acceptable.contains(number) ? nil : Self.params
            return FuzzCase(line: Array(request(n, "events.read", #"{"\#(field)":\#(number)}"#).utf8), label: "number \(field)=\(number)",
                            codes: codes, id: number.contains("e4") ? .null : .int(n))
        case 6:  // huge strings
            let length = int(1_000...(maxLine - 200))
            let text = String(repeating: pick(["a", "é", "事", "\\n", "\\u4e8b"]), count: length / 6)
            if chance(0.5) {
                return FuzzCase(line: Array(request(n, "x.\(text)", nil).utf8), label: "huge method", codes: Self.notFound, id: .int(n))
            }
            return FuzzCase(line: Array(request(n, "system.ping", #"{"x":"\#(text)"}"#).utf8), label: "huge string", codes: Self.params, id: .int(n))
        case 7:  // wrong types
            let cases: [(String, Set<Int>, Bool)] = [
                (#"{"jsonrpc":2.0,"id":\#(n),"method":"system.ping"}"#, Self.invalid, true),
                (#"{"jsonrpc":"2.0","id":\#(n),"method":7}"#, Self.invalid, true),
                (#"{"jsonrpc":"2.0","id":\#(n),"method":null}"#, Self.invalid, true),
                (#"{"jsonrpc":"2.0","id":\#(n),"method":"system.ping","params":"x"}"#, Self.invalid, true),
                (#"{"jsonrpc":"2.0","id":\#(n),"method":"system.ping","params":7}"#, Self.invalid, true),
                (#"{"jsonrpc":"2.0","id":{"a":1},"method":"system.ping"}"#, Self.invalid, false),
                (#"{"jsonrpc":"2.0","id":[1],"method":"system.ping"}"#, Self.invalid, false),
                (#"{"jsonrpc":"2.0","id":true,"method":"system.ping"}"#, Self.invalid, false),
                (request(n, "events.read", "[1,2]"), Self.params, true),
                (request(n, "events.read", #"{"limit":"x"}"#), Self.params, true),
                (request(n, "events.read", #"{"fromSeq":true}"#), Self.params, true),
                (request(n, "events.read", #"{"stream":[]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":5,"expectedVersion":"any","events":[]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":true,"events":[]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":{}}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":"t","data":"x"}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":7,"data":{}}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":-1,"events":[{"type":"t","data":{}}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":"t","data":{},"effectiveAt":"yesterday"}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"id":"not-a-uuid","type":"t","data":{}}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"","expectedVersion":"any","events":[{"type":"t","data":{}}]}"#), Self.params, true),
                (request(n, "events.append", #"{"stream":"a b","expectedVersion":"any","events":[{"type":"t","data":{}}]}"#), Self.params, true),
                (request(n, "unit.get", #"{"code":null}"#), Self.params, true),
                (request(n, "unit.register", #"{"code":1,"name":"x","kind":"districtDepartment","level":"4"}"#), Self.params, true),
                (request(n, "audit.verify", #"{"fromSeq":5,"toSeq":2}"#), Self.params, true),
                (request(n, "catalogue.list", #"{"limit":0}"#), Self.params.union([RPCErrorCode.ruleViolation]), true),
                (request(n, "adjustment.submit", #"{"unit":[],"list":"catalogue"}"#), Self.params, true),
                // Backup paths that can never be written (nothing here may create a file).
                (request(n, "system.backup", #"{"path":"relative.mdb"}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":""}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":5}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":"/no-such-directory-\#(n)/b.mdb"}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":"/proc/self/b.mdb"}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":"/dev/null/b.mdb"}"#), Self.params, true),
                (request(n, "system.backup", #"{"path":"/"}"#), Self.params.union([RPCErrorCode.alreadyExists]), true),
                (request(n, "system.backup", #"{"path":"/dev/null"}"#), [RPCErrorCode.alreadyExists], true),
                (request(n, "system.backup", #"{"path":"/tmp/../tmp"}"#), [RPCErrorCode.alreadyExists], true),
            ]
            let (line, codes, hasID) = pick(cases)
            return FuzzCase(line: Array(line.utf8), label: "wrong type", codes: codes, id: hasID ? .int(n) : .null)
        case 8:  // unknown members
            let cases: [(String, Set<Int>)] = [
                (#"{"jsonrpc":"2.0","id":\#(n),"method":"system.ping","extra":1}"#, Self.invalid),
                (#"{"jsonrpc":"2.0","id":\#(n),"method":"system.ping","Params":{}}"#, Self.invalid),
                (request(n, "events.read", #"{"limt":3}"#), Self.params),
                (request(n, "system.stats", #"{"verbose":true}"#), Self.params),
                (request(n, "events.read", #"{"":3}"#), Self.params),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":"t","data":{},"extra":1}]}"#), Self.params),
                (request(n, "events.append", #"{"stream":"m/x","expectedVersion":"any","events":[{"type":"t","data":{}}],"force":true}"#), Self.params),
            ]
            let (line, codes) = pick(cases)
            return FuzzCase(line: Array(line.utf8), label: "unknown member", codes: codes, id: .int(n))
        case 9:  // duplicate members
            let line = pick([
                #"{"jsonrpc":"2.0","id":\#(n),"id":\#(n),"method":"system.ping"}"#,
                #"{"jsonrpc":"2.0","id":\#(n),"method":"system.ping","method":"system.stats"}"#,
                request(n, "events.read", #"{"limit":1,"limit":2}"#),
                request(n, "events.append", #"{"stream":"m/x","stream":"m/y","expectedVersion":"any","events":[{"type":"t","data":{}}]}"#),
            ])
            return FuzzCase(line: Array(line.utf8), label: "duplicate member", codes: Self.parse, id: .null)
        case 10:  // unknown methods
            let name = pick(["", " ", "system", "system.", ".ping", "System.Ping", "system.ping ", "events.delete", "rpc.discover", "事项.获取", "x.\\u0000", "a\\u0000b"])
            return FuzzCase(line: Array(request(n, name, chance(0.5) ? "{}" : nil).utf8), label: "unknown method", codes: Self.notFound, id: .int(n))
        case 11, 12:  // a batch mixing good and bad calls
            return batch()
        case 13:  // not an object
            let line = pick(["42", "\"system.ping\"", "null", "true", "-7.5", "{}", "[]", "{\"jsonrpc\":\"2.0\"}", "{\"id\":1}"])
            return FuzzCase(line: Array(line.utf8), label: "not a request object", codes: Self.invalid, id: line == "{\"id\":1}" ? .int(1) : .null)
        case 14:  // whitespace and escapes around a valid request
            let line = pick([" ", "\t", "\r"]) + valid + pick(["", " ", "\t"])
            return FuzzCase(line: Array(line.utf8), label: "padded", codes: nil, id: .int(n))
        case 15, 16:
            return dated(n)
        default:  // a valid request with a few bytes mutated after the id
            let prefix = #"{"jsonrpc":"2.0","id":\#(n),"method":"\#(method)","params":"#
            var tail = Array((params + "}").utf8)
            let alphabet: [UInt8] = Array("{}[]\",:\\-+.eE0123456789truefalsnul \t".utf8) + [0x00, 0x01, 0x7f, 0x80, 0xbf, 0xc3, 0xe4, 0xff, 0x0d]
            for _ in 0..<int(1...4) {
                let at = int(0...tail.count - 1)
                switch int(0...2) {
                case 0: tail[at] = pick(alphabet)
                case 1: if tail.count > 1 { tail.remove(at: at) }
                default: tail.insert(pick(alphabet), at: at)
                }
            }
            return FuzzCase(line: Array(prefix.utf8) + tail, label: "mutated \(method)", codes: nil, id: nil)
        }
    }

    /// A batch of good calls, bad calls and notifications (never only notifications).
    mutating func batch() -> FuzzCase {
        var elements: [String] = []
        var byID: [JSONValue: Set<Int>?] = [:]
        var nullIDs = 0
        for i in 0..<int(1...12) {
            let n = id()
            switch int(0...6) {
            case 0: elements.append(request(n, "system.ping", nil)); byID[.int(n)] = .some(nil)
            case 1: elements.append(request(n, "events.read", #"{"limit":2}"#)); byID[.int(n)] = .some(nil)
            case 2: elements.append(request(n, "no.such", nil)); byID[.int(n)] = Self.notFound
            case 3: elements.append(request(n, "events.read", #"{"limit":-3}"#)); byID[.int(n)] = Self.params
            case 4: elements.append(pick(["1", "\"x\"", "null", "[]", "{}"])); nullIDs += 1
            case 5: elements.append(#"{"jsonrpc":"2.0","method":"system.ping"}"#)  // a notification
            default:
                let sid = JSONValue.string("b-\(n)-\(i)")
                elements.append(#"{"jsonrpc":"2.0","id":"b-\#(n)-\#(i)","method":"system.stats"}"#); byID[sid] = .some(nil)
            }
        }
        if byID.isEmpty && nullIDs == 0 {
            let n = id()
            elements.append(request(n, "system.ping", nil))
            byID[.int(n)] = .some(nil)
        }
        return FuzzCase(line: Array("[\(elements.joined(separator: ","))]".utf8), label: "batch", codes: nil, id: nil,
                        batch: BatchExpectation(byID: byID, nullIDs: nullIDs))
    }
}

extension FuzzCase {
    func withCodes(_ codes: Set<Int>?) -> FuzzCase {
        var copy = self
        copy.codes = codes
        return copy
    }
}
