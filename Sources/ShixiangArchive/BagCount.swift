/// The `Bag-Count` of a bag that is one of a group: "ordinal of total", total unknown as `?`.
public struct BagCount: Sendable, Equatable, Codable {
    /// This bag's position, from 1.
    public var ordinal: Int
    /// How many bags the group has, or `nil` while not yet known.
    public var total: Int?

    public init(ordinal: Int, total: Int?) {
        self.ordinal = ordinal
        self.total = total
    }

    /// The value as written in `bag-info.txt`, e.g. `2 of 5` or `2 of ?`.
    public var text: String {
        "\(ordinal) of \(total.map(String.init) ?? "?")"
    }
}
