import ShixiangCodes
import ShixiangJSON

/// A payload read member by member from a ``JSONReader`` rather than through `Codable`: for the
/// event types a log holds by the million (imports). Same members, same refusals as `Codable`
/// (a missing or ill-typed member throws); unknown members are stepped over.
protocol ReaderDecodable {
    init(reader r: inout JSONReader) throws
}

extension JSONDecodingError {
    static func missing(_ field: String) -> JSONDecodingError {
        JSONDecodingError(kind: .missingField, path: field, message: "required field is missing")
    }
}

/// Reads a member that must be there.
func required<T>(_ value: T?, _ field: String) throws -> T {
    guard let value else { throw JSONDecodingError.missing(field) }
    return value
}

extension ItemRecorded: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var code: String?, elements: CanonicalJSON?, status: ItemStatus?, powerSource: PowerSource?, source: ImportSource?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "elements" { elements = try r.readCanonical() }
            else if name == "status" { status = try ItemStatus.parse(r.readString()) }
            else if name == "powerSource" { powerSource = try PowerSource.parse(r.readString()) }
            else if name == "source" { source = try ImportSource(reader: &r) }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), elements: try required(elements, "elements"), status: try required(status, "status"),
                  powerSource: try required(powerSource, "powerSource"), source: try required(source, "source"))
    }
}

/// The members an implementation entry's recording and its addition share, read member by member.
private struct EntryMembers {
    var code: String?, unit: String?, basicCode: String?, level: ExerciseLevel?, fields: CanonicalJSON?

    /// Reads the member `name` if it is one of these; false otherwise (the reader left at it).
    mutating func read(_ name: JSONReader.Name, _ r: inout JSONReader) throws -> Bool {
        if name == "code" { code = try r.readString() }
        else if name == "unit" { unit = try r.readString() }
        else if name == "basicCode" { basicCode = try r.readString() }
        else if name == "level" { level = try ExerciseLevel.parse(r.readString()) }
        else if name == "fields" { fields = try r.readCanonical() }
        else { return false }
        return true
    }
}

extension EntryRecorded: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var m = EntryMembers(), source: ImportSource?
        try r.beginObject()
        while let name = try r.nextMember() {
            if try m.read(name, &r) {}
            else if name == "source" { source = try ImportSource(reader: &r) }
            else { try r.skipValue() }
        }
        self.init(code: try required(m.code, "code"), unit: try required(m.unit, "unit"), basicCode: try required(m.basicCode, "basicCode"),
                  level: try required(m.level, "level"), fields: try required(m.fields, "fields"), source: try required(source, "source"))
    }
}

extension EntryAdded: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var m = EntryMembers(), adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if try m.read(name, &r) {}
            else if name == "adjustment" { adjustment = try r.readNull() ? nil : try r.readString() }
            else { try r.skipValue() }
        }
        self.init(code: try required(m.code, "code"), unit: try required(m.unit, "unit"), basicCode: try required(m.basicCode, "basicCode"),
                  level: try required(m.level, "level"), fields: try required(m.fields, "fields"), adjustment: adjustment)
    }
}

extension ImportSource: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var file: String?, sha256: String?, line: Int64?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "file" { file = try r.readString() }
            else if name == "sha256" { sha256 = try r.readString() }
            else if name == "line" { line = try r.readInteger() }
            else { try r.skipValue() }
        }
        guard let l = try required(line, "source.line") as Int64?, let lineInt = Int(exactly: l) else { throw JSONDecodingError.missing("source.line") }
        self.init(file: try required(file, "source.file"), sha256: try required(sha256, "source.sha256"), line: lineInt)
    }
}

extension ItemAdded: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var code: String?, elements: CanonicalJSON?, powerSource: PowerSource?, exerciseLevel: ExerciseLevel?, adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "elements" { elements = try r.readCanonical() }
            else if name == "powerSource" { powerSource = try PowerSource.parse(r.readString()) }
            else if name == "exerciseLevel" { exerciseLevel = try r.readNull() ? nil : try ExerciseLevel.parse(r.readString()) }
            else if name == "adjustment" { adjustment = try r.readNull() ? nil : try r.readString() }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), elements: try required(elements, "elements"), powerSource: try required(powerSource, "powerSource"),
                  exerciseLevel: exerciseLevel, adjustment: adjustment)
    }
}

extension ItemChanged: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var code: String?, changes: CanonicalJSON?, status: ItemStatus?, adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "changes" { changes = try r.readCanonical() }
            else if name == "status" { status = try r.readNull() ? nil : try ItemStatus.parse(r.readString()) }
            else if name == "adjustment" { adjustment = try r.readString() }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), changes: try required(changes, "changes"), status: status, adjustment: try required(adjustment, "adjustment"))
    }
}

// MARK: The adjustment procedure: by far the most events of a working registry's log.

extension AdjustmentList {
    static func read(_ r: inout JSONReader) throws -> AdjustmentList {
        let text = try r.readString()
        guard let list = AdjustmentList(rawValue: text) else {
            throw JSONDecodingError(kind: .invalidValue, path: "list", message: "unknown list \"\(text)\" (expected catalogue or implementation)")
        }
        return list
    }
}

