import Tracking

/// A ``GateContext`` that can answer threshold gates from the tracking store alone: a candidate's
/// metrics are the latest metrics its run logged (a `test_<name>` metric also answers for `<name>`
/// when the run has no metric `<name>`, since gates name test metrics without the prefix).
///
/// It cannot score a version on another version's test split (that needs the runner's data and
/// model loading), so `score(version:onTestSplitOf:)` throws: a `beat_holder` gate facing an actual
/// holder then fails with that explanation, while one with no holder (or the candidate already
/// holding the alias) passes as usual.
///
/// ```swift
/// let context = TrackedRunGateContext(tracking: store)
/// let promoter = Promoter(store: registry, policies: policies, context: context)
/// ```
public struct TrackedRunGateContext: GateContext {
    public let tracking: any TrackingStore

    public init(tracking: any TrackingStore) { self.tracking = tracking }

    public func candidateMetrics(_ candidate: ModelVersion) async throws -> [String: Double] {
        guard let runId = candidate.runId else {
            throw RegistryError(.invalidParameterValue, "\(candidate.name) version \(candidate.version) has no run, so it has no logged metrics")
        }
        let run = try tracking.getRun(id: runId)
        var metrics: [String: Double] = [:]
        for m in run.data.metrics { metrics[m.key] = m.value }
        for m in run.data.metrics where m.key.hasPrefix("test_") {
            let bare = String(m.key.dropFirst("test_".count))
            if metrics[bare] == nil { metrics[bare] = m.value }
        }
        return metrics
    }

    public func score(version: ModelVersion, onTestSplitOf candidate: ModelVersion) async throws -> [String: Double] {
        throw RegistryError(.invalidState,
            "scoring v\(version.version) on v\(candidate.version)'s test split is not available from `mltrack models promote` in this build; promote right after training with `mltrack run SPEC` (the spec's `register.auto_promote`), or use --force")
    }
}
