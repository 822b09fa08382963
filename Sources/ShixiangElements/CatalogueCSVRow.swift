import ShixiangCodes
import ShixiangJSON

/// One catalogue item as a spreadsheet row: its 基本编码, its normalised directory elements,
/// status and power source.
///
/// Equality and hashing ignore ``sourceLine``, which is provenance, not data; so
/// `CatalogueCSV.parse(CatalogueCSV.write(rows)).rows == rows` compares the data.
public struct CatalogueCSVRow: Hashable, Sendable {
    /// 基本编码, as text.
    public var basicCode: String
    /// The directory elements, normalised (see ``DirectoryElements``).
    public var elements: JSONValue
    /// 状态; nil when the cell is empty.
    public var status: ItemStatus?
    /// 权力来源; nil when the cell is empty.
    public var powerSource: PowerSource?
    /// The 1-based source line the row was read from; nil for rows built in code.
    public var sourceLine: Int?

    public init(basicCode: String, elements: JSONValue, status: ItemStatus? = nil, powerSource: PowerSource? = nil, sourceLine: Int? = nil) {
        self.basicCode = basicCode
        self.elements = elements
        self.status = status
        self.powerSource = powerSource
        self.sourceLine = sourceLine
    }

    public static func == (lhs: CatalogueCSVRow, rhs: CatalogueCSVRow) -> Bool {
        lhs.basicCode == rhs.basicCode && lhs.elements == rhs.elements
            && lhs.status == rhs.status && lhs.powerSource == rhs.powerSource
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(basicCode)
        hasher.combine(elements)
        hasher.combine(status)
        hasher.combine(powerSource)
    }
}
