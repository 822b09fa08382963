import ShixiangCodes

/// The 调整内容 (content of the adjustment) ticked on the filing form (seed 000 Annex 2):
/// a box of the 基本目录 row or of the 实施清单 row, with the text of its blank when it has one.
public enum FilingAdjustmentContent: Hashable, Sendable {
    /// A catalogue adjustment; `note` fills the blank of 变更（ ） or 其他 (what changed).
    case catalogue(CatalogueAdjustmentKind, note: String? = nil)
    /// An implementation-list adjustment; `note` fills the blank of 其他 (e.g. 认领, 新增). For
    /// 认领 and 新增, which the form has no box for, the note defaults to their label.
    case implementation(ImplementationAdjustmentKind, note: String? = nil)

    /// The form field (column) the content belongs in.
    public var field: FilingFormField {
        switch self {
        case .catalogue: .catalogueAdjustment
        case .implementation: .implementationAdjustment
        }
    }

    /// The cell text: the box label, with the note in full-width parentheses when there is one,
    /// e.g. `新增`, `变更（名称）`, `其他（认领）`.
    public var cellText: String {
        switch self {
        case let .catalogue(kind, note):
            return Self.withNote(kind.label, note)
        case let .implementation(kind, note):
            let defaultNote: String? = (kind == .claim || kind == .add) ? kind.label : nil
            return Self.withNote(kind.filingFormLabel, note ?? defaultNote)
        }
    }

    private static func withNote(_ label: String, _ note: String?) -> String {
        guard let note, !note.isEmpty else { return label }
        return "\(label)（\(note)）"
    }
}
