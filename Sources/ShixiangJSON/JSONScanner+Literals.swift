/// `true`, `false`, `null`.
extension JSONScanner {
    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        if count - pos >= n {
            var i = 0
            while i < n && base[pos + i] == w[i] { i += 1 }
            if i == n {
                pos += n
                return
            }
        }
        throw invalidLiteral(expected: "\(word)")
    }

    func invalidLiteral(expected: String?) -> JSONParseError {
        // Collect the offending word (letters only, at most 12) for the message.
        var end = pos
        while end < count && end - pos < 12 {
            let b = base[end] | 0x20
            if b >= 0x61 && b <= 0x7A { end += 1 } else { break }
        }
        let word = String(decoding: UnsafeBufferPointer(start: base + pos, count: max(end - pos, 1)), as: UTF8.self)
        let hint: String
        if let expected {
            hint = " (did you mean \(expected)?)"
        } else {
            hint = " (NaN and Infinity are not allowed in JSON)"
        }
        return JSONParseError(
            kind: .invalidLiteral, offset: pos,
            message: "Invalid JSON at byte \(pos): '\(word)' is not a valid value\(hint)")
    }
}
