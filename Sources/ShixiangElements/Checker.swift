import ShixiangCodes
import ShixiangJSON

/// Normalises values and collects findings (internal). Every method returns the normalised
/// value, or the value unchanged when it cannot be normalised (a finding then says why).
struct Checker {
    private(set) var findings: [ElementFinding] = []
    let vague: VagueWording

    init(vague: VagueWording = .standard) {
        self.vague = vague
    }

    mutating func add(_ path: String, _ rule: ElementRule, _ message: String) {
        findings.append(ElementFinding(path, rule, message))
    }

    /// Dispatches on `kind`.
    mutating func check(_ value: JSONValue, kind: ValueKind, path: String, name: String) -> JSONValue {
        if value.isNull { return value }
        switch kind {
        case .text: return text(value, path: path, name: name)
        case .code(let field): return code(value, field: field, path: path, name: name)
        case .codeList(let field): return codeList(value, field: field, path: path, name: name)
        case .bool: return bool(value, path: path, name: name)
        case .timeLimit: return timeLimit(value, path: path, name: name)
        case .phone(let allowURL): return phone(value, allowURL: allowURL, path: path, name: name)
        case .textList: return textList(value, path: path, name: name)
        case .materials: return materials(value, path: path, name: name)
        case .feeItems: return feeItems(value, path: path, name: name)
        case .faq: return faq(value, path: path, name: name)
        case .procedure: return procedure(value, path: path, name: name)
        case .count: return count(value, path: path, name: name)
        }
    }

    // MARK: - Scalars

    mutating func text(_ value: JSONValue, path: String, name: String) -> JSONValue {
        guard let s = value.stringValue else {
            add(path, .type, "\(name) must be text, got \(value.typeName)")
            return value
        }
        for hit in vague.findings(in: s, field: path) {
            add(path, .vagueWording, "\(name) uses the vague wording “\(hit.phrase)” (不确定性表述) in “\(hit.excerpt)”: \(hit.reason) (\(hit.source))")
        }
        return value
    }

    mutating func code(_ value: JSONValue, field: CodeField, path: String, name: String) -> JSONValue {
        guard let s = value.stringValue else {
            add(path, .type, "\(name) must be a code or its Chinese label as text, got \(value.typeName)")
            return value
        }
        guard let codes = field.resolve(s), codes.count == 1, let code = codes.first else {
            add(path, .code, "\(name) “\(s)” is not a valid code or label of \(field.tableName); valid: \(field.validDescription)")
            return value
        }
        return .string(code)
    }

    mutating func codeList(_ value: JSONValue, field: CodeField, path: String, name: String) -> JSONValue {
        let items: [(JSONValue, String)]
        switch value {
        case .string(let s):
            if field.resolve(s) != nil {
                items = [(value, path)]
            } else {
                let parts = s.split(whereSeparator: { Self.listSeparators.contains($0) }).map { JSONValue.string(String($0)) }
                items = parts.map { ($0, path) }
            }
        case .array(let elements):
            items = elements.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
        default:
            add(path, .type, "\(name) must be a list of codes (or one code or label as text), got \(value.typeName)")
            return value
        }
        var codes: [String] = []
        var failed = false
        for (item, itemPath) in items {
            guard let s = item.stringValue else {
                add(itemPath, .type, "\(name) entries must be codes or labels as text, got \(item.typeName)")
                failed = true
                continue
            }
            guard let resolved = field.resolve(s) else {
                add(itemPath, .code, "\(name) “\(s)” is not a valid code or label of \(field.tableName); valid: \(field.validDescription)")
                failed = true
                continue
            }
            for code in resolved {
                if codes.contains(code) {
                    add(itemPath, .duplicate, "\(name) lists \(field.display(code)) (\(code)) more than once")
                } else {
                    codes.append(code)
                }
            }
        }
        if failed { return value }
        return .array(codes.map(JSONValue.string))
    }

    /// Separators accepted between several codes or labels in one string.
    static let listSeparators: Set<Character> = ["、", ",", "，", ";", "；", "/"]

    mutating func bool(_ value: JSONValue, path: String, name: String) -> JSONValue {
        switch value {
        case .bool: return value
        case .string(let s):
            switch s.trimmedWhitespace {
            case "是": return .bool(true)
            case "否": return .bool(false)
            default: break
            }
            add(path, .type, "\(name) must be 是 or 否 (yes/no), got “\(s)”")
        default:
            add(path, .type, "\(name) must be 是 or 否 (yes/no), got \(value.typeName)")
        }
        return value
    }

    mutating func timeLimit(_ value: JSONValue, path: String, name: String) -> JSONValue {
        do {
            return try TimeLimit.read(json: value).jsonValue
        } catch {
            add(path, error.isRange ? .range : .timeLimit, "\(name): \(error.description)")
            return value
        }
    }

    mutating func phone(_ value: JSONValue, allowURL: Bool, path: String, name: String) -> JSONValue {
        guard let s = value.stringValue else {
            add(path, .type, "\(name) must be text, got \(value.typeName)")
            return value
        }
        if s.allSatisfy(\.isWhitespace) { return value }
        let bad = PhoneNumber.invalidParts(of: s, allowURL: allowURL)
        if !bad.isEmpty {
            let extra = allowURL ? " or a complaint platform address (http…)" : ""
            add(path, .phone, "\(name) “\(bad.joined(separator: "、"))” does not look like a phone number (7–20 digits, dashes, spaces or parentheses, or a 12xxx hotline)\(extra)")
        }
        return value
    }

