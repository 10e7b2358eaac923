/// A logged model a run produced (MLflow's `LoggedModelOutput`, `runs/outputs`): the model id
/// and the step at which it was logged.
///
/// ```swift
/// try store.logOutputs(runId: run, models: [LoggedModelOutput(modelId: model.modelId, step: 0)])
/// ```
public struct LoggedModelOutput: Codable, Sendable, Hashable {
    public var modelId: String
    public var step: Int64
    public init(modelId: String, step: Int64 = 0) {
        self.modelId = modelId
        self.step = step
    }

    enum CodingKeys: String, CodingKey { case modelId = "model_id", step }
}
