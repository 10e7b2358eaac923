/// A run with everything it logged (MLflow's `Run`: info, data, inputs, and MLflow 3's outputs —
/// the logged models it produced). A nested run names its parent through the `mlflow.parentRunId`
/// tag, as MLflow does; ``parentRunId`` reads it.
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
    public var outputs: RunOutputs

    public init(info: RunInfo, data: RunData = RunData(), inputs: RunInputs = RunInputs(), outputs: RunOutputs = RunOutputs()) {
        self.info = info
        self.data = data
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The parent run's id for a nested run (tag `mlflow.parentRunId`).
    public var parentRunId: String? { data.tag(RunTag.parentRunIdKey) }

    enum CodingKeys: String, CodingKey { case info, data, inputs, outputs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        info = try c.decode(RunInfo.self, forKey: .info)
        data = try c.decodeIfPresent(RunData.self, forKey: .data) ?? RunData()
        inputs = try c.decodeIfPresent(RunInputs.self, forKey: .inputs) ?? RunInputs()
        outputs = try c.decodeIfPresent(RunOutputs.self, forKey: .outputs) ?? RunOutputs()
    }
}
