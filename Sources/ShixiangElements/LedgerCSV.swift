import Foundation
import ShixiangCodes

/// A unit's ledger (台账, seed 000 Annex 1 §4–5) as a spreadsheet: UTF-8 with BOM, CRLF.
/// Export only; values are plain text written verbatim.
public enum LedgerCSV: Sendable {
    /// The header record: 事项名称, 基本编码, 实施编码, 调整类型, 状态, 提交日期, 审核日期, 公布日期,
    /// 备案日期, 转送日期, 归档日期, 备注.
    public static func header() -> [String] {
        ["事项名称", "基本编码", "实施编码", "调整类型", "状态", "提交日期", "审核日期", "公布日期", "备案日期", "转送日期", "归档日期", "备注"]
    }

    /// One record, aligned with ``header()``.
    public static func row(_ line: LedgerLine) -> [String] {
        line.cells
    }

    /// One record from plain values, aligned with ``header()``.
    public static func row(
        itemName: String, basicCode: String, implementationCode: String, adjustmentKind: String, status: String,
        submittedOn: String, reviewedOn: String, publishedOn: String, filedOn: String, forwardedOn: String,
        archivedOn: String, remarks: String
    ) -> [String] {
        LedgerLine(itemName: itemName, basicCode: basicCode, implementationCode: implementationCode,
                   adjustmentKind: adjustmentKind, status: status, submittedOn: submittedOn, reviewedOn: reviewedOn,
                   publishedOn: publishedOn, filedOn: filedOn, forwardedOn: forwardedOn, archivedOn: archivedOn,
                   remarks: remarks).cells
    }

    /// The whole file.
    public static func write(_ lines: [LedgerLine]) -> Data {
        CSVWriter().data(header: header(), rows: lines.map(row))
    }
}
