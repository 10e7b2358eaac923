/// What a run produced (MLflow 3's `RunOutputs`): the logged models it output, ordered by model id.
///
/// ```swift
/// let models = try store.getRun(id: runId).outputs.modelOutputs.map(\.modelId)
/// ```
public struct RunOutputs: Codable, Sendable, Hashable {
    public var modelOutputs: [LoggedModelOutput]
    public init(modelOutputs: [LoggedModelOutput] = []) { self.modelOutputs = modelOutputs }

    enum CodingKeys: String, CodingKey { case modelOutputs = "model_outputs" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelOutputs = try c.decodeIfPresent([LoggedModelOutput].self, forKey: .modelOutputs) ?? []
    }
}
