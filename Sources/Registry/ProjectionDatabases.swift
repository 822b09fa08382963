import LMDB

/// The registry's projections: named LMDB databases beside the log, rebuilt from it at will.
///
/// Records are stored as canonical JSON (`mdb_dump -p -s p-items DIR` shows them). Index databases
/// map `<group>\0<key>` to nothing, so a cursor over a prefix lists a group in key order.
public struct ProjectionDatabases: Sendable {
    public let units: Database
    public let items: Database
    public let entries: Database
    public let entriesByUnit: Database
    public let adjustments: Database
    public let adjustmentsByUnit: Database
    public let adjustmentsByStatus: Database
    public let filings: Database
    /// Published year notices of the working-day calendar, by year.
    public let calendar: Database
    /// Rectification notices, by id.
    public let notices: Database
    public let meta: Database
    /// When each record came to exist: `kind \0 seq` → ordinal (8 bytes) + record key; the
    /// ordinal is how many records of that kind exist right after `seq` (see ``CreationKeys``).
    public let created: Database

    public init(environment env: Environment) throws {
        units = try env.database(named: "p-units")
        items = try env.database(named: "p-items")
        entries = try env.database(named: "p-entries")
        entriesByUnit = try env.database(named: "p-entries-by-unit")
        adjustments = try env.database(named: "p-adjustments")
        adjustmentsByUnit = try env.database(named: "p-adjustments-by-unit")
        adjustmentsByStatus = try env.database(named: "p-adjustments-by-status")
        filings = try env.database(named: "p-filings")
        calendar = try env.database(named: "p-calendar")
        notices = try env.database(named: "p-notices")
        meta = try env.database(named: "p-meta")
        created = try env.database(named: "p-created")
    }

    /// Every projection database, all of which a rebuild clears and refills in its final commit.
    public var all: [Database] {
        [units, items, entries, entriesByUnit, adjustments, adjustmentsByUnit, adjustmentsByStatus, filings, calendar, notices, created, meta]
    }

    /// The version index of earlier builds (every version of every record, 2.2× the log's size),
    /// replaced by folding a record's own stream: removed when found.
    static let droppedVersionIndex = "p-versions"

    /// The projection that holds the records of a stream kind (`item` → `p-items`), if any.
    func table(of kind: String) -> Database? {
        switch kind {
        case "unit": units
        case "item": items
        case "entry": entries
        case "adjustment": adjustments
        case "filing": filings
        case "notice": notices
        default: nil
        }
    }

    /// `group \0 key`, the key of an index entry.
    static func indexKey(_ group: String, _ key: String) -> [UInt8] {
        Array(group.utf8) + [0] + Array(key.utf8)
    }

    /// Present (in `p-meta`) once the creation index covers the whole log.
    static let creationIndexKey = Array("creationIndex".utf8)

    /// The mark of earlier builds that kept the version index: the creation index is complete too.
    /// Replaced by ``creationIndexKey`` when the version index is removed, so that such a build,
    /// opening the directory again, rebuilds its version index rather than read an empty one.
    static let versionIndexKey = Array("versionIndex".utf8)

    /// The key of the last event applied to the projections (in `p-meta`).
    static let appliedSeqKey = Array("appliedSeq".utf8)
}
