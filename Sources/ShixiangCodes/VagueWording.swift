/// Detects uncertain wording that service guides must not use (seed 004 §14: 消除“其他材料”或
/// “有关部门”等不确定性表述).
///
/// ``standard`` holds the two phrases the seed names plus the variant spelling 其它材料.
/// Extend it with ``adding(_:)`` or build your own list with ``init(terms:)``.
public struct VagueWording: Hashable, Sendable {
    /// A phrase to flag.
    public struct Term: Hashable, Sendable, Codable {
        /// The exact phrase, matched literally (case- and width-sensitive).
        public var phrase: String
        /// Why it is flagged, for the clerk (Chinese).
        public var reason: String
        /// Where the rule comes from.
        public var source: String

        public init(phrase: String, reason: String, source: String) {
            self.phrase = phrase
            self.reason = reason
            self.source = source
        }
    }

    /// One occurrence of a flagged phrase.
    public struct Finding: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The field that was checked (a header or key, as passed in).
        public var field: String
        /// The phrase found.
        public var phrase: String
        /// 1-based character position of the phrase in the text.
        public var position: Int
        /// Up to 10 characters of context either side.
        public var excerpt: String
        /// Why it is flagged.
        public var reason: String
        /// Where the rule comes from.
        public var source: String

        public var description: String {
            "\(field): 不确定性表述 (vague wording) “\(phrase)” at character \(position) in “\(excerpt)” — \(reason) (\(source))"
        }
    }

    /// The phrases flagged, in order.
    public var terms: [Term]

    public init(terms: [Term]) {
        self.terms = terms
    }

    /// 其他材料, 其它材料 and 有关部门.
    public static let standard = VagueWording(terms: [
        Term(phrase: "其他材料", reason: "申请材料须逐项列明，不得以“其他材料”兜底", source: "seed 004 §14"),
        Term(phrase: "其它材料", reason: "申请材料须逐项列明，不得以“其它材料”兜底（“其他材料”的异写）", source: "seed 004 §14"),
        Term(phrase: "有关部门", reason: "须写明具体部门名称，不得使用“有关部门”", source: "seed 004 §14"),
    ])

    /// A copy with `term` appended.
    public func adding(_ term: Term) -> VagueWording {
        VagueWording(terms: terms + [term])
    }

    /// All occurrences of every term in `text`, ordered by position then term order.
    /// Occurrences of one term do not overlap; empty text or terms give no findings.
    public func findings(in text: String, field: String) -> [Finding] {
        let characters = Array(text)
        var result: [Finding] = []
        for term in terms {
            let needle = Array(term.phrase)
            guard !needle.isEmpty, needle.count <= characters.count else { continue }
            var i = 0
            while i + needle.count <= characters.count {
                if characters[i..<(i + needle.count)].elementsEqual(needle) {
                    let from = max(0, i - 10)
                    let to = min(characters.count, i + needle.count + 10)
                    result.append(Finding(
                        field: field, phrase: term.phrase, position: i + 1,
                        excerpt: String(characters[from..<to]), reason: term.reason, source: term.source))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return result.enumerated().sorted {
            ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
        }.map(\.element)
    }

    /// ``findings(in:field:)`` with the ``standard`` terms.
    public static func findings(in text: String, field: String) -> [Finding] {
        standard.findings(in: text, field: field)
    }
}
