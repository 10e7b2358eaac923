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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelId = try c.decode(String.self, forKey: .modelId)
        // int64 may travel as a JSON string (protobuf's JSON rule).
        if let text = try? c.decodeIfPresent(String.self, forKey: .step) {
            guard let n = Int64(text) else {
                throw DecodingError.dataCorruptedError(forKey: .step, in: c, debugDescription: "step '\(text)' is not an integer")
            }
            step = n
        } else {
            step = try c.decodeIfPresent(Int64.self, forKey: .step) ?? 0
        }
    }
}
