/// The registry's event types: stable, versioned names. Never rename one; add a `.v2` and upcast.
public enum EventType {
    public static let unitRegistered = "unit.registered.v1"
    public static let unitRenamed = "unit.renamed.v1"
    public static let unitDissolved = "unit.dissolved.v1"
    public static let unitZeroReported = "unit.zeroReported.v1"

    public static let adjustmentSubmitted = "adjustment.submitted.v1"
    public static let adjustmentReturned = "adjustment.returned.v1"
    public static let adjustmentResubmitted = "adjustment.resubmitted.v1"
    public static let adjustmentApproved = "adjustment.approved.v1"
    public static let adjustmentPublished = "adjustment.published.v1"
    public static let adjustmentFiled = "adjustment.filed.v1"
    public static let adjustmentForwarded = "adjustment.forwarded.v1"
    public static let adjustmentArchived = "adjustment.archived.v1"
    /// The unit updated its offline guide and window display after an implementation-list change (seed 002 §16).
    public static let adjustmentGuideUpdated = "adjustment.guideUpdated.v1"

    public static let filingSubmitted = "filing.submitted.v1"
    public static let filingForwarded = "filing.forwarded.v1"

    public static let itemAdded = "catalogue.itemAdded.v1"
    public static let itemChanged = "catalogue.itemChanged.v1"
    public static let itemDelegated = "catalogue.itemDelegated.v1"
    public static let itemTakenOver = "catalogue.itemTakenOver.v1"
    public static let itemCancelled = "catalogue.itemCancelled.v1"
    public static let itemReinstated = "catalogue.itemReinstated.v1"
    public static let itemRecorded = "catalogue.itemRecorded.v1"

    public static let entryAdded = "implementation.entryAdded.v1"
    public static let entryChanged = "implementation.entryChanged.v1"
    public static let entryCancelled = "implementation.entryCancelled.v1"
    public static let entrySplit = "implementation.entrySplit.v1"
    public static let entryLevelChanged = "implementation.entryLevelChanged.v1"
    public static let entryRecorded = "implementation.entryRecorded.v1"

    public static let calendarPublished = "calendar.published.v1"

    public static let noticeIssued = "supervision.noticeIssued.v1"
    public static let noticeRectified = "supervision.rectified.v1"

    /// The watermark of an archive export (stream `archive/exports`).
    public static let archiveExported = "archive.exported.v1"
}