    mutating func textList(_ value: JSONValue, path: String, name: String) -> JSONValue {
        switch value {
        case .string:
            _ = text(value, path: path, name: name)
            return .array([value])
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                let itemPath = "\(path)[\(i)]"
                if element.stringValue.map({ $0.allSatisfy(\.isWhitespace) }) == true {
                    add(itemPath, .required, "\(name) entry \(i + 1) is empty")
                } else {
                    _ = text(element, path: itemPath, name: name)
                }
            }
            return value
        default:
            add(path, .type, "\(name) must be a list of text (or one text), got \(value.typeName)")
            return value
        }
    }

    mutating func count(_ value: JSONValue, path: String, name: String) -> JSONValue {
        if let n = value.intValue {
            if n < 0 { add(path, .range, "\(name) cannot be negative, got \(n)") }
            return .int(n)
        }
        if let s = value.stringValue {
            var digits = s.trimmedWhitespace
            if digits.hasSuffix("份") { digits.removeLast() }
            if let n = Int64(digits.trimmedWhitespace), n >= 0 { return .int(n) }
        }
        add(path, .type, "\(name) must be a whole number, got \(value.description)")
        return value
    }

    // MARK: - Structured

    /// Checks an array of objects: each entry's keys against `keys`, required keys present and
    /// non-empty, each value through `kind(key)`. Returns the normalised array.
    private mutating func records(
        _ value: JSONValue, path: String, name: String, entryName: String,
        keys: [String], required: Set<String>, kind: (String) -> ValueKind, keyName: (String) -> String
    ) -> JSONValue {
        guard let elements = value.arrayValue else {
            add(path, .structure, "\(name) must be a list of \(entryName) objects, got \(value.typeName)")
            return value
        }
        var result: [JSONValue] = []
        for (i, element) in elements.enumerated() {
            let entryPath = "\(path)[\(i)]"
            guard let members = element.objectValue else {
                add(entryPath, .structure, "\(name) entry \(i + 1) must be an object with \(keys.joined(separator: ", ")), got \(element.typeName)")
                result.append(element)
                continue
            }
            var normalised: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                guard let member = members[key] else { continue }
                let memberPath = "\(entryPath).\(key)"
                guard keys.contains(key) else {
                    add(memberPath, .unknownField, "\(name) entry \(i + 1) has an unknown attribute “\(key)”; known: \(keys.joined(separator: ", "))")
                    normalised[key] = member
                    continue
                }
                normalised[key] = check(member, kind: kind(key), path: memberPath, name: "\(name) \(keyName(key))")
            }
            for key in keys where required.contains(key) && ElementObject.isEmpty(members[key]) {
                add("\(entryPath).\(key)", .required, "\(name) entry \(i + 1) needs \(keyName(key))")
            }
            result.append(.object(normalised))
        }
        return .array(result)
    }

    mutating func materials(_ value: JSONValue, path: String, name: String) -> JSONValue {
        let keys = MaterialAttribute.allCases.map(\.key)
        return records(
            value, path: path, name: name, entryName: "material",
            keys: keys, required: [MaterialAttribute.name.key],
            kind: { key in
                switch MaterialAttribute(rawValue: key) {
                case .electronicRequired: .bool
                case .copies: .count
                default: .text
                }
            },
            keyName: { key in MaterialAttribute(rawValue: key).map { "\($0.header) (\($0.key))" } ?? key })
    }

    mutating func feeItems(_ value: JSONValue, path: String, name: String) -> JSONValue {
        records(
            value, path: path, name: name, entryName: "fee item",
            keys: FeeItemKey.allCases.map(\.key),
            required: Set(FeeItemKey.allCases.filter(\.isRequired).map(\.key)),
            kind: { _ in .text },
            keyName: { key in FeeItemKey(rawValue: key).map { "\($0.header) (\($0.key))" } ?? key })
    }

    mutating func faq(_ value: JSONValue, path: String, name: String) -> JSONValue {
        records(
            value, path: path, name: name, entryName: "question-and-answer",
            keys: FAQKey.allCases.map(\.key), required: Set(FAQKey.allCases.map(\.key)),
            kind: { _ in .text },
            keyName: { key in FAQKey(rawValue: key).map { "\($0.header) (\($0.key))" } ?? key })
    }

    mutating func procedure(_ value: JSONValue, path: String, name: String) -> JSONValue {
        var source = value
        if let s = value.stringValue {
            let steps = s.replacingOccurrences(of: "->", with: "→").split(separator: "→")
                .map(\.trimmedWhitespace).filter { !$0.isEmpty }
            source = .object(["steps": .array(steps.map { .object(["name": .string($0)]) })])
        }
        guard let members = source.objectValue else {
            add(path, .structure, "\(name) must be an object {steps, flowChart, description} or step names joined by →, got \(value.typeName)")
            return value
        }
        var normalised: [String: JSONValue] = [:]
        for key in members.keys.sorted() {
            guard let member = members[key] else { continue }
            let memberPath = "\(path).\(key)"
            switch ProcedureKey(rawValue: key) {
            case .steps:
                let stepKeys = ProcedureKey.StepKey.allCases.map(\.rawValue)
                normalised[key] = records(
                    member, path: memberPath, name: "\(name) 环节 (step)", entryName: "step",
                    keys: stepKeys, required: [ProcedureKey.StepKey.name.rawValue],
                    kind: { $0 == ProcedureKey.StepKey.timeLimit.rawValue ? .timeLimit : .text },
                    keyName: { $0 })
            case .flowChart, .description:
                normalised[key] = text(member, path: memberPath, name: "\(name) \(key)")
            case nil:
                add(memberPath, .unknownField, "\(name) has an unknown attribute “\(key)”; known: steps, flowChart, description")
                normalised[key] = member
            }
        }
        if ElementObject.isEmpty(members[ProcedureKey.steps.rawValue]) {
            add("\(path).steps", .required, "\(name) needs at least one 环节 (step)")
        }
        return .object(normalised)
    }
}
