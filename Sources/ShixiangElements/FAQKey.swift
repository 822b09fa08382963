/// The keys of one 常见问题 (FAQ) entry: `faq` is a non-empty array of
/// `{"question": "…", "answer": "…"}`, both required text (Annex 4 row 35: 采用问答式).
public enum FAQKey: String, CaseIterable, Hashable, Sendable, Codable {
    /// 问题.
    case question
    /// 解答.
    case answer

    /// The JSON key.
    public var key: String { rawValue }

    /// The Chinese name.
    public var header: String {
        switch self {
        case .question: "问题"
        case .answer: "解答"
        }
    }
}
