/// An experiment: a named group of runs (MLflow's `Experiment`). Ids are decimal strings; `"0"` is
/// the `Default` experiment every store has. Coding keys are MLflow's JSON field names.
///
/// ```swift
/// let id = try store.createExperiment(name: "churn")
/// let exp = try store.getExperiment(id: id)   // exp.lifecycleStage == .active
/// ```
public struct Experiment: Codable, Sendable, Hashable {
    public var experimentId: String
    public var name: String
    public var artifactLocation: String
    public var lifecycleStage: LifecycleStage
    /// Milliseconds since the epoch.
    public var creationTime: Int64
    /// Milliseconds since the epoch.
    public var lastUpdateTime: Int64
    /// Sorted by key.
    public var tags: [ExperimentTag]

    public init(experimentId: String, name: String, artifactLocation: String, lifecycleStage: LifecycleStage,
                creationTime: Int64, lastUpdateTime: Int64, tags: [ExperimentTag] = []) {
        self.experimentId = experimentId
        self.name = name
        self.artifactLocation = artifactLocation
        self.lifecycleStage = lifecycleStage
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
        self.tags = tags
    }

    /// The id and name of the experiment every store has.
    public static let defaultId = "0"
    public static let defaultName = "Default"

    /// The value of tag `key`, if set.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }

    enum CodingKeys: String, CodingKey {
        case experimentId = "experiment_id", name, artifactLocation = "artifact_location"
        case lifecycleStage = "lifecycle_stage", creationTime = "creation_time"
        case lastUpdateTime = "last_update_time", tags
    }
}
