import EventLog
import LMDB
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// What an approved adjustment does to the catalogue or an implementation list: events on the
/// affected item and entry streams, appended in the approval's commit.
enum AdjustmentEffects {
    static func apply<T: TransactionReading & ~Copyable>(_ p: AdjustmentProposal, id: String, unit: UnitRecord, _ s: inout CommandScope, _ txn: borrowing T) throws {
        let c = p.changes
        let when = p.effectiveAt
        func level(_ key: String) -> ExerciseLevel? { c[key]?.stringValue.flatMap { ExerciseLevel(code: $0) } }
        func source(_ fallback: PowerSource) -> PowerSource { c["powerSource"]?.stringValue.flatMap { PowerSource(code: $0) } ?? fallback }

        switch (p.list, p.kind) {
        case (.catalogue, "add"):
            let item = ItemAdded(code: p.target, elements: CanonicalJSON(c["elements"] ?? [:]), powerSource: source(.statutory), exerciseLevel: nil, adjustment: id)
            try s.emit(txn, StreamName.item(p.target), expected: .noStream, [(EventType.itemAdded, try .payload(item))], effectiveAt: when)
        case (.catalogue, "takeOver"):
            let existing = try s.session.items.get(p.target, txn)
            let item = ItemAdded(code: p.target, elements: CanonicalJSON(c["elements"] ?? [:]), powerSource: source(.delegatedFromAbove),
                                 exerciseLevel: level("exerciseLevel"), adjustment: id)
            try s.emit(txn, StreamName.item(p.target), expected: expected(existing?.version), [(EventType.itemTakenOver, try .payload(item))], effectiveAt: when)
        case (.catalogue, "delegate"):
            let existing = try s.session.items.require(p.target, txn, what: "catalogue item")
            guard let to = level("exerciseLevel") else { throw RegistryError.required("changes.exerciseLevel", "The level it is delegated to") }
            let event = ItemDelegated(code: p.target, exerciseLevel: to, powerSource: source(.delegatedFromAbove), adjustment: id)
            try s.emit(txn, StreamName.item(p.target), expected: .exactly(existing.version), [(EventType.itemDelegated, try .payload(event))], effectiveAt: when)
        case (.catalogue, "cancel"):
            let existing = try s.session.items.require(p.target, txn, what: "catalogue item")
            let event = ItemCancelled(code: p.target, legalityReview: c["legalityReview"]?.stringValue, mergedInto: nil, adjustment: id)
            try s.emit(txn, StreamName.item(p.target), expected: .exactly(existing.version), [(EventType.itemCancelled, try .payload(event))], effectiveAt: when)
        case (.catalogue, "merge"):
            for source in c["sources"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let record = try s.session.items.require(source, txn, what: "catalogue item")
                let event = ItemCancelled(code: source, legalityReview: nil, mergedInto: p.target, adjustment: id)
                try s.emit(txn, StreamName.item(source), expected: .exactly(record.version), [(EventType.itemCancelled, try .payload(event))], effectiveAt: when)
            }
            if let existing = try s.session.items.get(p.target, txn) {
                if let elements = c["elements"] {
                    let event = ItemChanged(code: p.target, changes: CanonicalJSON(elements), status: nil, adjustment: id)
                    try s.emit(txn, StreamName.item(p.target), expected: .exactly(existing.version), [(EventType.itemChanged, try .payload(event))], effectiveAt: when)
                }
            } else {
                let item = ItemAdded(code: p.target, elements: CanonicalJSON(c["elements"] ?? [:]), powerSource: source(.statutory), exerciseLevel: nil, adjustment: id)
                try s.emit(txn, StreamName.item(p.target), expected: .noStream, [(EventType.itemAdded, try .payload(item))], effectiveAt: when)
            }
        case (.catalogue, "change"):
            let existing = try s.session.items.require(p.target, txn, what: "catalogue item")
            let status = c["status"]?.stringValue.flatMap { ItemStatus(code: $0) }
            let event = ItemChanged(code: p.target, changes: CanonicalJSON(c["elements"] ?? [:]), status: status, adjustment: id)
            try s.emit(txn, StreamName.item(p.target), expected: .exactly(existing.version), [(EventType.itemChanged, try .payload(event))], effectiveAt: when)
        case (.catalogue, "reinstate"):
            let existing = try s.session.items.require(p.target, txn, what: "catalogue item")
            try s.emit(txn, StreamName.item(p.target), expected: .exactly(existing.version),
                       [(EventType.itemReinstated, try .payload(ItemReinstated(code: p.target, adjustment: id)))], effectiveAt: when)

        case (.implementation, "claim"), (.implementation, "add"):
            let entryLevel = level("level") ?? unit.level
            let code = try AdjustmentRules.implementationCode(unit: unit.code, level: entryLevel, basic: p.target)
            let entry = EntryAdded(code: code, unit: unit.code, basicCode: p.target, level: entryLevel, fields: CanonicalJSON(c["fields"] ?? [:]), adjustment: id)
            try s.emit(txn, StreamName.entry(code), expected: .noStream, [(EventType.entryAdded, try .payload(entry))], effectiveAt: when)
        case (.implementation, "change"), (.implementation, "followCatalogue"):
            let existing = try s.session.entries.require(p.target, txn, what: "implementation entry")
            let event = EntryChanged(code: p.target, changes: CanonicalJSON(c["fields"] ?? [:]), adjustment: id)
            try s.emit(txn, StreamName.entry(p.target), expected: .exactly(existing.version), [(EventType.entryChanged, try .payload(event))], effectiveAt: when)
        case (.implementation, "cancel"):
            let existing = try s.session.entries.require(p.target, txn, what: "implementation entry")
            try s.emit(txn, StreamName.entry(p.target), expected: .exactly(existing.version),
                       [(EventType.entryCancelled, try .payload(EntryCancelled(code: p.target, adjustment: id)))], effectiveAt: when)
        case (.implementation, "split"):
            let existing = try s.session.entries.require(p.target, txn, what: "implementation entry")
            let parent = try ImplementationCode(existing.code)
            var codes: [String] = []
            for (i, part) in (c["into"]?.arrayValue ?? []).enumerated() {
                let code = try BusinessItemCode(implementation: parent, number: i + 1).description
                codes.append(code)
                let entry = EntryAdded(code: code, unit: existing.unit, basicCode: existing.basicCode, level: existing.level,
                                       fields: part["fields"].map { CanonicalJSON($0) } ?? existing.fieldsJSON, adjustment: id)
                try s.emit(txn, StreamName.entry(code), expected: .noStream, [(EventType.entryAdded, try .payload(entry))], effectiveAt: when)
            }
            try s.emit(txn, StreamName.entry(p.target), expected: .exactly(existing.version),
                       [(EventType.entrySplit, try .payload(EntrySuperseded(code: p.target, into: codes, adjustment: id)))], effectiveAt: when)
        case (.implementation, "changeLevel"):
            let existing = try s.session.entries.require(p.target, txn, what: "implementation entry")
            guard let to = level("level") else { throw RegistryError.required("changes.level", "The new exercise level") }
            let code = try AdjustmentRules.implementationCode(unit: existing.unit, level: to, basic: existing.basicCode)
            var fields = ElementObject.merging(c["fields"] ?? [:], into: existing.fields)
            fields["exerciseLevel"] = .string(to.code)
            let entry = EntryAdded(code: code, unit: existing.unit, basicCode: existing.basicCode, level: to, fields: CanonicalJSON(fields), adjustment: id)
            try s.emit(txn, StreamName.entry(code), expected: .noStream, [(EventType.entryAdded, try .payload(entry))], effectiveAt: when)
            try s.emit(txn, StreamName.entry(p.target), expected: .exactly(existing.version),
                       [(EventType.entryLevelChanged, try .payload(EntrySuperseded(code: p.target, into: [code], adjustment: id)))], effectiveAt: when)
        default:
            // "other": recorded with its description, no structural effect.
            break
        }
    }
}
