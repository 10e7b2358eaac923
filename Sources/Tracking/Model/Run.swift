/// A run with everything it logged (MLflow's `Run`: info, data, inputs). A nested run names its
/// parent through the `mlflow.parentRunId` tag, as MLflow does; ``parentRunId`` reads it.
///
/// ```swift
/// let child = try store.createRun(experimentId: "1", runName: "l2=0.5",
///                                 tags: [RunTag(key: RunTag.parentRunIdKey, value: parent.info.runId)])
/// child.parentRunId == parent.info.runId   // true
/// ```
public struct Run: Codable, Sendable, Hashable {
    public var info: RunInfo
    public var data: RunData
    public var inputs: RunInputs

    public init(info: RunInfo, data: RunData = RunData(), inputs: RunInputs = RunInputs()) {
        self.info = info
        self.data = data
        self.inputs = inputs
    }

    /// The parent run's id for a nested run (tag `mlflow.parentRunId`).
    public var parentRunId: String? { data.tag(RunTag.parentRunIdKey) }
}
