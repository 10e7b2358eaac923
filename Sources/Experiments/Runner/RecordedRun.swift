import Foundation
import Tracking

/// What a finished run recorded that is enough to run it again: its `spec.yaml` artifact (the
/// resolved spec, absolute paths) pinned to the Delta version its dataset input names.
///
/// ```swift
/// let recorded = try RecordedRun.load(runId: id, store: store, artifacts: ExperimentRunner.defaultArtifacts)
/// recorded.spec.source.version   // the version the run read
/// ```
public struct RecordedRun: Sendable {
    public var run: Run
    public var spec: ExperimentSpec

    public static func load(runId: String, store: any TrackingStore,
                            artifacts: ExperimentRunner.ArtifactStoreFactory) throws -> RecordedRun {
        let run = try store.getRun(id: runId)
        let data: Data
        do {
            data = try artifacts(run.info).read(path: "spec.yaml")
        } catch {
            throw ExperimentError(file: "run \(runId)", field: "spec.yaml", "the run has no readable spec artifact: \(error)")
        }
        var spec = try ExperimentSpec(yaml: String(decoding: data, as: UTF8.self), file: "run \(runId) spec.yaml")
        if let version = run.inputs.datasetInputs.lazy.compactMap({ RunDataset.deltaVersion(of: $0.dataset) }).first {
            spec.source.version = version
            spec.source.timestamp = nil
        }
        return RecordedRun(run: run, spec: spec)
    }
}
