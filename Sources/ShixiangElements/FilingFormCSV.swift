import Foundation
import ShixiangCodes

/// The filing form (动态调整备案表, seed 000 Annex 2) as a spreadsheet, one row per adjustment —
/// which is also the shape of a batch's 动态调整明细表. UTF-8 with BOM, CRLF.
///
/// Columns: ``ShixiangCodes/FilingFormField/headers`` in form order — 实施/指导单位, 政务服务事项名称,
/// 行使层级, 调整内容（基本目录）, 调整内容（实施清单）, 调整详情, 调整依据, 备注. Exactly one of the two
/// 调整内容 cells is filled per row. Export only: values are plain text, written verbatim.
public enum FilingFormCSV: Sendable {
    /// The header record.
    public static func header() -> [String] {
        FilingFormField.headers
    }

    /// One record from plain values, aligned with ``header()``.
    public static func row(
        unit: String, itemName: String, level: String,
        catalogueAdjustment: String, implementationAdjustment: String,
        details: String, basis: String, remarks: String
    ) -> [String] {
        var cells: [String] = []
        for field in FilingFormField.allCases {
            switch field {
            case .unit: cells.append(unit)
            case .itemName: cells.append(itemName)
            case .exerciseLevel: cells.append(level)
            case .catalogueAdjustment: cells.append(catalogueAdjustment)
            case .implementationAdjustment: cells.append(implementationAdjustment)
            case .details: cells.append(details)
            case .basis: cells.append(basis)
            case .remarks: cells.append(remarks)
            }
        }
        return cells
    }

    /// One record with the adjustment content placed in its column. `level` is the level label
    /// as the form prints it (区级, 乡镇级; see ``ShixiangCodes/ExerciseLevel/filingFormLabel``).
    public static func row(
        unit: String, itemName: String, level: String, adjustment: FilingAdjustmentContent,
        details: String, basis: String, remarks: String = ""
    ) -> [String] {
        row(unit: unit, itemName: itemName, level: level,
            catalogueAdjustment: adjustment.field == .catalogueAdjustment ? adjustment.cellText : "",
            implementationAdjustment: adjustment.field == .implementationAdjustment ? adjustment.cellText : "",
            details: details, basis: basis, remarks: remarks)
    }

    /// One record for an ``ShixiangCodes/ExerciseLevel``: its filing-form label (区级, 乡镇级),
    /// or its table label for other levels.
    public static func row(
        unit: String, itemName: String, level: ExerciseLevel, adjustment: FilingAdjustmentContent,
        details: String, basis: String, remarks: String = ""
    ) -> [String] {
        row(unit: unit, itemName: itemName, level: level.filingFormLabel ?? level.label, adjustment: adjustment,
            details: details, basis: basis, remarks: remarks)
    }

    /// The whole file from records built with `row`.
    public static func write(rows: [[String]]) -> Data {
        CSVWriter().data(header: header(), rows: rows)
    }
}
