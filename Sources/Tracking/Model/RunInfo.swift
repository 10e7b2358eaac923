/// A run's metadata (MLflow's `RunInfo`): 32-hex id, name, experiment, user, status, times (ms),
/// artifact URI, lifecycle stage. Coding keys are MLflow's JSON field names; `end_time` is omitted
/// while the run has none.
///
/// ```swift
/// let info = try store.updateRun(id: run.info.runId, status: .finished, endTime: now)
/// ```
public struct RunInfo: Codable, Sendable, Hashable {
    public var runId: String
    public var runName: String
    public var experimentId: String
    public var userId: String
    public var status: RunStatus
    public var startTime: Int64
    public var endTime: Int64?
    public var artifactUri: String
    public var lifecycleStage: LifecycleStage

    public init(runId: String, runName: String, experimentId: String, userId: String, status: RunStatus,
                startTime: Int64, endTime: Int64? = nil, artifactUri: String, lifecycleStage: LifecycleStage) {
        self.runId = runId
        self.runName = runName
        self.experimentId = experimentId
        self.userId = userId
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.artifactUri = artifactUri
        self.lifecycleStage = lifecycleStage
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id", runName = "run_name", experimentId = "experiment_id", userId = "user_id"
        case status, startTime = "start_time", endTime = "end_time", artifactUri = "artifact_uri"
        case lifecycleStage = "lifecycle_stage"
    }
}
