/// The shape of 办理流程 (procedure, Annex 4 row 16: a flow chart of the statutory steps and
/// their time limits, with a text explanation).
///
/// `procedure` is an object:
/// `{"steps": [{"name": "受理", "description": "…", "timeLimit": {"value": 1, "unit": "workingDays"}}, …],
///   "flowChart": "attachment reference", "description": "…"}`.
/// ``steps`` is required and non-empty, each step needs a `name` (``StepKey``); ``flowChart``
/// (the picture, stored elsewhere; here its reference) and ``description`` are optional.
/// For readability a plain string of step names joined by `→` (or `->`), such as
/// `"申请→受理→审查→决定→制证发证"`, is accepted and normalised to that object.
public enum ProcedureKey: String, CaseIterable, Hashable, Sendable, Codable {
    /// 环节: the ordered steps.
    case steps
    /// 流程图: reference of the flow-chart picture.
    case flowChart
    /// 文字说明: explanation.
    case description

    /// The JSON key.
    public var key: String { rawValue }

    /// The keys of one step.
    public enum StepKey: String, CaseIterable, Hashable, Sendable, Codable {
        /// 环节名称, required.
        case name
        /// 环节说明.
        case description
        /// 环节时限: a time limit (object or text such as `"5个工作日"`, normalised to the object).
        case timeLimit
    }
}
