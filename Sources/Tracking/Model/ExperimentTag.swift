/// A key/value tag on an experiment (MLflow's `ExperimentTag`; value up to 20,000 characters).
///
/// ```swift
/// try store.setExperimentTag(id: "1", tag: ExperimentTag(key: "team", value: "growth"))
/// ```
public struct ExperimentTag: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
