/// A key/value tag on a logged model (MLflow's `LoggedModelTag`); tags can be overwritten and
/// deleted. The registry links versions through ``LoggedModelTag/modelVersionsKey``.
///
/// ```swift
/// try store.setLoggedModelTags(id: modelId, tags: [LoggedModelTag(key: "team", value: "growth")])
/// ```
public struct LoggedModelTag: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// JSON list of `{"name", "version"}` of the registered versions made from this model.
    public static let modelVersionsKey = "mlflow.modelVersions"
}
