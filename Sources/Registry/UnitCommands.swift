import EventLog
import LMDB
import ShixiangCodes
import ShixiangJSON

/// Registering and maintaining units.
enum UnitCommands {
    struct Register: Sendable {
        var code: String, name: String, kind: String, level: String, guidingUnit: String?
    }

    /// Registers a unit. A credit code failing the GB 32100 check digit is accepted and flagged.
    static func register<T: TransactionReading & ~Copyable>(_ c: Register, _ s: inout CommandScope, _ txn: borrowing T) throws -> UnitRecord {
        let credit: UnifiedSocialCreditCode
        do { credit = try UnifiedSocialCreditCode(c.code.trimmed) } catch {
            throw RegistryError.rule(field: "code", message: "\(error)")
        }
        let code = credit.description
        guard !c.name.trimmed.isEmpty else { throw RegistryError.required("name", "The unit's name") }
        guard let kind = UnitKind(code: c.kind) ?? UnitKind.value(forLabel: c.kind) else {
            throw RegistryError.rule(field: "kind", message: "Unknown unit kind \"\(c.kind)\"; expected one of \(UnitKind.validCodesDescription).")
        }
        guard let level = ExerciseLevel(code: c.level) ?? ExerciseLevel.value(forLabel: c.level) else {
            throw RegistryError.rule(field: "level", message: "Unknown exercise level \"\(c.level)\"; expected one of \(ExerciseLevel.validCodesDescription).")
        }
        if try s.session.units.get(code, txn) != nil { throw RegistryError.alreadyExists(what: "unit", key: code) }
        if let guide = c.guidingUnit {
            guard let guiding = try s.session.units.get(guide, txn), !guiding.dissolved else {
                throw RegistryError.rule(field: "guidingUnit", message: "The guiding unit \(guide) is not a registered unit.")
            }
            guard guiding.kind == .districtDepartment else {
                throw RegistryError.rule(field: "guidingUnit", message: "The guiding unit must be a district department (区级职能部门); \(guiding.name) is \(guiding.kind.label).")
            }
        }
        let payload = UnitRegistered(code: code, name: c.name.trimmed, kind: kind, level: level, guidingUnit: c.guidingUnit,
                                     checkDigitValid: credit.checkDigitValid)
        try s.emit(txn, StreamName.unit(code), expected: .noStream, [(EventType.unitRegistered, try .payload(payload))])
        return try s.session.units.require(code, txn, what: "unit")
    }

    /// The registered, not dissolved unit `code`, or a not-found / rule error naming `field`.
    static func active<T: TransactionReading & ~Copyable>(_ code: String, field: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> UnitRecord {
        guard let unit = try s.session.units.get(code, txn) else { throw RegistryError.notFound(what: "unit", key: code) }
        guard !unit.dissolved else { throw RegistryError.rule(field: field, message: "Unit \(unit.name) (\(code)) is dissolved.") }
        return unit
    }

    static func rename<T: TransactionReading & ~Copyable>(code: String, name: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> UnitRecord {
        let unit = try active(code, field: "code", &s, txn)
        guard !name.trimmed.isEmpty else { throw RegistryError.required("name", "The new name") }
        try s.emit(txn, StreamName.unit(code), expected: .exactly(unit.version), [(EventType.unitRenamed, try .payload(UnitRenamed(name: name.trimmed)))])
        return try s.session.units.require(code, txn, what: "unit")
    }

    static func dissolve<T: TransactionReading & ~Copyable>(code: String, reason: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> UnitRecord {
        let unit = try active(code, field: "code", &s, txn)
        guard !reason.trimmed.isEmpty else { throw RegistryError.required("reason", "The reason for dissolving the unit") }
        try s.emit(txn, StreamName.unit(code), expected: .exactly(unit.version), [(EventType.unitDissolved, try .payload(UnitDissolved(reason: reason.trimmed)))])
        return try s.session.units.require(code, txn, what: "unit")
    }

    /// Records that the unit has no items of `category` (seed 001 §4: a unit with no public-service items reports zero).
    static func zeroReport<T: TransactionReading & ~Copyable>(code: String, category: String, note: String, _ s: inout CommandScope, _ txn: borrowing T) throws -> UnitRecord {
        let unit = try active(code, field: "unit", &s, txn)
        guard category == "publicService" || category == "administrativePower" else {
            throw RegistryError.rule(field: "category", message: "A zero report covers \"publicService\" or \"administrativePower\" items.")
        }
        try s.emit(txn, StreamName.unit(code), expected: .exactly(unit.version),
                   [(EventType.unitZeroReported, try .payload(UnitZeroReported(category: category, note: note.trimmed)))])
        return try s.session.units.require(code, txn, what: "unit")
    }
}
