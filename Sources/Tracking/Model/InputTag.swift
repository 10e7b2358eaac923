/// A tag on a run's dataset input (MLflow's `InputTag`; key ≤ 255, value ≤ 500 characters), such as
/// `mlflow.data.context = training`.
///
/// ```swift
/// let tag = InputTag(key: InputTag.contextKey, value: "training")
/// ```
public struct InputTag: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The conventional key saying how the dataset was used (`training`, `eval`, …).
    public static let contextKey = "mlflow.data.context"
}
