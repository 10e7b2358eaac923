import Foundation
import GoldTables
import Registry
import Tracking
import Trainers

/// Runs an experiment spec end to end and records everything in a tracking store: the experiment
/// (created if missing), a RUNNING run with every resolved param, mltrack's and MLflow's tags (version,
/// git commit, source, user, pid and host), the dataset input, per-iteration `train_loss`, the
/// final metrics with `fit_seconds` and `peak_rss_mb`, the model package (`model/`), the reports and
/// `spec.yaml`; then FINISHED, or FAILED with the error (tag `mltrack.error`) and the error rethrown.
/// A sweep makes one parent run and one nested child per grid point and marks the best child. With a
/// registry and `register.model`, the run's package becomes a new version, and `auto_promote` asks
/// the ``Promoter`` for the alias under the spec's policy.
///
/// ```swift
/// let store = try SQLiteTrackingStore(path: "mltrack/mltrack.db")
/// let runner = ExperimentRunner(store: store, registry: InMemoryRegistryStore())
/// let outcome = try await runner.run(spec: try ExperimentSpec.load(path: "Experiments/churn.yaml"))
/// print(outcome.runId, outcome.metrics["roc_auc"] ?? .nan, outcome.registration?.decision?.summary ?? "")
/// ```
public struct ExperimentRunner: Sendable {
    /// The artifact store of a run (default: ``ArtifactStores/open(uri:trackingURI:)`` on the run's
    /// `artifact_uri`: local files, or a tracking server's artifact proxy).
    public typealias ArtifactStoreFactory = @Sendable (RunInfo) throws -> any ArtifactStore

    public var store: any TrackingStore
    public var artifacts: ArtifactStoreFactory
    public var registry: (any RegistryStore)?
    /// Where promotion policies are looked up when a spec names none (`Models/`).
    public var policiesDirectory: String?
    /// The audit actor and `mlflow.user` (nil: `$USER`).
    public var actor: String?
    /// `mlflow.source.name`: the spec file the runs come from (nil: the spec's folder).
    public var sourceName: String?
    /// The runs started and not yet ended (for ``killActiveRuns(reason:)``).
    public let active: ActiveRuns

    /// Resolves `mlflow-artifacts:` URIs against `MLTRACK_TRACKING_URI`; use
    /// ``artifacts(trackingURI:)`` when the tracking URI comes from elsewhere (`--tracking-uri`).
    public static let defaultArtifacts: ArtifactStoreFactory = { info in
        try ArtifactStores.open(uri: info.artifactUri, trackingURI: try? TrackingURI.resolve())
    }

    /// The artifact stores of runs tracked at `trackingURI`.
    public static func artifacts(trackingURI: TrackingURI?) -> ArtifactStoreFactory {
        { info in try ArtifactStores.open(uri: info.artifactUri, trackingURI: trackingURI) }
    }

    public init(store: any TrackingStore, artifacts: @escaping ArtifactStoreFactory = ExperimentRunner.defaultArtifacts,
                registry: (any RegistryStore)? = nil, policiesDirectory: String? = nil, actor: String? = nil,
                sourceName: String? = nil) {
        self.store = store
        self.artifacts = artifacts
        self.registry = registry
        self.policiesDirectory = policiesDirectory
        self.actor = actor
        self.sourceName = sourceName
        self.active = ActiveRuns()
    }

    var user: String { actor ?? RunEnvironment.user }

    // MARK: Running

    /// Runs `spec` (a sweep when its grid has more than one point) in the experiment
    /// `experimentName` (default: the spec's `name`). `register: false` skips registration.
    public func run(spec: ExperimentSpec, experimentName: String? = nil, runName: String? = nil, register: Bool = true,
                    progress: RunEventHandler? = nil) async throws -> RunOutcome {
        let spec = Self.absolute(spec)
        let experimentId = try experiment(named: experimentName ?? spec.name, description: spec.description)
        let grid = try spec.grid()
        var outcome: RunOutcome
        if grid.count > 1 {
            outcome = try runSweep(spec: spec, grid: grid, experimentId: experimentId, runName: runName, progress: progress)
        } else {
            outcome = try runSingle(spec: grid.first?.spec ?? spec, experimentId: experimentId, runName: runName,
                                    progress: progress)
        }
        if register, registry != nil, spec.register != nil {
            let target = outcome.bestChildRunId.flatMap { id in outcome.children.first { $0.runId == id } }
                ?? (outcome.children.isEmpty ? outcome : nil)
            if let target {
                let registration: RegistrationOutcome?
                do {
                    registration = try await self.register(runId: target.runId, artifactUri: target.artifactUri,
                                                           spec: spec, progress: progress)
                } catch {
                    throw ExperimentError(file: sourceName, field: "register",
                                          "run \(target.runId) FINISHED, but registering or promoting its model failed: \(error)")
                }
                outcome.registration = registration
                if let i = outcome.children.firstIndex(where: { $0.runId == target.runId }) {
                    outcome.children[i].registration = registration
                }
            }
        }
        return outcome
    }

