/// What the gate evaluator needs from the outside world, so it can be tested with plain numbers and
/// wired to real packages by the caller (the lead implements it with `ModelPackage` and the
/// candidate run's recorded split):
///
/// - `candidateMetrics`: the candidate's logged test metrics (`roc_auc`, `log_loss`,
///   `precision_at_k`, …), used by threshold gates;
/// - `score(version:onTestSplitOf:)`: a version's metrics on the candidate's held-out test split,
///   used by `beat_holder` gates for both the holder and the candidate, so both numbers come from the
///   same rows and the same code.
///
/// ```swift
/// struct FixedContext: GateContext {
///     func candidateMetrics(_ c: ModelVersion) async throws -> [String: Double] { ["roc_auc": 0.80] }
///     func score(version: ModelVersion, onTestSplitOf c: ModelVersion) async throws -> [String: Double] {
///         version.version == c.version ? ["roc_auc": 0.80] : ["roc_auc": 0.78]
///     }
/// }
/// ```
public protocol GateContext: Sendable {
    func candidateMetrics(_ candidate: ModelVersion) async throws -> [String: Double]
    func score(version: ModelVersion, onTestSplitOf candidate: ModelVersion) async throws -> [String: Double]
}
