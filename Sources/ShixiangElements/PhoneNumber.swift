/// The phone-number rule for 咨询电话 / 监督电话 (enquiry and complaint phone).
///
/// A value may list several numbers separated by 、 ， , ； or ;. Each number, trimmed, must
/// - be 7–20 characters of digits, `-`, space, `(`, `)`, `（`, `）` or a leading `+`, with at
///   least 7 digits; or
/// - be one of the 5-digit 12xxx public service hotlines (12345 政务服务便民热线, 12315, 12366 …),
///   which are the most common complaint channel and shorter than 7 characters.
/// The complaint field (监督电话) may also hold a complaint platform address starting with
/// `http://` or `https://` (Annex 4 row 36: 电话、投诉举报网络平台).
public enum PhoneNumber: Sendable {
    /// Characters that separate several numbers in one value.
    public static let separators: Set<Character> = ["、", "，", ",", "；", ";"]

    /// The parts of `text` that are not acceptable numbers (empty when the value is fine).
    /// An empty or whitespace-only value yields `[""]`.
    public static func invalidParts(of text: String, allowURL: Bool) -> [String] {
        let parts = text.split(whereSeparator: { separators.contains($0) }).map(\.trimmedWhitespace)
        if parts.allSatisfy(\.isEmpty) { return [""] }
        return parts.filter { !$0.isEmpty && !isAcceptable($0, allowURL: allowURL) }
    }

    /// Whether one trimmed part is an acceptable number (or URL when `allowURL`).
    public static func isAcceptable(_ part: String, allowURL: Bool) -> Bool {
        if allowURL, part.hasPrefix("http://") || part.hasPrefix("https://"), part.count > 8 { return true }
        let characters = Array(part)
        let digits = characters.filter { $0.isASCII && $0.isWholeNumber }.count
        if characters.count == 5, digits == 5, part.hasPrefix("12") { return true }
        guard (7...20).contains(characters.count), digits >= 7 else { return false }
        for (i, c) in characters.enumerated() {
            if c.isASCII && c.isWholeNumber { continue }
            if ["-", " ", "(", ")", "（", "）"].contains(c) { continue }
            if c == "+" && i == 0 { continue }
            return false
        }
        return true
    }
}
