import Foundation
import ShixiangJSON

/// An event a writer asks the log to store; the log stamps position, time and hash.
public struct NewEvent: Sendable, Hashable {
    /// The event's id. When given, re-sending the same event is recognised as a retry.
    public var id: UUID?
    public var type: String
    /// A JSON object.
    public var data: JSONValue
    public var effectiveAt: Timestamp?

    public init(id: UUID? = nil, type: String, data: JSONValue, effectiveAt: Timestamp? = nil) {
        self.id = id
        self.type = type
        self.data = data
        self.effectiveAt = effectiveAt
    }
}

/// What an append stored.
public struct AppendOutcome: Sendable, Hashable {
    /// The stored events, in order.
    public var events: [EventEnvelope]
    /// True when every event was already stored with the same content: a retry, nothing appended.
    public var duplicate: Bool

    /// The stream's version after the append.
    public var streamVersion: UInt64 { events.last?.version ?? 0 }
}
