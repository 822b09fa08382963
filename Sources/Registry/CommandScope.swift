import EventLog
import LMDB
import ShixiangJSON

/// What one command works with inside its write closure: the state, the log, and who acts.
///
/// Commands decide from the session (current state, including their own changes so far), append
/// their events through ``emit(_:expected:_:effectiveAt:)``, which folds each stored event back into
/// the session at once, and never write anywhere else.
struct CommandScope {
    var session: ProjectionSession
    var log: LogAppender
    let actor: JSONValue

    /// Appends events to `stream` and applies them to the session. Returns the stored envelopes.
    @discardableResult
    mutating func emit<T: TransactionReading & ~Copyable>(_ txn: borrowing T, _ stream: String, expected: ExpectedVersion,
                                                          _ events: [(type: String, data: JSONValue)], effectiveAt: Timestamp? = nil) throws -> [EventEnvelope] {
        let outcome = try log.append(txn, stream: stream, expected: expected,
                                     events: events.map { NewEvent(type: $0.type, data: $0.data, effectiveAt: effectiveAt) }, actor: actor)
        for envelope in outcome.events { try Projector.apply(envelope, to: &session, txn) }
        return outcome.events
    }

    /// The seq the next appended event will get.
    var nextSeq: UInt64 { log.head.seq + 1 }
}

/// The expected version of an aggregate's stream, from its record's version (or no stream yet).
func expected(_ version: UInt64?) -> ExpectedVersion {
    version.map { .exactly($0) } ?? .noStream
}

extension RegistryError {
    /// A rule violation in a field that must not be empty.
    static func required(_ field: String, _ what: String) -> RegistryError {
        .rule(field: field, message: "\(what) is required.")
    }
}

extension String {
    /// The string with white space trimmed at both ends.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

import Foundation
