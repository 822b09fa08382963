import EventLog
import LMDB
import ShixiangJSON

/// The registry: commands that check the rules, append events and update the projections in the
/// same durable commit, and queries over the projections.
public final class Registry: Sendable {
    public let store: EventStore
    public let dbs: ProjectionDatabases

    /// Whether the log holds events that the creation index does not cover yet (a log written by a
    /// build without it): counts and lists as of a moment are only right after a ``rebuild(chunk:progress:)``.
    public let needsCreationIndex: Bool

    /// Opens the projections beside the log (creating their databases if needed), and removes
    /// the version index an earlier build kept (`p-versions`), which is derived and no longer read.
    public init(store: EventStore) throws {
        self.store = store
        let dbs = try ProjectionDatabases(environment: store.environment)
        self.dbs = dbs
        _ = try store.environment.removeDatabase(named: ProjectionDatabases.droppedVersionIndex)
        // An empty log is covered from its first event on; a log without the mark needs a rebuild.
        needsCreationIndex = try store.environment.write { txn in
            if try txn.delete(dbs.meta, key: ProjectionDatabases.versionIndexKey) {
                try txn.put(dbs.meta, key: ProjectionDatabases.creationIndexKey, value: [1])
            }
            if try txn.value(dbs.meta, key: ProjectionDatabases.creationIndexKey) != nil { return false }
            guard try store.queries.head(txn).seq == 0 else { return true }
            try txn.put(dbs.meta, key: ProjectionDatabases.creationIndexKey, value: [1])
            return false
        }
    }

    /// The stream prefixes the registry owns: raw appends may not write to them.
    public static let ownedStreamPrefixes = ["unit/", "item/", "entry/", "adjustment/", "filing/", "calendar/", "notice/", "archive/"]
    /// The event-type prefixes the registry owns: raw appends may not use them.
    public static let ownedTypePrefixes = ["unit.", "adjustment.", "filing.", "catalogue.", "implementation.", "calendar.", "supervision.", "archive."]

    /// Runs a command in the next group commit: decide from the current state, append, fold, stage.
    func run<R: Sendable>(actor: JSONValue, _ body: @escaping @Sendable (inout CommandScope, borrowing TransactionView) throws -> R) async throws -> R {
        let dbs = self.dbs
        return try await store.write { view, log in
            var scope = CommandScope(session: ProjectionSession(dbs: dbs), log: log, actor: actor)
            let result = try body(&scope, view)
            try scope.session.stage(into: &scope.log)
            log = scope.log
            return result
        }
    }

    // MARK: Units

    public func registerUnit(code: String, name: String, kind: String, level: String, guidingUnit: String?, actor: JSONValue) async throws -> UnitRecord {
        let command = UnitCommands.Register(code: code, name: name, kind: kind, level: level, guidingUnit: guidingUnit)
        return try await run(actor: actor) { s, txn in try UnitCommands.register(command, &s, txn) }
    }

    public func renameUnit(code: String, name: String, actor: JSONValue) async throws -> UnitRecord {
        try await run(actor: actor) { s, txn in try UnitCommands.rename(code: code, name: name, &s, txn) }
    }

    public func dissolveUnit(code: String, reason: String, actor: JSONValue) async throws -> UnitRecord {
        try await run(actor: actor) { s, txn in try UnitCommands.dissolve(code: code, reason: reason, &s, txn) }
    }

    public func zeroReport(unit: String, category: String, note: String, actor: JSONValue) async throws -> UnitRecord {
        try await run(actor: actor) { s, txn in try UnitCommands.zeroReport(code: unit, category: category, note: note, &s, txn) }
    }

    // MARK: Adjustments

    public func submit(_ proposal: AdjustmentProposal, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.submit(proposal, &s, txn) }
    }

    public func returnAdjustment(id: String, reason: String, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.return(id: id, reason: reason, &s, txn) }
    }

    public func resubmit(id: String, changes: JSONValue?, basis: String?, reason: String?, evidence: [Evidence]?,
                         effectiveAt: Timestamp?, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in
            try AdjustmentCommands.resubmit(id: id, changes: changes, basis: basis, reason: reason, evidence: evidence, effectiveAt: effectiveAt, &s, txn)
        }
    }

    public func approve(id: String, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.approve(id: id, &s, txn) }
    }

    public func publish(id: String, channels: [String], actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.publish(id: id, channels: channels, &s, txn) }
    }

    public func archive(id: String, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.archive(id: id, &s, txn) }
    }

    public func recordGuideUpdate(id: String, note: String, actor: JSONValue) async throws -> AdjustmentRecord {
        try await run(actor: actor) { s, txn in try AdjustmentCommands.recordGuideUpdate(id: id, note: note, &s, txn) }
    }

    // MARK: Filings

    public func file(unit: String, adjustments: [String], form: JSONValue, actor: JSONValue) async throws -> FilingRecord {
        try await run(actor: actor) { s, txn in try FilingCommands.submit(unit: unit, adjustments: adjustments, form: form, &s, txn) }
    }

    public func forwardFiling(id: String, to: [String], actor: JSONValue) async throws -> FilingRecord {
        try await run(actor: actor) { s, txn in try FilingCommands.forward(id: id, to: to, &s, txn) }
    }
}
