import Foundation

/// The metadata written to `bag-info.txt`.
///
/// The writer emits, in this order: `Source-Organization`, `External-Identifier`, `Bagging-Date`,
/// `Payload-Oxum`, `Bag-Size`, `Bag-Count` (when given), then ``extraLabels`` in their order.
/// `Payload-Oxum` and `Bag-Size` are computed from the payload and cannot be set here.
///
/// Line folding: every label is written on one line, however long. RFC 8493 §2.2.2 only
/// recommends 79 characters and allows folding; unfolded lines survive every reader unchanged
/// (bagit-python keeps the line break of a folded value), so this writer never folds. The
/// validator does read folded values (continuation lines joined with one space).
public struct BagInfo: Sendable, Equatable {
    /// Labels computed by the writer, which ``extraLabels`` must not repeat (case-insensitive).
    public static let reservedLabels: Set<String> = [
        "source-organization", "external-identifier", "bagging-date", "payload-oxum", "bag-size", "bag-count",
    ]

    /// `Source-Organization`: the organisation that made the bag.
    public var sourceOrganization: String
    /// `External-Identifier`: the sender's identifier for this bag (e.g. an archive transfer number).
    public var externalIdentifier: String
    /// The day written as `Bagging-Date` (`YYYY-MM-DD` in ``timeZone``).
    public var baggingDate: Date
    /// The zone in which ``baggingDate`` is turned into a calendar day; China Standard Time by default.
    public var timeZone: TimeZone
    /// `Bag-Count`, written only when set.
    public var bagCount: BagCount?
    /// Further labels (e.g. `Contact-Name`, `Bag-Group-Identifier`, `Internal-Sender-Description`),
    /// written in order; a label may repeat.
    public var extraLabels: [BagInfoLabel]

    public init(
        sourceOrganization: String,
        externalIdentifier: String,
        baggingDate: Date = Date(),
        timeZone: TimeZone = BagInfo.chinaStandardTime,
        bagCount: BagCount? = nil,
        extraLabels: [BagInfoLabel] = []
    ) {
        self.sourceOrganization = sourceOrganization
        self.externalIdentifier = externalIdentifier
        self.baggingDate = baggingDate
        self.timeZone = timeZone
        self.bagCount = bagCount
        self.extraLabels = extraLabels
    }

    /// UTC+8 (Asia/Shanghai), falling back to a fixed +08:00 offset, then GMT.
    public static var chinaStandardTime: TimeZone {
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
    }

    /// `YYYY-MM-DD` of ``baggingDate`` in ``timeZone``.
    public var baggingDateText: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: baggingDate)
        return "\(padded(parts.year ?? 0, 4))-\(padded(parts.month ?? 0, 2))-\(padded(parts.day ?? 0, 2))"
    }

    /// The full label list for a payload of `octets` bytes in `fileCount` files.
    ///
    /// Throws ``BagWriterError/invalidLabel(_:reason:)`` for a label or value a tag file cannot hold.
    func labels(payloadOctets octets: UInt64, fileCount: Int) throws(BagWriterError) -> [BagInfoLabel] {
        var labels = [
            BagInfoLabel("Source-Organization", sourceOrganization),
            BagInfoLabel("External-Identifier", externalIdentifier),
            BagInfoLabel("Bagging-Date", baggingDateText),
            BagInfoLabel("Payload-Oxum", "\(octets).\(fileCount)"),
            BagInfoLabel("Bag-Size", BagInfo.humanSize(octets)),
        ]
        if let bagCount {
            guard bagCount.ordinal >= 1, bagCount.total.map({ $0 >= bagCount.ordinal }) ?? true else {
                throw .invalidLabel("Bag-Count", reason: "\(bagCount.text) is not a position within the group")
            }
            labels.append(BagInfoLabel("Bag-Count", bagCount.text))
        }
        for extra in extraLabels {
            if BagInfo.reservedLabels.contains(extra.label.lowercased()) {
                throw .invalidLabel(extra.label, reason: "it is computed by the writer; set it through BagInfo's own field")
            }
            labels.append(extra)
        }
        for label in labels { try TagFile.checkWritable(label) }
        return labels
    }

    /// A size for people, in decimal units with one decimal: `512 B`, `1.5 KB`, `260.0 GB`.
    public static func humanSize(_ octets: UInt64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        if octets < 1000 { return "\(octets) B" }
        var unit = 0
        var scaled = octets
        while scaled >= 999_950, unit < units.count - 2 {
            scaled /= 1000
            unit += 1
        }
        // `scaled` now rounds to below 10^6 of unit `unit`; express it in tenths of the next unit.
        let tenths = (scaled + 50) / 100
        return "\(tenths / 10).\(tenths % 10) \(units[unit + 1])"
    }

    private func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
