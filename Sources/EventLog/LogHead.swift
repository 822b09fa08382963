/// The last stored event's position and hash: what the next append links to.
public struct LogHead: Sendable, Hashable {
    /// 0 for an empty log.
    public var seq: UInt64
    /// ``EventEnvelope/genesisHash`` for an empty log.
    public var hash: [UInt8]
    /// The last `recordedAt`, so that time never goes backwards along the log.
    public var recordedAt: Timestamp

    public static let empty = LogHead(seq: 0, hash: EventEnvelope.genesisHash, recordedAt: Timestamp(microseconds: 0))
}
