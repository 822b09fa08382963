/// The four properties of DA/T 70-2018 (电子档案四性检测) a check belongs to.
public enum ArchiveProperty: String, Sendable, Codable, CaseIterable {
    /// 真实性: content and metadata are what was created and sent (digests, signatures, attributes).
    case authenticity
    /// 完整性: everything required is present, nothing missing, counts and sizes match.
    case integrity
    /// 可用性: metadata and content can be read; archival formats, no private compression or encryption.
    case usability
    /// 安全性: no malicious or unexpected content; the package was not tampered with.
    case security

    /// The Chinese name used by DA/T 70, e.g. `真实性`.
    public var chineseName: String {
        switch self {
        case .authenticity: return "真实性"
        case .integrity: return "完整性"
        case .usability: return "可用性"
        case .security: return "安全性"
        }
    }
}
