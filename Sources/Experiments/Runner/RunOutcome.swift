import Registry
import Tracking

/// What ``ExperimentRunner/run(spec:experimentName:runName:register:progress:)`` recorded: the run,
/// its final metrics and artifacts, and for a sweep its children and the best one; plus the
/// registration and promotion outcome when the spec registers a model.
///
/// ```swift
/// let outcome = try await runner.run(spec: spec)
/// print(outcome.runId, outcome.metrics["roc_auc"] ?? .nan, outcome.registration?.version ?? 0)
/// ```
public struct RunOutcome: Sendable, Codable {
    public var experimentId: String
    public var runId: String
    public var runName: String
    public var status: RunStatus
    public var artifactUri: String
    /// Final metrics (the last value of each key; `train_loss` history is in the store).
    public var metrics: [String: Double]
    /// Every artifact file logged, with its hash.
    public var artifacts: [ArtifactFile]
    /// The dataset input logged (nil for a sweep's parent).
    public var dataset: Dataset?
    /// A sweep's child runs, in grid order (empty for a single run).
    public var children: [RunOutcome]
    /// A sweep's best child (by `sweep.select`).
    public var bestChildRunId: String?
    public var registration: RegistrationOutcome?

    public init(experimentId: String, runId: String, runName: String, status: RunStatus, artifactUri: String,
                metrics: [String: Double] = [:], artifacts: [ArtifactFile] = [], dataset: Dataset? = nil,
                children: [RunOutcome] = [], bestChildRunId: String? = nil, registration: RegistrationOutcome? = nil) {
        self.experimentId = experimentId
        self.runId = runId
        self.runName = runName
        self.status = status
        self.artifactUri = artifactUri
        self.metrics = metrics
        self.artifacts = artifacts
        self.dataset = dataset
        self.children = children
        self.bestChildRunId = bestChildRunId
        self.registration = registration
    }

    enum CodingKeys: String, CodingKey {
        case experimentId = "experiment_id", runId = "run_id", runName = "run_name", status
        case artifactUri = "artifact_uri", metrics, artifacts, dataset, children
        case bestChildRunId = "best_child_run_id", registration
    }
}

/// The registered version a run's model became, and the promotion decision when the spec asked
/// for an alias (`register.auto_promote`).
///
/// ```swift
/// if let r = outcome.registration { print("\(r.model) v\(r.version)", r.decision?.summary ?? "") }
/// ```
public struct RegistrationOutcome: Sendable, Codable {
    public var model: String
    public var version: Int
    /// The package's artifact URI (`<run artifact URI>/model`).
    public var source: String
    public var runId: String
    public var decision: PromotionDecision?

    public init(model: String, version: Int, source: String, runId: String, decision: PromotionDecision? = nil) {
        self.model = model
        self.version = version
        self.source = source
        self.runId = runId
        self.decision = decision
    }

    enum CodingKeys: String, CodingKey {
        case model, version, source, runId = "run_id", decision
    }
}
