import EventLog
import LMDB
import ShixiangCodes
import ShixiangElements
import ShixiangJSON

/// The rules an adjustment must satisfy, checked when it is submitted and again when it is
/// approved (the registry may have changed in between). Each violation names its field.
enum AdjustmentRules {
    /// A proposal that passed the rules, with its changes normalised (labels → codes, "20个工作日" →
    /// a time-limit object) and what the procedure requires of it.
    struct Checked {
        var proposal: AdjustmentProposal
        var filingRequired: Bool
    }

    static func check<T: TransactionReading & ~Copyable>(_ p: AdjustmentProposal, unit: UnitRecord, _ s: inout CommandScope, _ txn: borrowing T) throws -> Checked {
        guard !p.basis.trimmed.isEmpty else { throw RegistryError.required("basis", "The basis of the adjustment (调整依据)") }
        guard !p.reason.trimmed.isEmpty else { throw RegistryError.required("reason", "The reason for the adjustment (调整事由)") }
        for (i, e) in p.evidence.enumerated() {
            guard !e.name.trimmed.isEmpty else { throw RegistryError.required("evidence[\(i)].name", "The evidence file's name") }
            guard e.sha256.count == 64, e.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw RegistryError.rule(field: "evidence[\(i)].sha256", message: "Expected the file's SHA-256 as 64 lowercase hex digits.")
            }
            guard e.size >= 0 else { throw RegistryError.rule(field: "evidence[\(i)].size", message: "A file size cannot be negative.") }
        }
        guard case .object = p.changes else { throw RegistryError.rule(field: "changes", message: "Expected an object.") }
        var p = p
        p.unit = p.unit.trimmed
        p.target = p.target.trimmed
        switch p.list {
        case .catalogue:
            guard AdjustmentProposal.catalogueKinds.contains(p.kind) else {
                throw RegistryError.rule(field: "kind", message: "Unknown catalogue adjustment \"\(p.kind)\"; expected one of \(AdjustmentProposal.catalogueKinds.joined(separator: ", ")).")
            }
            try checkMembers(p)
            return Checked(proposal: try checkCatalogue(p, &s, txn), filingRequired: true)
        case .implementation:
            guard AdjustmentProposal.implementationKinds.contains(p.kind) else {
                throw RegistryError.rule(field: "kind", message: "Unknown implementation adjustment \"\(p.kind)\"; expected one of \(AdjustmentProposal.implementationKinds.joined(separator: ", ")).")
            }
            try checkMembers(p)
            return try checkImplementation(p, unit: unit, &s, txn)
        }
    }

    // MARK: Catalogue

    static func checkCatalogue<T: TransactionReading & ~Copyable>(_ p: AdjustmentProposal, _ s: inout CommandScope, _ txn: borrowing T) throws -> AdjustmentProposal {
        var p = p
        let code = try basicCode(p.target, field: "target")
        p.target = code
        let existing = try s.session.items.get(code, txn)
        if let existing, existing.status == .cancelled, p.kind != "reinstate" {
            throw RegistryError.rule(field: "target", message: "事项 \(code) (\(existing.name)) is cancelled (已取消): only a reinstatement may adjust it.")
        }
        var changes = p.changes
        switch p.kind {
        case "add":
            if existing != nil { throw RegistryError.alreadyExists(what: "catalogue item", key: code) }
            changes["elements"] = try elements(changes["elements"], complete: true)
            try checkCode(&changes, "powerSource", PowerSource.self, optional: true)
        case "takeOver":
            if existing == nil {
                changes["elements"] = try elements(changes["elements"], complete: true)
            } else if let given = changes["elements"] {
                changes["elements"] = try elements(given, complete: false)
            }
            try checkCode(&changes, "exerciseLevel", ExerciseLevel.self, optional: true)
            try checkCode(&changes, "powerSource", PowerSource.self, optional: true)
        case "delegate":
            _ = try item(existing, code)
            try checkCode(&changes, "exerciseLevel", ExerciseLevel.self, optional: false)
            try checkCode(&changes, "powerSource", PowerSource.self, optional: true)
            if let source = changes["powerSource"]?.stringValue, source != PowerSource.delegatedFromAbove.code, source != PowerSource.entrustedByUpperLevel.code {
                throw RegistryError.rule(field: "changes.powerSource", message: "A delegation is 2 上级下放 or 5 上级委托.")
            }
        case "cancel":
            _ = try item(existing, code)
            guard let review = changes["legalityReview"]?.stringValue, !review.trimmed.isEmpty else {
                throw RegistryError.rule(field: "changes.legalityReview",
                                         message: "A cancellation needs the justice bureau's legality review (合法性审查) document reference (seed 002 §12).")
            }
        case "merge":
            guard let sources = changes["sources"]?.arrayValue?.compactMap({ $0.stringValue?.trimmed }), sources.count >= 2 else {
                throw RegistryError.rule(field: "changes.sources", message: "A merge needs two or more source items (基本编码).")
            }
            guard Set(sources).count == sources.count, !sources.contains(code) else {
                throw RegistryError.rule(field: "changes.sources", message: "The sources must be different items, other than the target.")
            }
            for (i, source) in sources.enumerated() {
                let sourceCode = try basicCode(source, field: "changes.sources[\(i)]")
                guard let record = try s.session.items.get(sourceCode, txn) else {
                    throw RegistryError.rule(field: "changes.sources[\(i)]", message: "No catalogue item \(sourceCode) is registered.")
                }
                guard record.status != .cancelled else {
                    throw RegistryError.rule(field: "changes.sources[\(i)]", message: "事项 \(sourceCode) is cancelled (已取消).")
                }
            }
            changes["sources"] = .array(sources.map(JSONValue.string))
            if existing == nil {
                changes["elements"] = try elements(changes["elements"], complete: true)
            } else if let given = changes["elements"] {
                changes["elements"] = try elements(given, complete: false)
            }
        case "change":
            _ = try item(existing, code)
            guard changes["elements"] != nil || changes["status"] != nil else {
                throw RegistryError.rule(field: "changes", message: "A change names the changed elements or a new status.")
            }
            if let given = changes["elements"] { changes["elements"] = try elements(given, complete: false) }
            if let status = changes["status"] {
                guard status == "inUse" || status == "suspended" else {
                    throw RegistryError.rule(field: "changes.status", message: "A change may set the status to inUse (在用) or suspended (暂停); a cancellation is its own adjustment.")
                }
            }
        case "reinstate":
            let record = try item(existing, code)
            guard record.status == .cancelled else {
                throw RegistryError.rule(field: "target", message: "事项 \(code) is not cancelled; there is nothing to reinstate.")
            }
        default:  // other
            try description(changes)
        }
        p.changes = changes
        return p
    }

    // MARK: Implementation

    static func checkImplementation<T: TransactionReading & ~Copyable>(_ p: AdjustmentProposal, unit: UnitRecord, _ s: inout CommandScope, _ txn: borrowing T) throws -> Checked {
        var p = p
        var changes = p.changes
        var filingRequired = true
        switch p.kind {
        case "claim", "add":
            let basic = try basicCode(p.target, field: "target")
            p.target = basic
            let catalogue = try usableItem(basic, field: "target", &s, txn)
            let level = try changes["level"].map { try code(of: $0, ExerciseLevel.self, field: "changes.level") } ?? unit.level
            let entryCode = try implementationCode(unit: unit.code, level: level, basic: basic)
            if try s.session.entries.get(entryCode, txn) != nil {
                throw RegistryError.alreadyExists(what: "implementation entry", key: entryCode)
            }
            // Elements that must be identical across levels (seed 003 §1) come from the catalogue.
            var fields = changes["fields"] ?? [:]
            guard case .object = fields else { throw RegistryError.rule(field: "changes.fields", message: "Expected an object of implementation fields.") }
            for key in ["name", "itemType", "legalBasis"] {
                if fields[key] == nil, let value = catalogue.elements[key] { fields[key] = value }
                if let given = fields[key], let canonical = catalogue.elements[key], given != canonical {
                    throw RegistryError.rule(field: "changes.fields.\(key)",
                                             message: "Must match the catalogue's \(key) for \(basic); the same item keeps the same name, type and basis at every level (seed 003 §1).")
                }
            }
            fields["exerciseLevel"] = .string(level.code)
            changes["fields"] = try implementationFields(fields, complete: true, prefix: "changes.fields")
            changes["level"] = .string(level.code)
            filingRequired = ImplementationAdjustmentKind(code: p.kind)?.requiresFiling() ?? true
        case "change", "followCatalogue":
            let entry = try ownEntry(p.target, unit: unit, &s, txn)
            _ = try usableItem(entry.basicCode, field: "target", &s, txn)
            guard let given = changes["fields"], case .object(let object) = given, !object.isEmpty else {
                throw RegistryError.rule(field: "changes.fields", message: "Name the implementation fields that change.")
            }
            let normalised = try implementationFields(given, complete: false, prefix: "changes.fields")
            // Rules across fields (promised ≤ statutory time, fees) hold for the entry as it will be.
            _ = try implementationFields(ElementObject.merging(normalised, into: entry.fields), complete: true, prefix: "changes.fields")
            changes["fields"] = normalised
            let changed = Set(object.keys.compactMap { key in ImplementationField.allCases.first { $0.key == key } })
            filingRequired = ImplementationAdjustmentKind.change.requiresFiling(changedFields: changed)
        case "split":
            let entry = try ownEntry(p.target, unit: unit, &s, txn)
            guard entry.code.count == 31 else {
                throw RegistryError.rule(field: "target", message: "\(entry.code) is already a business item (业务办理项) of a split; it cannot be split further.")
            }
            _ = try usableItem(entry.basicCode, field: "target", &s, txn)
            guard let into = changes["into"]?.arrayValue, into.count >= 2 else {
                throw RegistryError.rule(field: "changes.into", message: "A granular split (颗粒化拆分) makes two or more finer entries.")
            }
            guard into.count <= 99 else { throw RegistryError.rule(field: "changes.into", message: "A split makes at most 99 entries.") }
            var results: [JSONValue] = []
            for (i, part) in into.enumerated() {
                guard let given = part["fields"], case .object = given else {
                    throw RegistryError.rule(field: "changes.into[\(i)].fields", message: "Each finer entry needs its fields (at least its name).")
                }
                let normalised = try implementationFields(given, complete: false, prefix: "changes.into[\(i)].fields")
                let merged = try implementationFields(ElementObject.merging(normalised, into: entry.fields), complete: true, prefix: "changes.into[\(i)].fields")
                results.append(["fields": merged])
            }
            changes["into"] = .array(results)
        case "changeLevel":
            let entry = try ownEntry(p.target, unit: unit, &s, txn)
            guard entry.code.count == 31 else {
                throw RegistryError.rule(field: "target", message: "\(entry.code) is a business item (业务办理项); change the level of the entry it was split from.")
            }
            _ = try usableItem(entry.basicCode, field: "target", &s, txn)
            guard let given = changes["level"] else { throw RegistryError.required("changes.level", "The new exercise level") }
            let level = try code(of: given, ExerciseLevel.self, field: "changes.level")
            guard level != entry.level else { throw RegistryError.rule(field: "changes.level", message: "The entry is already at level \(level.label).") }
            let newCode = try implementationCode(unit: entry.unit, level: level, basic: entry.basicCode)
            if try s.session.entries.get(newCode, txn) != nil { throw RegistryError.alreadyExists(what: "implementation entry", key: newCode) }
            changes["level"] = .string(level.code)
            // The entry at its new level must be complete (e.g. 分级行使 needs its 权限划分).
            var moved = ElementObject.merging(changes["fields"] ?? [:], into: entry.fields)
            moved["exerciseLevel"] = .string(level.code)
            _ = try implementationFields(moved, complete: true, prefix: "changes.fields")
            if let given = changes["fields"] { changes["fields"] = try implementationFields(given, complete: false, prefix: "changes.fields") }
        case "cancel":
            // Allowed even when the catalogue item was cancelled: it records the follow-up.
            _ = try ownEntry(p.target, unit: unit, &s, txn)
        default:  // other
            _ = try ownEntry(p.target, unit: unit, &s, txn)
            try description(changes)
        }
        p.changes = changes
        return Checked(proposal: p, filingRequired: filingRequired)
    }

    // MARK: Helpers

    static func basicCode(_ text: String, field: String) throws -> String {
        do { return try BasicCode(text.trimmed).description } catch {
            throw RegistryError.rule(field: field, message: "\(error)")
        }
    }

    static func implementationCode(unit: String, level: ExerciseLevel, basic: String) throws -> String {
        do {
            return ImplementationCode.derive(unit: try UnifiedSocialCreditCode(unit), level: level, basic: try BasicCode(basic)).description
        } catch {
            throw RegistryError.rule(field: "target", message: "Cannot derive the 实施编码: \(error)")
        }
    }

    static func item(_ record: CatalogueItemRecord?, _ code: String) throws -> CatalogueItemRecord {
        guard let record else { throw RegistryError.notFound(what: "catalogue item", key: code) }
        return record
    }

    /// A catalogue item an implementation entry may reference: it exists and is in use.
    static func usableItem<T: TransactionReading & ~Copyable>(_ code: String, field: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> CatalogueItemRecord {
        guard let item = try s.session.items.get(code, txn) else {
            throw RegistryError.rule(field: field, message: "No catalogue item \(code) exists; an implementation entry must reference the catalogue (no items outside it).")
        }
        guard item.status == .inUse else {
            throw RegistryError.rule(field: field, message: "事项 \(code) (\(item.name)) is \(item.status.label); only items in use (在用) can be implemented.")
        }
        return item
    }

    /// The unit's own entry `code`, in use.
    static func ownEntry<T: TransactionReading & ~Copyable>(_ code: String, unit: UnitRecord, _ s: inout CommandScope, _ txn: borrowing T) throws -> ImplementationEntryRecord {
        guard let entry = try s.session.entries.get(code.trimmed, txn) else { throw RegistryError.notFound(what: "implementation entry", key: code) }
        guard entry.unit == unit.code else {
            throw RegistryError.rule(field: "target", message: "Entry \(code) belongs to another unit (\(entry.unit)).")
        }
        guard entry.status == .inUse else {
            throw RegistryError.rule(field: "target", message: "Entry \(code) is \(entry.status.label); only entries in use can be adjusted.")
        }
        return entry
    }

    static func elements(_ value: JSONValue?, complete: Bool) throws -> JSONValue {
        guard let value, case .object = value else {
            throw RegistryError.rule(field: "changes.elements", message: "Expected an object of directory elements (事项名称, 事项类型, …).")
        }
        let (normalised, normaliseFindings) = DirectoryElements.normalise(value)
        if let f = normaliseFindings.first { throw RegistryError.rule(field: "changes.elements.\(f.field)", message: f.message) }
        if let f = DirectoryElements.validate(normalised, mode: complete ? .complete : .partial).first {
            throw RegistryError.rule(field: "changes.elements.\(f.field)", message: f.message)
        }
        return normalised
    }

    static func implementationFields(_ value: JSONValue, complete: Bool, prefix: String) throws -> JSONValue {
        let (normalised, normaliseFindings) = ImplementationFields.normalise(value)
        if let f = normaliseFindings.first { throw RegistryError.rule(field: "\(prefix).\(f.field)", message: f.message) }
        if let f = ImplementationFields.validate(normalised, mode: complete ? .complete : .partial).first {
            throw RegistryError.rule(field: "\(prefix).\(f.field)", message: f.message)
        }
        return normalised
    }

    static func code<C: CodeTable>(of value: JSONValue, _ table: C.Type, field: String) throws -> C {
        guard let text = value.stringValue, let code = C(code: text) ?? C.value(forLabel: text) else {
            throw RegistryError.rule(field: field, message: "Expected one of \(C.validCodesDescription).")
        }
        return code
    }

    /// Checks `changes[key]` against a code table and stores it as its code (a label is accepted on input).
    static func checkCode<C: CodeTable>(_ changes: inout JSONValue, _ key: String, _ table: C.Type, optional: Bool) throws {
        guard let value = changes[key] else {
            if optional { return }
            throw RegistryError.required("changes.\(key)", key)
        }
        changes[key] = .string(try code(of: value, table, field: "changes.\(key)").code)
    }

    /// The members `changes` may hold, per list and kind.
    static let allowedChanges: [String: Set<String>] = [
        "catalogue.add": ["elements", "powerSource"], "catalogue.takeOver": ["elements", "exerciseLevel", "powerSource"],
        "catalogue.delegate": ["exerciseLevel", "powerSource"], "catalogue.cancel": ["legalityReview"],
        "catalogue.merge": ["sources", "elements"], "catalogue.change": ["elements", "status"], "catalogue.reinstate": [],
        "catalogue.other": ["description"],
        "implementation.claim": ["level", "fields"], "implementation.add": ["level", "fields"],
        "implementation.change": ["fields"], "implementation.followCatalogue": ["fields"], "implementation.split": ["into"],
        "implementation.changeLevel": ["level", "fields"], "implementation.cancel": [], "implementation.other": ["description"],
    ]

    /// Refuses members of `changes` that the kind does not use (a misspelt member would otherwise be kept silently).
    static func checkMembers(_ p: AdjustmentProposal) throws {
        let allowed = allowedChanges["\(p.list.rawValue).\(p.kind)"] ?? []
        for key in (p.changes.objectValue?.keys.sorted() ?? []) where !allowed.contains(key) {
            let takes = allowed.isEmpty ? "it takes no changes" : "it takes " + allowed.sorted().joined(separator: ", ")
            throw RegistryError.rule(field: "changes.\(key)", message: "A \(p.list.rawValue) \(p.kind) does not use \"\(key)\"; \(takes).")
        }
    }

    static func description(_ changes: JSONValue) throws {
        guard let text = changes["description"]?.stringValue, !text.trimmed.isEmpty else {
            throw RegistryError.required("changes.description", "A description of the adjustment (其他: 说明)")
        }
    }
}