extension Evidence: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var name: String?, sha256: String?, size: Int64?
        try r.beginObject()
        while let member = try r.nextMember() {
            if member == "name" { name = try r.readString() }
            else if member == "sha256" { sha256 = try r.readString() }
            else if member == "size" { size = try r.readInteger() }
            else { try r.skipValue() }
        }
        self.init(name: try required(name, "evidence.name"), sha256: try required(sha256, "evidence.sha256"), size: try required(size, "evidence.size"))
    }

    static func readList(_ r: inout JSONReader) throws -> [Evidence] {
        var out: [Evidence] = []
        try r.beginArray()
        while try r.nextElement() { out.append(try Evidence(reader: &r)) }
        return out
    }
}

extension AdjustmentSubmitted: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var id: String?, unit: String?, list: AdjustmentList?, kind: String?, target: String?, changes: CanonicalJSON?
        var basis: String?, reason: String?, evidence: [Evidence]?, filingRequired: Bool?, filer: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "id" { id = try r.readString() }
            else if name == "unit" { unit = try r.readString() }
            else if name == "list" { list = try AdjustmentList.read(&r) }
            else if name == "kind" { kind = try r.readString() }
            else if name == "target" { target = try r.readString() }
            else if name == "changes" { changes = try r.readCanonical() }
            else if name == "basis" { basis = try r.readString() }
            else if name == "reason" { reason = try r.readString() }
            else if name == "evidence" { evidence = try Evidence.readList(&r) }
            else if name == "filingRequired" { filingRequired = try r.readBool() }
            else if name == "filer" { filer = try r.readString() }
            else { try r.skipValue() }
        }
        self.init(id: try required(id, "id"), unit: try required(unit, "unit"), list: try required(list, "list"), kind: try required(kind, "kind"),
                  target: try required(target, "target"), changes: try required(changes, "changes"), basis: try required(basis, "basis"),
                  reason: try required(reason, "reason"), evidence: try required(evidence, "evidence"),
                  filingRequired: try required(filingRequired, "filingRequired"), filer: try required(filer, "filer"))
    }
}

extension AdjustmentResubmitted: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var changes: CanonicalJSON?, basis: String?, reason: String?, evidence: [Evidence]?, filingRequired: Bool?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "changes" { changes = try r.readCanonical() }
            else if name == "basis" { basis = try r.readString() }
            else if name == "reason" { reason = try r.readString() }
            else if name == "evidence" { evidence = try Evidence.readList(&r) }
            else if name == "filingRequired" { filingRequired = try r.readBool() }
            else { try r.skipValue() }
        }
        self.init(changes: try required(changes, "changes"), basis: try required(basis, "basis"), reason: try required(reason, "reason"),
                  evidence: try required(evidence, "evidence"), filingRequired: try required(filingRequired, "filingRequired"))
    }
}

/// Reads the one member `key` of a payload object with `read` (other members stepped over).
private func readSingle<T>(_ r: inout JSONReader, _ key: StaticString, _ read: (inout JSONReader) throws -> T) throws -> T {
    var value: T?
    try r.beginObject()
    while let name = try r.nextMember() {
        if name == key { value = try read(&r) } else { try r.skipValue() }
    }
    return try required(value, "\(key)")
}

private func readSingleString(_ r: inout JSONReader, _ key: StaticString) throws -> String {
    try readSingle(&r, key) { try $0.readString() }
}

extension AdjustmentReturned: ReaderDecodable {
    init(reader r: inout JSONReader) throws { self.init(reason: try readSingleString(&r, "reason")) }
}

extension AdjustmentFiled: ReaderDecodable {
    init(reader r: inout JSONReader) throws { self.init(filing: try readSingleString(&r, "filing")) }
}

extension AdjustmentGuideUpdated: ReaderDecodable {
    init(reader r: inout JSONReader) throws { self.init(note: try readSingleString(&r, "note")) }
}

extension AdjustmentPublished: ReaderDecodable {
    init(reader r: inout JSONReader) throws { self.init(channels: try readSingle(&r, "channels") { try $0.readStrings() }) }
}

extension FilingSubmitted: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var id: String?, unit: String?, adjustments: [String]?, form: CanonicalJSON?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "id" { id = try r.readString() }
            else if name == "unit" { unit = try r.readString() }
            else if name == "adjustments" { adjustments = try r.readStrings() }
            else if name == "form" { form = try r.readCanonical() }
            else { try r.skipValue() }
        }
        self.init(id: try required(id, "id"), unit: try required(unit, "unit"), adjustments: try required(adjustments, "adjustments"),
                  form: try required(form, "form"))
    }
}

extension FilingForwarded: ReaderDecodable {
    init(reader r: inout JSONReader) throws { self.init(to: try readSingle(&r, "to") { try $0.readStrings() }) }
}

extension EntryChanged: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var code: String?, changes: CanonicalJSON?, adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "changes" { changes = try r.readCanonical() }
            else if name == "adjustment" { adjustment = try r.readString() }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), changes: try required(changes, "changes"), adjustment: try required(adjustment, "adjustment"))
    }
}

extension NoticeIssued: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var id: String?, unit: String?, subject: String?, reason: String?, workingDays: Int64?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "id" { id = try r.readString() }
            else if name == "unit" { unit = try r.readString() }
            else if name == "subject" { subject = try r.readString() }
            else if name == "reason" { reason = try r.readString() }
            else if name == "workingDays" { workingDays = try r.readInteger() }
            else { try r.skipValue() }
        }
        guard let days = Int(exactly: try required(workingDays, "workingDays")) else { throw JSONDecodingError.missing("workingDays") }
        self.init(id: try required(id, "id"), unit: try required(unit, "unit"), subject: try required(subject, "subject"),
                  reason: try required(reason, "reason"), workingDays: days)
    }
}
