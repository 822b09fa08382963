import ShixiangCodes
import ShixiangJSON

/// Renders element values into spreadsheet cells and reads them back (internal).
///
/// Cell formats: text verbatim; codes as the Chinese label (the code when the label is not
/// unique); code lists as labels joined by 、; booleans as 是/否; time limits as text
/// (`20个工作日`, `即办`); structured values (materials, fee items, fee basis, FAQ, procedure)
/// as compact JSON text with sorted keys. Reading turns an empty cell into an absent key and
/// every other cell into a string that normalisation converts — except cells of structured
/// fields starting with `[` or `{`, which are parsed as JSON.
enum ElementCell {
    static let listSeparator = "、"

    static func render(_ value: JSONValue?, kind: ValueKind) -> String {
        guard let value, !value.isNull else { return "" }
        switch kind {
        case .text, .phone:
            return value.stringValue ?? value.canonicalString
        case .code(let field):
            return value.stringValue.map(field.display) ?? value.canonicalString
        case .codeList(let field):
            if let s = value.stringValue { return field.display(s) }
            guard let items = value.arrayValue else { return value.canonicalString }
            return items.map { $0.stringValue.map(field.display) ?? $0.canonicalString }.joined(separator: listSeparator)
        case .bool:
            if let b = value.boolValue { return b ? "是" : "否" }
            return value.stringValue ?? value.canonicalString
        case .timeLimit:
            if let limit = try? TimeLimit.read(json: value) { return limit.description }
            return value.stringValue ?? value.canonicalString
        case .count:
            return value.stringValue ?? value.canonicalString
        case .materials, .feeItems, .faq, .procedure, .textList:
            return value.canonicalString
        }
    }

    /// The JSON value for a cell, nil for an empty cell; throws the parser's message for a
    /// structured cell that starts like JSON but is not.
    static func read(_ cell: String, kind: ValueKind) throws(JSONParseError) -> JSONValue? {
        if cell.isEmpty { return nil }
        if kind.isJSONCell {
            let trimmed = cell.trimmedWhitespace
            if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
                return try JSONValue.parse(trimmed)
            }
        }
        return .string(cell)
    }
}
