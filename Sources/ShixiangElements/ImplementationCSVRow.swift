import ShixiangCodes
import ShixiangJSON

/// One implementation entry as a spreadsheet row: the implementing unit's credit code, the
/// catalogue item's 基本编码 and the normalised fields (see ``ImplementationFields``; the
/// exercise level is the `exerciseLevel` field).
///
/// Equality and hashing ignore ``sourceLine``.
public struct ImplementationCSVRow: Hashable, Sendable {
    /// 实施机构统一社会信用代码.
    public var unitCode: String
    /// 基本编码.
    public var basicCode: String
    /// The 34 unit-filled fields, normalised.
    public var fields: JSONValue
    /// The 1-based source line the row was read from; nil for rows built in code.
    public var sourceLine: Int?

    public init(unitCode: String, basicCode: String, fields: JSONValue, sourceLine: Int? = nil) {
        self.unitCode = unitCode
        self.basicCode = basicCode
        self.fields = fields
        self.sourceLine = sourceLine
    }

    /// 实施编码 derived from the unit, the `exerciseLevel` field and the basic code; nil when
    /// any part is invalid.
    public var implementationCode: ImplementationCode? {
        guard let unit = try? UnifiedSocialCreditCode.parse(unitCode),
              let basic = try? BasicCode.parse(basicCode),
              let levelCode = fields[ImplementationField.exerciseLevel.key]?.stringValue,
              let level = ExerciseLevel(code: levelCode)
        else { return nil }
        return ImplementationCode.derive(unit: unit, level: level, basic: basic)
    }

    public static func == (lhs: ImplementationCSVRow, rhs: ImplementationCSVRow) -> Bool {
        lhs.unitCode == rhs.unitCode && lhs.basicCode == rhs.basicCode && lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(unitCode)
        hasher.combine(basicCode)
        hasher.combine(fields)
    }
}
