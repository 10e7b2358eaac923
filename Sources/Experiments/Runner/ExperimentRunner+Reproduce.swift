import Tracking

extension ExperimentRunner {
    /// Reruns a finished run from what it recorded — its `spec.yaml` (resolved paths, params, seeds)
    /// at the Delta version of its dataset input — into a new run of the same experiment tagged
    /// `mltrack.reproduces`, without registering, and compares every metric of the original
    /// (timing and memory aside) to a relative 1e-9, and the dataset digests (the data read). A sweep's parent cannot be rerun this way (its
    /// children can).
    public func reproduce(runId: String, progress: RunEventHandler? = nil) async throws -> ReproduceReport {
        let recorded = try RecordedRun.load(runId: runId, store: store, artifacts: artifacts)
        guard recorded.spec.sweep == nil else {
            throw ExperimentError(file: "run \(runId)", field: "sweep", "run \(runId) is a sweep's parent; reproduce one of its child runs")
        }
        let outcome = try runSingle(spec: recorded.spec, experimentId: recorded.run.info.experimentId,
                                    runName: recorded.run.info.runName + "-reproduce", parentRunId: nil,
                                    extraTags: [RunTag(key: RunTags.reproduces, value: runId)], progress: progress)
        let comparisons = recorded.run.data.metrics
            .filter { !ReproduceReport.ignored.contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { m in
                let new = outcome.metrics[m.key]
                return ReproduceReport.Comparison(key: m.key, original: m.value, reproduced: new,
                                                  matches: ReproduceReport.agree(m.value, new))
            }
        return ReproduceReport(originalRunId: runId, newRunId: outcome.runId, comparisons: comparisons,
                               originalDigest: recorded.run.inputs.datasetInputs.first?.dataset.digest,
                               newDigest: outcome.dataset?.digest)
    }
}
