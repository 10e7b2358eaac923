/// A dataset used by a run, with input tags (MLflow's `DatasetInput`).
///
/// ```swift
/// try store.logInputs(runId: id, datasets: [DatasetInput(dataset: ds, tags: [InputTag(key: InputTag.contextKey, value: "training")])])
/// ```
public struct DatasetInput: Codable, Sendable, Hashable {
    public var tags: [InputTag]
    public var dataset: Dataset
    public init(dataset: Dataset, tags: [InputTag] = []) {
        self.dataset = dataset
        self.tags = tags
    }
}
