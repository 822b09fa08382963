import EventLog
import LMDB
import ShixiangJSON

/// Written filing with the reform office (书面备案) and its forwarding (抄送), seed 000 Annex 1 §4.
enum FilingCommands {
    /// Files one adjustment, or several as a batch detail table (动态调整明细表).
    ///
    /// The filing unit must be each adjustment's filer: the submitting unit, or for a township its
    /// guiding district department. Every adjustment must be published, need filing, and not be filed yet.
    static func submit<T: TransactionReading & ~Copyable>(unit code: String, adjustments ids: [String], form: JSONValue,
                                                          _ s: inout CommandScope, _ txn: borrowing T) throws -> FilingRecord {
        let unit = try UnitCommands.active(code, field: "unit", &s, txn)
        guard !ids.isEmpty else { throw RegistryError.required("adjustments", "At least one adjustment to file") }
        guard Set(ids).count == ids.count else { throw RegistryError.rule(field: "adjustments", message: "An adjustment is listed twice.") }
        guard case .object = form else { throw RegistryError.rule(field: "form", message: "Expected an object of filing-form fields.") }
        var records: [AdjustmentRecord] = []
        for (i, id) in ids.enumerated() {
            guard let a = try s.session.adjustments.get(id, txn) else {
                throw RegistryError.rule(field: "adjustments[\(i)]", message: "No adjustment \(id) exists.")
            }
            guard a.filingRequired else {
                throw RegistryError.rule(field: "adjustments[\(i)]",
                                         message: "Adjustment \(id) needs no filing: implementation changes other than name or legal basis are not filed (seed 000 Annex 1 §4).")
            }
            guard a.filer == unit.code else {
                throw RegistryError.rule(field: "adjustments[\(i)]", message: "Adjustment \(id) is filed by \(a.filer), not by \(unit.code).")
            }
            guard a.status == .published else {
                throw RegistryError.illegalTransition(what: "adjustment \(id)", state: "\(a.status.rawValue) (\(a.status.label)); only published adjustments are filed", action: "file")
            }
            records.append(a)
        }
        let id = "fil-\(s.nextSeq)"
        let payload = FilingSubmitted(id: id, unit: unit.code, adjustments: ids, form: CanonicalJSON(form))
        try s.emit(txn, StreamName.filing(id), expected: .noStream, [(EventType.filingSubmitted, try .payload(payload))])
        for a in records {
            try s.emit(txn, StreamName.adjustment(a.id), expected: .exactly(a.version),
                       [(EventType.adjustmentFiled, try .payload(AdjustmentFiled(filing: id)))])
        }
        return try s.session.filings.require(id, txn, what: "filing")
    }

    /// The reform office forwards a filing to the justice bureau and the service centre.
    static func forward<T: TransactionReading & ~Copyable>(id: String, to: [String], _ s: inout CommandScope, _ txn: borrowing T) throws -> FilingRecord {
        guard let filing = try s.session.filings.get(id, txn) else { throw RegistryError.notFound(what: "filing", key: id) }
        guard filing.forwardedAt == nil else {
            throw RegistryError.illegalTransition(what: "filing \(id)", state: "forwarded (已转送)", action: "forward")
        }
        let recipients = to.isEmpty ? ["justiceBureau", "serviceCentre"] : to
        for (i, r) in recipients.enumerated() where !["justiceBureau", "serviceCentre"].contains(r) {
            throw RegistryError.rule(field: "to[\(i)]", message: "A filing is forwarded to justiceBureau (司法局) and/or serviceCentre (行政服务中心), not \"\(r)\".")
        }
        try s.emit(txn, StreamName.filing(id), expected: .exactly(filing.version),
                   [(EventType.filingForwarded, try .payload(FilingForwarded(to: recipients)))])
        for adjustmentID in filing.adjustments {
            let a = try s.session.adjustments.require(adjustmentID, txn, what: "adjustment")
            try s.emit(txn, StreamName.adjustment(adjustmentID), expected: .exactly(a.version),
                       [(EventType.adjustmentForwarded, try .payload(AdjustmentForwarded(filing: id, to: recipients)))])
        }
        return try s.session.filings.require(id, txn, what: "filing")
    }
}
