import EventLog
import Foundation
import LMDB
import ShixiangCodes
import ShixiangDigest
import ShixiangElements
import ShixiangJSON

/// A spreadsheet that cannot be imported, with every problem found (line, column, message).
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [CSVRowProblem]
    public var description: String {
        "The file cannot be imported: \(problems.count) problem\(problems.count == 1 ? "" : "s"), first: \(problems.first?.description ?? "")"
    }
}

/// What an import recorded.
public struct ImportReport: Sendable {
    public var rows: Int
    public var sha256: String
    public var firstSeq: UInt64
    public var lastSeq: UInt64
    /// Warnings that did not block the import (e.g. a credit code failing its check digit).
    public var warnings: [CSVRowProblem]
}

extension Registry {
    /// Records a catalogue spreadsheet (seed 001 Annex 3 columns) as `catalogue.itemRecorded.v1`
    /// events, one per row, all in one commit with the file's name and SHA-256. Any bad row — a
    /// malformed or duplicate 基本编码, an item already in the catalogue, a missing or invalid
    /// element — rejects the whole file, reported by line and column: nothing is half-imported.
    public func importCatalogue(csv: Data, fileName: String, actor: JSONValue) async throws -> ImportReport {
        let digest = Digest.hex(Digest.sha256(csv))
        let (rows, parseProblems) = CatalogueCSV.parse(data: csv)
        var problems = parseProblems.filter { $0.severity == .error }
        let warnings = parseProblems.filter { $0.severity != .error }
        for row in rows {
            for f in DirectoryElements.validate(row.elements, mode: .complete) {
                problems.append(CSVRowProblem(line: row.sourceLine ?? 0, column: DirectoryElement.allCases.first { $0.key == f.topLevelKey }?.header,
                                              rule: f.rule, message: f.message))
            }
        }
        if !problems.isEmpty { throw ImportRejected(problems: problems) }
        return try await run(actor: actor) { s, txn in
            var found: [CSVRowProblem] = []
            var first: UInt64?
            var last: UInt64 = 0
            for row in rows {
                let code: String
                do { code = try BasicCode(row.basicCode).description } catch {
                    found.append(CSVRowProblem(line: row.sourceLine ?? 0, column: CatalogueCSV.basicCodeHeader, rule: "code", message: "\(error)"))
                    continue
                }
                if try s.session.items.get(code, txn) != nil {
                    found.append(CSVRowProblem(line: row.sourceLine ?? 0, column: CatalogueCSV.basicCodeHeader, rule: "duplicate",
                                               message: "基本编码 \(code) is already in the catalogue; change it through an adjustment."))
                    continue
                }
                let payload = ItemRecorded(code: code, elements: CanonicalJSON(row.elements), status: row.status ?? .inUse,
                                           powerSource: row.powerSource ?? .statutory,
                                           source: ImportSource(file: fileName, sha256: digest, line: row.sourceLine ?? 0))
                let stored = try s.emit(txn, StreamName.item(code), expected: .noStream, [(EventType.itemRecorded, try .payload(payload))])
                first = first ?? stored.first?.seq
                last = stored.last?.seq ?? last
            }
            if !found.isEmpty { throw ImportRejected(problems: found) }
            return ImportReport(rows: rows.count, sha256: digest, firstSeq: first ?? 0, lastSeq: last, warnings: warnings)
        }
    }