    /// The spec with its folder made absolute, so its relative paths (`../Models/churn.yaml`)
    /// resolve the same from anywhere.
    static func absolute(_ spec: ExperimentSpec) -> ExperimentSpec {
        var s = spec
        let dir = spec.directory ?? "."
        if !dir.hasPrefix("/") {
            s.directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
                .appendingPathComponent(dir, isDirectory: true).standardizedFileURL.path
        }
        return s
    }

    /// The id of the experiment named `name`, created if missing (with `description` as MLflow's
    /// `mlflow.note.content`); a deleted one is an error.
    public func experiment(named name: String, description: String = "") throws -> String {
        if let e = try store.getExperimentByName(name) {
            guard e.lifecycleStage == .active else {
                throw ExperimentError(field: "name", "experiment '\(name)' is deleted; restore it (mltrack experiments restore) or pick another name")
            }
            return e.experimentId
        }
        do {
            let tags = description.isEmpty ? [] : [ExperimentTag(key: RunTags.note, value: String(description.prefix(20000)))]
            return try store.createExperiment(name: name, artifactLocation: nil, tags: tags, actor: actor)
        } catch let e as TrackingError where e.code == .resourceAlreadyExists {
            // Another process created it meanwhile.
            guard let again = try store.getExperimentByName(name) else { throw e }
            return again.experimentId
        }
    }

