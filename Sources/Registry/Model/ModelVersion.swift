/// One version of a registered model: an immutable pointer to a model package (`source`, the
/// artifact URI of the package, usually `<run artifact_uri>/model`) plus mutable metadata
/// (description, tags, legacy stage). Versions are per-model integers from 1, allocated by the store
/// (highest ever allocated + 1, never reused); MLflow sends them as strings, we keep an `Int`.
///
/// ```swift
/// let v = try await store.createModelVersion(name: "churn", source: "mltrack-artifacts:/1/ab12…/artifacts/model",
///                                            runId: "ab12…")
/// print(v.version, v.currentStage, v.aliases)   // 1 None []
/// ```
public struct ModelVersion: Sendable, Hashable, Codable {
    /// The registered model's name.
    public var name: String
    public var version: Int
    /// Milliseconds since the epoch.
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var description: String
    /// The artifact URI of the model package this version points at.
    public var source: String
    /// The run that produced the package, if known.
    public var runId: String?
    public var status: ModelVersionStatus
    public var statusMessage: String?
    /// Legacy stage (`None` unless transitioned).
    public var currentStage: ModelStage
    public var tags: [String: String]
    /// The aliases pointing at this version, sorted.
    public var aliases: [String]
    public var userId: String?
    /// The MLflow 3 logged model (`m-<hex>`) this version was registered from, if any.
    public var modelId: String?
    /// A link to the run that produced the model (MLflow's `run_link`; free text, often empty).
    public var runLink: String?

    public init(name: String, version: Int, creationTimestamp: Int64, lastUpdatedTimestamp: Int64,
                description: String = "", source: String, runId: String? = nil, status: ModelVersionStatus = .ready,
                statusMessage: String? = nil, currentStage: ModelStage = .none, tags: [String: String] = [:],
                aliases: [String] = [], userId: String? = nil, modelId: String? = nil, runLink: String? = nil) {
        self.name = name
        self.version = version
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.description = description
        self.source = source
        self.runId = runId
        self.status = status
        self.statusMessage = statusMessage
        self.currentStage = currentStage
        self.tags = tags
        self.aliases = aliases
        self.userId = userId
        self.modelId = modelId
        self.runLink = runLink
    }

    /// `models:/<name>/<version>`.
    public var uri: String { "models:/\(name)/\(version)" }
}
