import Foundation

/// What can go wrong with the log, in terms a client can act on.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stream is not at the version the writer expected.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64?)
    /// An event id already stored with different content.
    case duplicateID(id: UUID, seq: UInt64)
    /// A request carries the same event id twice.
    case repeatedIDInRequest(id: UUID)
    /// A request that breaks the log's own rules (empty batch, bad stream name, …).
    case invalidAppend(String)
    /// A stored record that does not decode: the storage was damaged or altered.
    case corruptRecord(seq: UInt64, reason: String)
    /// The log is shutting down and takes no more writes.
    case closed
    /// The storage refused the write (disk full, map at its maximum, I/O error).
    case storage(String)

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(stream, expected, actual):
            let now = actual.map { "is at version \($0)" } ?? "does not exist yet"
            return "Stream \(stream) \(now), but the request expected \(expected.description). Reload the stream and try again."
        case let .duplicateID(id, seq):
            return "Event id \(id.uuidString.lowercased()) is already stored (seq \(seq)) with different content. Use a new id for a new event."
        case let .repeatedIDInRequest(id):
            return "Event id \(id.uuidString.lowercased()) appears more than once in the same request."
        case let .invalidAppend(reason):
            return reason
        case let .corruptRecord(seq, reason):
            return "The stored event at seq \(seq) is damaged: \(reason)."
        case .closed:
            return "The registry is shutting down and accepts no more changes."
        case let .storage(reason):
            return "The registry could not store the change: \(reason)."
        }
    }
}

/// The version a writer expects a stream to be at before its append.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's version.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have this version.
    case exactly(UInt64)

    public var description: String {
        switch self {
        case .any: return "any version"
        case .noStream: return "no stream"
        case let .exactly(v): return "version \(v)"
        }
    }
}