    /// One run of one spec point (a sweep's child when `parentRunId` is given).
    func runSingle(spec: ExperimentSpec, experimentId: String, runName: String?, parentRunId: String? = nil,
                   extraTags: [RunTag] = [], progress: RunEventHandler?) throws -> RunOutcome {
        var tags = baseTags(spec) + extraTags
        if let parentRunId { tags.append(RunTag(key: RunTag.parentRunIdKey, value: parentRunId)) }
        let run = try store.createRun(experimentId: experimentId, userId: user, runName: runName, startTime: nil,
                                      tags: tags, actor: actor)
        let id = run.info.runId, name = run.info.runName
        active.insert(id)
        defer { active.remove(id) }
        progress?(.status("run \(id) (\(name)) started in experiment \(experimentId)"))
        do {
            try logParams(try spec.resolved().params(), runId: id)
            let source = try RunSource.load(spec)
            let input = try source.datasetInput(filter: spec.source.filter)
            try store.logInputs(runId: id, datasets: [input], actor: actor)
            progress?(.status("read \(source.lineage.path)\(source.lineage.version.map { " (version \($0))" } ?? ""): \(source.table.rowCount) rows"))
            var forward: ProgressHandler?
            if let progress {
                forward = { @Sendable (p: TrainingProgress) -> Void in progress(.training(run: name, p)) }
            }
            let fitStart = RunEnvironment.nowMillis()
            let trained = try TrainedModel.fit(spec, source: source, progress: forward)
            var metrics = trained.metrics
            metrics.append(("fit_seconds", trained.fitSeconds))
            metrics.append(("peak_rss_mb", RunEnvironment.peakRSSMegabytes()))
            try logMetrics(final: metrics, losses: trained.losses, runId: id, fitStart: fitStart)
            if let note = trained.metricsNote {
                try store.setTag(runId: id, tag: RunTag(key: RunTags.metricsNote, value: String(note.prefix(8000))), actor: actor)
            }
            let artifactStore = try artifacts(run.info)
            var files = try logPackage(trained, source: source, runId: id, into: artifactStore)
            for file in try trained.reportFiles() { files.append(try artifactStore.log(data: file.data, at: file.path)) }
            files.append(try artifactStore.log(data: Data(try spec.resolved().yaml().utf8), at: "spec.yaml"))
            try store.updateRun(id: id, status: .finished, endTime: RunEnvironment.nowMillis(), runName: nil, actor: actor)
            progress?(.status("run \(id) (\(name)) FINISHED: \(files.count) artifact files"))
            var final = Dictionary(metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
            if let last = trained.losses.last { final["train_loss"] = last.loss }
            return RunOutcome(experimentId: experimentId, runId: id, runName: name, status: .finished,
                              artifactUri: run.info.artifactUri, metrics: final,
                              artifacts: files.sorted { $0.path < $1.path }, dataset: input.dataset)
        } catch {
            fail(runId: id, error: error)
            progress?(.status("run \(id) (\(name)) FAILED: \(error)"))
            throw error
        }
    }

    /// Tags every run gets: mltrack version, MLflow's source/user/git tags, pid and host.
    func baseTags(_ spec: ExperimentSpec) -> [RunTag] {
        var tags = [
            RunTag(key: RunTags.version, value: MLTrackVersion.current),
            RunTag(key: RunTag.userKey, value: user),
            RunTag(key: RunTags.sourceType, value: "LOCAL"),
            RunTag(key: RunTags.pid, value: String(RunEnvironment.pid)),
            RunTag(key: RunTags.host, value: RunEnvironment.host),
            RunTag(key: RunTags.task, value: spec.task.rawValue),
        ]
        if !spec.description.isEmpty {
            tags.append(RunTag(key: RunTags.note, value: String(spec.description.prefix(8000))))
        }
        if let source = sourceName ?? spec.directory {
            tags.append(RunTag(key: RunTag.sourceNameKey, value: URL(fileURLWithPath: source).standardizedFileURL.path))
        }
        if let commit = RunEnvironment.gitCommit(directory: spec.directory ?? ".") {
            tags.append(RunTag(key: RunTag.gitCommitKey, value: commit))
        }
        return tags
    }

    /// Params in batches of at most 100 (MLflow's log-batch limit), usually one.
    func logParams(_ params: [(key: String, value: String)], runId: String) throws {
        let all = params.map { Param(key: $0.key, value: String($0.value.prefix(6000))) }
        for start in stride(from: 0, to: all.count, by: 100) {
            try store.logBatch(runId: runId, metrics: [], params: Array(all[start ..< min(start + 100, all.count)]),
                               tags: [], actor: actor)
        }
    }

    /// `train_loss` at steps 1…n (timestamped `fitStart` plus the elapsed training time) and the
    /// final metrics at step 0, in batches of at most 1000.
    func logMetrics(final: [(key: String, value: Double)], losses: [(step: Int, loss: Double, elapsed: Double)], runId: String,
                    fitStart: Int64) throws {
        let now = RunEnvironment.nowMillis()
        var points = losses.map { l in
            let offset = l.elapsed.isFinite && l.elapsed >= 0 ? Int64(min(l.elapsed, 1e9) * 1000) : 0
            return Metric(key: "train_loss", value: l.loss, timestamp: fitStart + offset, step: Int64(l.step))
        }
        points += final.map { Metric(key: $0.key, value: $0.value, timestamp: now, step: 0) }
        for i in stride(from: 0, to: points.count, by: 1000) {
            try store.logBatch(runId: runId, metrics: Array(points[i ..< min(i + 1000, points.count)]), params: [], tags: [],
                               actor: actor)
        }
    }

    /// Saves the package into a temporary folder and logs it as the directory artifact `model`.
    func logPackage(_ trained: TrainedModel, source: RunSource, runId: String, into store: any ArtifactStore) throws -> [ArtifactFile] {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("mltrack-run-\(runId)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dir = tmp.appendingPathComponent("model")
        try trained.savePackage(to: dir, runId: runId, source: source)
        return try store.log(directory: dir.path, at: "model")
    }

    /// Ends a run FAILED with the error as `mltrack.error`, unless it already ended (KILLED by an
    /// interrupt). Errors while recording are ignored: the caller rethrows the original.
    func fail(runId: String, error: any Error) {
        if let run = try? store.getRun(id: runId), run.info.status.isTerminal { return }
        let message = String(String(describing: error).prefix(8000))
        _ = try? store.setTag(runId: runId, tag: RunTag(key: RunTags.error, value: message), actor: actor)
        _ = try? store.updateRun(id: runId, status: .failed, endTime: RunEnvironment.nowMillis(), runName: nil, actor: actor)
    }

    /// Ends every active run KILLED (children before their parent) with `reason` as
    /// `mltrack.error`: what an interrupt handler calls before exiting. Returns the run ids.
    @discardableResult
    public func killActiveRuns(reason: String = "interrupted (SIGINT)") -> [String] {
        let ids = active.ids.reversed().map { $0 }
        for id in ids {
            _ = try? store.setTag(runId: id, tag: RunTag(key: RunTags.error, value: reason), actor: actor)
            _ = try? store.updateRun(id: id, status: .killed, endTime: RunEnvironment.nowMillis(), runName: nil, actor: actor)
        }
        return ids
    }
}
