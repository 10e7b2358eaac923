/// What a run read (MLflow's `RunInputs`): its dataset inputs.
///
/// ```swift
/// let tables = run.inputs.datasetInputs.map(\.dataset.name)
/// ```
public struct RunInputs: Codable, Sendable, Hashable {
    public var datasetInputs: [DatasetInput]
    public init(datasetInputs: [DatasetInput] = []) { self.datasetInputs = datasetInputs }

    enum CodingKeys: String, CodingKey { case datasetInputs = "dataset_inputs" }
}
