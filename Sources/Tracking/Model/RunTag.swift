/// A key/value tag on a run (MLflow's `RunTag`; value up to 8,000 characters). Tags can be
/// overwritten and deleted; keys under `mlflow.` carry MLflow's conventions (``RunTag/runNameKey``,
/// ``RunTag/parentRunIdKey``, …).
///
/// ```swift
/// try store.setTag(runId: id, tag: RunTag(key: "team", value: "growth"))
/// ```
public struct RunTag: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Always equal to the run's name (MLflow keeps them in sync).
    public static let runNameKey = "mlflow.runName"
    /// Set on a nested run: the id of its parent run.
    public static let parentRunIdKey = "mlflow.parentRunId"
    /// The user who created the run.
    public static let userKey = "mlflow.user"
    public static let sourceNameKey = "mlflow.source.name"
    public static let sourceTypeKey = "mlflow.source.type"
    public static let gitCommitKey = "mlflow.source.git.commit"
}
