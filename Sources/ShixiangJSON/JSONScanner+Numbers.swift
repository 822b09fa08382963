/// Number scanning: strict RFC 8259 grammar, `Int64` when exact, otherwise `Double`.
extension JSONScanner {
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var i = pos
        var negative = false
        if base[i] == 0x2D {
            negative = true
            i += 1
        }
        guard i < count else {
            throw JSONParseError(
                kind: .invalidNumber, offset: start,
                message: "Invalid JSON at byte \(start): a '-' must be followed by digits")
        }
        var mantissa: UInt64 = 0
        var overflow = false  // more significant digits than fit in `mantissa`
        let first = base[i]
        if first == 0x30 {
            i += 1
            if i < count && base[i] &- 0x30 < 10 {
                throw JSONParseError(
                    kind: .leadingZero, offset: start,
                    message: "Invalid JSON at byte \(start): numbers must not start with a superfluous zero (like 01)")
            }
        } else if first &- 0x31 < 9 {
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if !overflow {
                    let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                    let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
                    if o1 || o2 { overflow = true } else { mantissa = m2 }
                }
                i += 1
            }
        } else {
            throw JSONParseError(
                kind: .invalidNumber, offset: i,
                message: "Invalid JSON at byte \(i): a '-' must be followed by digits")
        }
        var isInteger = true
        var fractionDigits = 0
        if i < count && base[i] == 0x2E {  // .
            isInteger = false
            i += 1
            guard i < count, base[i] &- 0x30 < 10 else {
                throw JSONParseError(
                    kind: .invalidNumber, offset: i,
                    message: "Invalid JSON at byte \(i): a decimal point must be followed by digits (write 1.0, not 1.)")
            }
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if !overflow {
                    let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                    let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
                    if o1 || o2 { overflow = true } else { mantissa = m2; fractionDigits += 1 }
                }
                i += 1
            }
        }
        var exponent = 0
        if i < count && (base[i] | 0x20) == 0x65 {  // e or E
            isInteger = false
            i += 1
            var expNegative = false
            if i < count && (base[i] == 0x2B || base[i] == 0x2D) {
                expNegative = base[i] == 0x2D
                i += 1
            }
            guard i < count, base[i] &- 0x30 < 10 else {
                throw JSONParseError(
                    kind: .invalidNumber, offset: i,
                    message: "Invalid JSON at byte \(i): an exponent ('e') must be followed by digits")
            }
            while i < count {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if exponent < 100_000_000 { exponent = exponent * 10 + Int(d) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        pos = i

        if isInteger && !overflow {
            if negative {
                if mantissa <= UInt64(Int64.max) { return .int(-Int64(mantissa)) }
                if mantissa == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }
        // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
        if !overflow && mantissa <= (1 << 53) {
            let e10 = exponent - fractionDigits
            if e10 >= -22 && e10 <= 22 {
                var d = Double(mantissa)
                if e10 < 0 { d /= Self.exactPowersOfTen[-e10] } else { d *= Self.exactPowersOfTen[e10] }
                return .double(negative ? -d : d)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw JSONParseError(
                kind: .numberOutOfRange, offset: start,
                message: "Invalid JSON at byte \(start): number out of range (too large to represent)")
        }
        return .double(d)
    }
}
