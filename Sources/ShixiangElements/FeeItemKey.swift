/// The keys of one fee item in the `feeStandard` array (收费标准, Annex 4 row 21).
///
/// `feeStandard` is an array of objects, one per charged item:
/// `{"name": "工本费", "standard": "每证10元", "document": "川价费〔2019〕12号"}`.
/// ``name`` and ``standard`` are required in each entry; ``document`` (the price authority's
/// approval, 文件规范全称及文号) is optional. `feeBasis` (收费依据, row 22) is a separate field:
/// an array of document citations (text), where a single string is accepted and normalised to
/// a one-element array.
public enum FeeItemKey: String, CaseIterable, Hashable, Sendable, Codable {
    /// 收费项目: what is charged for.
    case name
    /// 收费标准: amount or rate.
    case standard
    /// 核定文件: the approving document's full name and number.
    case document

    /// The JSON key.
    public var key: String { rawValue }

    /// The Chinese name.
    public var header: String {
        switch self {
        case .name: "收费项目"
        case .standard: "收费标准"
        case .document: "核定文件"
        }
    }

    /// True for ``name`` and ``standard``.
    public var isRequired: Bool { self != .document }
}
