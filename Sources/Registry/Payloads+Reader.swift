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
        var code: String?, elements: JSONValue?, status: ItemStatus?, powerSource: PowerSource?, source: ImportSource?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "elements" { elements = try r.readValue() }
            else if name == "status" { status = try ItemStatus.parse(r.readString()) }
            else if name == "powerSource" { powerSource = try PowerSource.parse(r.readString()) }
            else if name == "source" { source = try ImportSource(reader: &r) }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), elements: try required(elements, "elements"), status: try required(status, "status"),
                  powerSource: try required(powerSource, "powerSource"), source: try required(source, "source"))
    }
}

extension EntryRecorded: ReaderDecodable {
    init(reader r: inout JSONReader) throws {
        var code: String?, unit: String?, basicCode: String?, level: ExerciseLevel?, fields: JSONValue?, source: ImportSource?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "unit" { unit = try r.readString() }
            else if name == "basicCode" { basicCode = try r.readString() }
            else if name == "level" { level = try ExerciseLevel.parse(r.readString()) }
            else if name == "fields" { fields = try r.readValue() }
            else if name == "source" { source = try ImportSource(reader: &r) }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), unit: try required(unit, "unit"), basicCode: try required(basicCode, "basicCode"),
                  level: try required(level, "level"), fields: try required(fields, "fields"), source: try required(source, "source"))
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
        var code: String?, elements: JSONValue?, powerSource: PowerSource?, exerciseLevel: ExerciseLevel?, adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "elements" { elements = try r.readValue() }
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
        var code: String?, changes: JSONValue?, status: ItemStatus?, adjustment: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "code" { code = try r.readString() }
            else if name == "changes" { changes = try r.readValue() }
            else if name == "status" { status = try r.readNull() ? nil : try ItemStatus.parse(r.readString()) }
            else if name == "adjustment" { adjustment = try r.readString() }
            else { try r.skipValue() }
        }
        self.init(code: try required(code, "code"), changes: try required(changes, "changes"), status: status, adjustment: try required(adjustment, "adjustment"))
    }
}
