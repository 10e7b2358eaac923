/// A logged model a run read (MLflow's `LoggedModelInput`, `runs/log-inputs` field `models`).
///
/// ```swift
/// try store.logModelInputs(runId: evalRun, models: [LoggedModelInput(modelId: model.modelId)])
/// ```
public struct LoggedModelInput: Codable, Sendable, Hashable {
    public var modelId: String
    public init(modelId: String) { self.modelId = modelId }

    enum CodingKeys: String, CodingKey { case modelId = "model_id" }
}
