/// A check the validator runs after its built-in ones (e.g. an event hash-chain proof, or
/// DA/T 46 metadata ranges in the payload).
///
/// Contract: `run` reads the bag only through the snapshot (``BagSnapshot/url(for:)`` for file
/// content), does not modify it, and reports every problem as a failed result instead of
/// throwing. It may return several results (one per sub-check); each `id` should be unique in
/// the report and stable across versions, since `--json` consumers key on it.
public protocol BagCheck: Sendable {
    func run(on bag: BagSnapshot) -> [BagCheckResult]
}