    /// Records an implementation-list spreadsheet (seed 001 Annex 4 columns) as
    /// `implementation.entryRecorded.v1` events in one commit. Every row's unit must be registered
    /// and its catalogue item in use; the 实施编码 is derived; a bad row rejects the whole file.
    public func importImplementation(csv: Data, fileName: String, actor: JSONValue) async throws -> ImportReport {
        let digest = Digest.hex(Digest.sha256(csv))
        let (rows, parseProblems) = ImplementationCSV.parse(data: csv)
        let problems = parseProblems.filter { $0.severity == .error }
        let warnings = parseProblems.filter { $0.severity != .error }
        if !problems.isEmpty { throw ImportRejected(problems: problems) }
        return try await run(actor: actor) { s, txn in
            var found: [CSVRowProblem] = []
            var first: UInt64?
            var last: UInt64 = 0
            for row in rows {
                let line = row.sourceLine ?? 0
                func problem(_ column: String?, _ rule: String, _ message: String) {
                    found.append(CSVRowProblem(line: line, column: column, rule: rule, message: message))
                }
                guard let unit = try s.session.units.get(row.unitCode, txn), !unit.dissolved else {
                    problem(ImplementationCSV.unitCodeHeader, "unit", "Unit \(row.unitCode) is not a registered unit; register it first (unit.register).")
                    continue
                }
                guard let item = try s.session.items.get(row.basicCode, txn), item.status == .inUse else {
                    problem(ImplementationCSV.basicCodeHeader, "catalogue", "基本编码 \(row.basicCode) is not an item in use in the catalogue.")
                    continue
                }
                let level = row.fields["exerciseLevel"]?.stringValue.flatMap { ExerciseLevel(code: $0) } ?? unit.level
                let code = try AdjustmentRules.implementationCode(unit: unit.code, level: level, basic: item.code)
                if try s.session.entries.get(code, txn) != nil {
                    problem(ImplementationCSV.implementationCodeHeader, "duplicate", "实施编码 \(code) is already in the implementation list.")
                    continue
                }
                var fields = row.fields
                for key in ["name", "itemType", "legalBasis"] where fields[key] == nil { fields[key] = item.elements[key] }
                fields["exerciseLevel"] = .string(level.code)
                if let f = ImplementationFields.validate(fields, mode: .complete).first {
                    problem(ImplementationField.allCases.first { $0.key == f.topLevelKey }?.header, f.rule, f.message)
                    continue
                }
                let payload = EntryRecorded(code: code, unit: unit.code, basicCode: item.code, level: level, fields: CanonicalJSON(fields),
                                            source: ImportSource(file: fileName, sha256: digest, line: line))
                let stored = try s.emit(txn, StreamName.entry(code), expected: .noStream, [(EventType.entryRecorded, try .payload(payload))])
                first = first ?? stored.first?.seq
                last = stored.last?.seq ?? last
            }
            if !found.isEmpty { throw ImportRejected(problems: found) }
            return ImportReport(rows: rows.count, sha256: digest, firstSeq: first ?? 0, lastSeq: last, warnings: warnings)
        }
    }

    // MARK: Export

    /// The catalogue as a spreadsheet (UTF-8 with BOM, seed 001 Annex 3 headers), in code order.
    public func exportCatalogue(asOf moment: Timestamp? = nil) throws -> Data {
        let items = try moment.map { m in try asOf(m) { r, txn in try r.all(CatalogueItemRecord.self, "item", txn) } }
            ?? scan(CatalogueItemRecord.self, dbs.items, after: nil, limit: .max) { _ in true }.records
        return CatalogueCSV.write(items.map { CatalogueCSVRow(basicCode: $0.code, elements: $0.elements, status: $0.status, powerSource: $0.powerSource) })
    }

    /// Implementation entries in use (of one unit, or all), now or as they stood at `moment`, as a
    /// spreadsheet with seed 001 Annex 4 headers.
    public func exportImplementation(unit: String?, asOf moment: Timestamp? = nil) throws -> Data {
        let entries: [ImplementationEntryRecord]
        if let moment {
            entries = try asOf(moment) { r, txn in
                try unit.map { try self.entries(unit: $0, r, txn) } ?? r.all(ImplementationEntryRecord.self, "entry", txn)
            }
        } else {
            entries = try unit.map { try self.entries(unit: $0) }
                ?? scan(ImplementationEntryRecord.self, dbs.entries, after: nil, limit: .max) { _ in true }.records
        }
        return ImplementationCSV.write(entries.filter { $0.status == .inUse && $0.code.count == 31 }
            .map { ImplementationCSVRow(unitCode: $0.unit, basicCode: $0.basicCode, fields: $0.fields) })
    }

    /// A unit's ledger (台账) as a spreadsheet: one line per adjustment with its dates.
    public func exportLedger(unit: String, asOf moment: Timestamp? = nil) throws -> Data? {
        guard let ledger = try moment.map({ try ledger(unit: unit, asOf: $0) }) ?? ledger(unit: unit) else { return nil }
        func day(_ t: Timestamp?) -> String { t.map { String($0.rfc3339.prefix(10)) } ?? "" }
        let lines = ledger.adjustments.map { a -> LedgerLine in
            let entry = a.list == .implementation ? ledger.entries.first { $0.code == a.target || $0.basicCode == a.target } : nil
            let name = entry?.name ?? ledger.items[a.target]?.name ?? (try? moment.map { try item(a.target, asOf: $0) } ?? item(a.target))??.name ?? ""
            return LedgerLine(itemName: name, basicCode: entry?.basicCode ?? a.target, implementationCode: entry?.code ?? "",
                              adjustmentKind: "\(a.list.label)·\(a.kind)", status: a.status.label,
                              submittedOn: day(a.date(of: .submitted)), reviewedOn: day(a.date(of: .approved) ?? a.date(of: .returned)),
                              publishedOn: day(a.date(of: .published)), filedOn: day(a.date(of: .filed)),
                              forwardedOn: day(a.date(of: .forwarded)), archivedOn: day(a.date(of: .archived)),
                              remarks: a.returnReason ?? "")
        }
        return LedgerCSV.write(lines)
    }
}
