/// What a run read (MLflow's `RunInputs`): its dataset inputs and (MLflow 3) the logged models it
/// used, ordered by model id.
///
/// ```swift
/// let tables = run.inputs.datasetInputs.map(\.dataset.name)
/// ```
public struct RunInputs: Codable, Sendable, Hashable {
    public var datasetInputs: [DatasetInput]
    public var modelInputs: [LoggedModelInput]
    public init(datasetInputs: [DatasetInput] = [], modelInputs: [LoggedModelInput] = []) {
        self.datasetInputs = datasetInputs
        self.modelInputs = modelInputs
    }

    enum CodingKeys: String, CodingKey { case datasetInputs = "dataset_inputs", modelInputs = "model_inputs" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        datasetInputs = try c.decodeIfPresent([DatasetInput].self, forKey: .datasetInputs) ?? []
        modelInputs = try c.decodeIfPresent([LoggedModelInput].self, forKey: .modelInputs) ?? []
    }
}
