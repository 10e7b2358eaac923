import Foundation
import GoldTables
import Registry
import Testing
import Tracking
import Trainers
@testable import Experiments

/// A fresh SQLite tracking store in a temporary folder.
func freshStore(_ label: String) throws -> SQLiteTrackingStore {
    try SQLiteTrackingStore(path: try TestPaths.tempDir(label).appendingPathComponent("mltrack.db").path)
}

/// Collects a trainer's progress in a test.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TrainingProgress] = []
    func add(_ p: TrainingProgress) { lock.lock(); items.append(p); lock.unlock() }
    var all: [TrainingProgress] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct ExperimentRunnerTests {
    static let experiments = TestPaths.packageRoot.appendingPathComponent("Experiments").path
    static let churn = experiments + "/churn.yaml"
    static let recommendations = experiments + "/recommendations.yaml"

    @Test func churnRunRecordsEverything() async throws {
        let store = try freshStore("runner-churn")
        let runner = ExperimentRunner(store: store)
        let spec = try ExperimentSpec.load(path: Self.churn)
        let outcome = try await runner.run(spec: spec, register: false)
        #expect(outcome.registration == nil && outcome.children.isEmpty)
        let run = try store.getRun(id: outcome.runId)
        #expect(run.info.status == .finished && run.info.endTime != nil)
        #expect(try store.getExperiment(id: run.info.experimentId).name == "churn")

        // Params: every resolved param, with its value.
        let expected = try spec.resolved().params()
        #expect(run.data.params.count == expected.count)
        for p in expected { #expect(run.data.param(p.key) == p.value, "param \(p.key)") }
        #expect(run.data.param("trainer.params.l2") == "1.0")
        #expect(run.data.param("source.table") == Self.experiments + "/gold/customers")

        // Metrics: the same numbers as an independent LogisticTrainingRun on the same table.
        let seen = Collected()
        let table = try GoldTable.open(spec.tablePath).read()
        let independent = try spec.logisticTrainingRun().run(table, progress: { seen.add($0) })
        let s = try #require(independent.metrics)
        let m = outcome.metrics
        #expect(m["roc_auc"] == s.rocAUC && m["pr_auc"] == s.averagePrecision && m["log_loss"] == s.logLoss)
        #expect(m["accuracy"] == s.confusion.accuracy && m["precision"] == s.confusion.precision)
        #expect(m["recall"] == s.confusion.recall && m["f1"] == s.confusion.f1)
        #expect(run.data.metric("roc_auc")?.value == s.rocAUC)
        #expect(m["train_rows"] == Double(independent.split.train.count) && m["test_rows"] == Double(independent.split.test.count))
        #expect((m["train_roc_auc"] ?? 0) > 0.5 && (m["fit_seconds"] ?? -1) >= 0 && (m["peak_rss_mb"] ?? 0) > 1)

        // train_loss: steps 1…n with the trainer's losses.
        let history = try store.getMetricHistory(runId: outcome.runId, key: "train_loss")
        let losses = seen.all.compactMap(\.loss)
        #expect(!history.isEmpty)
        #expect(history.map(\.step) == (1 ... Int64(history.count)).map { $0 })
        #expect(history.map(\.value) == losses)

        // Tags.
        #expect(run.data.tag(RunTags.version) == MLTrackVersion.current)
        #expect(run.data.tag(RunTags.pid) == String(getpid()))
        #expect(run.data.tag(RunTags.host) == ProcessInfo.processInfo.hostName)
        #expect(run.data.tag(RunTag.userKey) != nil)
        #expect(run.data.tag(RunTag.gitCommitKey) == RunEnvironment.gitCommit(directory: Self.experiments))
        #expect(run.data.tag(RunTag.sourceNameKey) == Self.experiments)

        // Dataset input: the Delta version read, rows, schema, digest.
        let inputs = run.inputs.datasetInputs
        #expect(inputs.count == 1)
        let d = try #require(inputs.first?.dataset)
        let gold = try GoldTable.open(spec.tablePath)
        #expect(d.name == "customers" && d.sourceType == "delta_table" && d.digest.count == 16)
        #expect(RunDataset.deltaVersion(of: d) == gold.version)
        let profile = try #require(try JSONSerialization.jsonObject(with: Data((d.profile ?? "").utf8)) as? [String: Any])
        #expect(profile["num_rows"] as? Int == table.rowCount && profile["schema_fingerprint"] as? String == gold.schema.fingerprint)
        #expect(d.schema?.hasPrefix("{\"mlflow_colspec\": [") == true && d.schema?.contains("\"churned\"") == true)
        #expect(inputs.first?.tags == [InputTag(key: InputTag.contextKey, value: "training")])

        // Artifacts: package, reports, spec, each hashed.
        let artifacts = try LocalArtifactStore(root: run.info.artifactUri)
        let manifest = try artifacts.manifest()
        for path in ["model/MLmodel", "model/model.json", "model/pipeline.json", "spec.yaml", "drivers.csv", "drivers.md",
                     "plots/roc.svg", "plots/precision_recall.svg", "plots/calibration.svg", "plots/loss.svg"] {
            let f = try #require(manifest.file(path), "artifact \(path)")
            var h = GoldSHA256()
            h.update(Array(try artifacts.read(path: path)))
            #expect(f.sha256 == GoldSHA256.hex(h.finalize()), "hash of \(path)")
        }
        #expect(Set(outcome.artifacts.map(\.path)) == Set(manifest.files.map(\.path)))
        #expect(try artifacts.verify().isEmpty)
        let recorded = try ExperimentSpec(yaml: String(decoding: try artifacts.read(path: "spec.yaml"), as: UTF8.self))
        #expect(recorded.trainer == spec.trainer && recorded.features == spec.features && recorded.split == spec.split)
        let mlmodel = String(decoding: try artifacts.read(path: "model/MLmodel"), as: UTF8.self)
        #expect(mlmodel.contains(outcome.runId))
    }

    @Test func failingSpecEndsFailedWithItsError() async throws {
        let store = try freshStore("runner-fail")
        let runner = ExperimentRunner(store: store)
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: ["label=no_such_label"])
        await #expect(throws: (any Error).self) { try await runner.run(spec: spec, register: false) }
        let exp = try #require(try store.getExperimentByName("churn"))
        let runs = try store.searchRuns(experimentIds: [exp.experimentId]).items
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.info.status == .failed && run.info.endTime != nil)
        #expect(run.data.tag(RunTags.error)?.contains("no_such_label") == true)
        #expect(run.data.params.count == (try spec.resolved().params().count))
        #expect(runner.active.ids.isEmpty)
    }

    @Test func sweepMakesParentChildrenAndMarksTheBest() async throws {
        let store = try freshStore("runner-sweep")
        let runner = ExperimentRunner(store: store)
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: [
            "sweep.trainer.params.l2=[0.1, 100]", "sweep.split.test_fraction=[0.2, 0.3]",
        ])
        let outcome = try await runner.run(spec: spec, register: false)
        #expect(outcome.children.map(\.runName) == [
            "l2=0.1,test_fraction=0.2", "l2=0.1,test_fraction=0.3", "l2=100,test_fraction=0.2", "l2=100,test_fraction=0.3",
        ])
        let parent = try store.getRun(id: outcome.runId)
        #expect(parent.info.status == .finished && parent.parentRunId == nil)
        var best: (id: String, auc: Double)?
        for child in outcome.children {
            let run = try store.getRun(id: child.runId)
            #expect(run.info.status == .finished)
            #expect(run.parentRunId == outcome.runId)
            #expect(run.data.tag(RunTags.sweepPoint) == child.runName)
            let auc = try #require(run.data.metric("roc_auc")?.value)
            if best == nil || auc > best?.auc ?? 0 { best = (child.runId, auc) }
        }
        #expect(parent.data.tag(RunTags.bestChild) == best?.id && outcome.bestChildRunId == best?.id)
        #expect(parent.data.metric("roc_auc")?.value == best?.auc)
        // The parent has the params all points share and the sweep axes, not a swept value.
        #expect(parent.data.param("trainer.params.l2") == nil && parent.data.param("split.test_fraction") == nil)
        #expect(parent.data.param("trainer.params.max_iterations") == "100")
        #expect(parent.data.param("sweep.trainer.params.l2") != nil)
        #expect(try store.getRun(id: outcome.children[2].runId).data.param("trainer.params.l2") == "100.0")
        #expect(try LocalArtifactStore(root: parent.info.artifactUri).manifest().file("spec.yaml") != nil)
    }

    @Test func churnRegistersAndPromotesThenRefusesAnEqualModel() async throws {
        let store = try freshStore("runner-register-churn")
        let registry = InMemoryRegistryStore()
        let runner = ExperimentRunner(store: store, registry: registry)
        let spec = try ExperimentSpec.load(path: Self.churn)
        let first = try await runner.run(spec: spec)
        let r1 = try #require(first.registration)
        #expect(r1.model == "churn" && r1.version == 1 && r1.source == first.artifactUri + "/model" && r1.runId == first.runId)
        let d1 = try #require(r1.decision)
        #expect(d1.applied && d1.passed && d1.gates.count == 3)
        #expect(try await registry.aliasHolder(name: "churn", alias: "champion") == 1)
        #expect(try await registry.modelVersion(name: "churn", version: 1).runId == first.runId)
        #expect(try store.getRun(id: first.runId).data.tag(RunTags.registeredVersion) == "churn/1")

        // The same spec again: an identical model cannot beat the champion by 0.002.
        let second = try await runner.run(spec: spec)
        let d2 = try #require(second.registration?.decision)
        #expect(second.registration?.version == 2)
        #expect(!d2.applied && !d2.passed)
        #expect(try await registry.aliasHolder(name: "churn", alias: "champion") == 1)
        let beat = try #require(d2.gates.first { $0.kind == .beatHolder })
        // Both scored on the candidate's rebuilt test split: equal to the logged test AUC.
        let logged = try #require(second.metrics["roc_auc"])
        #expect(abs((beat.candidate ?? .nan) - logged) <= 1e-12 && abs((beat.holder ?? .nan) - logged) <= 1e-12)
        #expect(beat.holderVersion == 1)
        #expect(await registry.promotionDecisions(name: "churn").count == 2)
    }

    /// A policy named by absolute path, an older Delta version and a time split: the gate context
    /// rebuilds that split at that version, and an equal model passes a `by: 0` gate.
    @Test func ownPolicyOnATimeSplitOfAnOlderVersion() async throws {
        let dir = try TestPaths.tempDir("runner-policies")
        try Data("""
            model: churn
            aliases:
              champion:
                - metric: roc_auc
                  min: 0.5
                - beat_holder: {metric: log_loss, by: 0, mode: min}
            """.utf8).write(to: dir.appendingPathComponent("churn.yaml"))
        let store = try freshStore("runner-policy-dir")
        let registry = InMemoryRegistryStore()
        let runner = ExperimentRunner(store: store, registry: registry)
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: [
            "register.policy=\(dir.path)/churn.yaml", "source.version=0", "split={type: time, column: signup_date, cutoff: 2024-01-01}",
        ])
        let first = try await runner.run(spec: spec)
        #expect(first.registration?.decision?.applied == true)
        #expect(RunDataset.deltaVersion(of: try #require(first.dataset)) == 0)
        let second = try await runner.run(spec: spec)
        let d = try #require(second.registration?.decision)
        #expect(d.applied && d.previousHolder == 1 && d.policySource?.hasPrefix(dir.path) == true)
        let beat = try #require(d.gates.first { $0.kind == .beatHolder })
        let logged = try #require(second.metrics["log_loss"])
        #expect(abs((beat.candidate ?? .nan) - logged) <= 1e-12 && abs((beat.holder ?? .nan) - logged) <= 1e-12)
        #expect(try await registry.aliasHolder(name: "churn", alias: "champion") == 2)
    }

    @Test func aFailedPromotionLeavesTheRunFinishedAndNamesIt() async throws {
        let store = try freshStore("runner-register-fail")
        let runner = ExperimentRunner(store: store, registry: InMemoryRegistryStore())
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: ["register.policy=/nonexistent/churn.yaml"])
        do {
            _ = try await runner.run(spec: spec)
            Issue.record("expected the missing policy to fail the promotion")
        } catch let e as ExperimentError {
            #expect(e.field == "register" && e.message.contains("FINISHED") && e.message.contains("/nonexistent/churn.yaml"))
            let exp = try #require(try store.getExperimentByName("churn"))
            let run = try #require(try store.searchRuns(experimentIds: [exp.experimentId]).items.first)
            #expect(e.message.contains(run.info.runId) && run.info.status == .finished)
            #expect(run.data.tag(RunTags.registeredVersion) == "churn/1")
        }
    }

    @Test func recommenderRegistersAndPromotes() async throws {
        let store = try freshStore("runner-register-als")
        let registry = InMemoryRegistryStore()
        let runner = ExperimentRunner(store: store, registry: registry)
        let spec = try ExperimentSpec.load(path: Self.recommendations)
        let first = try await runner.run(spec: spec)
        let d1 = try #require(first.registration?.decision)
        #expect(d1.applied && first.registration?.model == "recommender")
        #expect((first.metrics["precision_at_k"] ?? 0) > 0.08 && first.metrics["baseline_precision_at_k"] != nil)
        #expect(try await registry.aliasHolder(name: "recommender", alias: "champion") == 1)
        let history = try store.getMetricHistory(runId: first.runId, key: "train_loss")
        #expect(history.map(\.step) == Array(1 ... 10))

        // A fresh context scores the registered package on the run's rebuilt held-out split:
        // the logged ranking metrics, exactly.
        let context = RunGateContext(tracking: store)
        let v1 = try await registry.modelVersion(name: "recommender", version: 1)
        let scored = try await context.score(version: v1, onTestSplitOf: v1)
        for key in ["precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "coverage"] {
            #expect(abs((scored[key] ?? .nan) - (first.metrics[key] ?? .infinity)) <= 1e-12, "\(key)")
        }
        #expect(try await context.candidateMetrics(v1)["ndcg_at_k"] == first.metrics["ndcg_at_k"])
    }

    @Test func reproduceMatchesTheRecordedRun() async throws {
        let store = try freshStore("runner-reproduce")
        let runner = ExperimentRunner(store: store)
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: ["trainer.params.l2=0.5"])
        let original = try await runner.run(spec: spec, register: false)
        let report = try await runner.reproduce(runId: original.runId)
        #expect(report.matches && report.datasetMatches && report.newDigest == original.dataset?.digest)
        #expect(report.comparisons.contains { $0.key == "roc_auc" } && !report.comparisons.contains { $0.key == "fit_seconds" })
        #expect(report.comparisons.count == original.metrics.count - 2 && original.metrics["train_loss"] != nil)
        let rerun = try store.getRun(id: report.newRunId)
        #expect(rerun.info.status == .finished && rerun.data.tag(RunTags.reproduces) == original.runId)
        #expect(rerun.data.param("trainer.params.l2") == "0.5")
        #expect(RunDataset.deltaVersion(of: try #require(rerun.inputs.datasetInputs.first?.dataset))
                == RunDataset.deltaVersion(of: try #require(original.dataset)))
        #expect(ReproduceReport.agree(1.0, 1.0 + 1e-12) && !ReproduceReport.agree(1.0, 1.0 + 1e-8) && !ReproduceReport.agree(1.0, nil))
    }

    @Test func sweepWithAFailingChildFailsTheParent() async throws {
        let store = try freshStore("runner-sweep-fail")
        let runner = ExperimentRunner(store: store)
        let spec = try ExperimentSpec.load(path: Self.churn, overrides: ["sweep.label=[churned, no_such_label]"])
        await #expect(throws: (any Error).self) { try await runner.run(spec: spec, register: false) }
        let exp = try #require(try store.getExperimentByName("churn"))
        let runs = try store.searchRuns(experimentIds: [exp.experimentId]).items
        #expect(runs.count == 3)
        let parent = try #require(runs.first { $0.parentRunId == nil })
        #expect(parent.info.status == .failed && parent.data.tag(RunTags.error)?.contains("no_such_label") == true)
        let children = runs.filter { $0.parentRunId == parent.info.runId }
        #expect(Set(children.map(\.info.status)) == [.finished, .failed])
        #expect(runner.active.ids.isEmpty)
    }

    @Test func garbageCollectionFailsRunsOfDeadProcessesOnThisHost() throws {
        let store = try freshStore("runner-gc")
        let exp = try store.createExperiment(name: "gc")
        func running(pid: String, host: String) throws -> String {
            try store.createRun(experimentId: exp, tags: [RunTag(key: RunTags.pid, value: pid), RunTag(key: RunTags.host, value: host)])
                .info.runId
        }
        let dead = try running(pid: "999001", host: "here")
        let alive = try running(pid: "4242", host: "here")
        let elsewhere = try running(pid: "999001", host: "there")
        let foreign = try store.createRun(experimentId: exp).info.runId
        let finished = try running(pid: "999001", host: "here")
        try store.updateRun(id: finished, status: .finished, endTime: 1)
        let marked = try ExperimentRunner.collectGarbage(store: store, host: "here", isAlive: { $0 == 4242 })
        #expect(marked == [dead])
        let d = try store.getRun(id: dead)
        #expect(d.info.status == .failed && d.data.tag(RunTags.error)?.contains("process 999001 on here") == true)
        for id in [alive, elsewhere, foreign] { #expect(try store.getRun(id: id).info.status == .running) }
        #expect(try store.getRun(id: finished).info.status == .finished)
        #expect(try ExperimentRunner.collectGarbage(store: store, host: "here", isAlive: { $0 == 4242 }).isEmpty)
    }

    @Test func killActiveRunsEndsThemKilled() throws {
        let store = try freshStore("runner-kill")
        let runner = ExperimentRunner(store: store)
        let exp = try runner.experiment(named: "kill")
        #expect(try runner.experiment(named: "kill") == exp)
        let a = try store.createRun(experimentId: exp).info.runId, b = try store.createRun(experimentId: exp).info.runId
        runner.active.insert(a)
        runner.active.insert(b)
        #expect(runner.killActiveRuns(reason: "interrupted (SIGINT)") == [b, a])
        for id in [a, b] {
            let run = try store.getRun(id: id)
            #expect(run.info.status == .killed && run.data.tag(RunTags.error) == "interrupted (SIGINT)")
        }
        // A KILLED run is not turned FAILED afterwards.
        runner.fail(runId: a, error: ExperimentError(field: "x", "late"))
        #expect(try store.getRun(id: a).info.status == .killed)
    }

    @Test func twoParallelCLIRunsBothFinish() throws {
        guard let binary = MLTrackCLI.binary else { return }
        let db = try TestPaths.tempDir("runner-parallel").appendingPathComponent("m.db").path
        let processes = (0 ..< 2).map { i -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["run", Self.churn, "--tracking-uri", db, "--quiet", "--no-register", "--run-name", "parallel-\(i)"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let store = try SQLiteTrackingStore(path: db)
        let exp = try #require(try store.getExperimentByName("churn"))
        let runs = try store.searchRuns(experimentIds: [exp.experimentId]).items
        #expect(Set(runs.map(\.info.runName)) == ["parallel-0", "parallel-1"])
        for run in runs {
            #expect(run.info.status == .finished && run.data.metric("roc_auc") != nil)
            #expect(try store.getMetricHistory(runId: run.info.runId, key: "train_loss").count >= 1)
        }
    }

    @Test func cliRunPrintsTheOutcomeAsJSON() throws {
        guard MLTrackCLI.binary != nil else { return }
        let db = try TestPaths.tempDir("runner-cli").appendingPathComponent("m.db").path
        let r = try MLTrackCLI.run(["run", Self.churn, "--tracking-uri", db, "--set", "trainer.params.l2=2", "--json", "--quiet",
                                    "--experiment", "churn-cli", "--run-name", "cli-run"])
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "FINISHED")
        let registration = try #require(object["registration"] as? [String: Any])
        #expect(registration["model"] as? String == "churn" && registration["version"] as? Int == 1)
        let store = try SQLiteTrackingStore(path: db)
        let run = try store.getRun(id: try #require(object["run_id"] as? String))
        #expect(run.data.param("trainer.params.l2") == "2.0" && run.info.status == .finished && run.info.runName == "cli-run")
        #expect(try store.getExperiment(id: run.info.experimentId).name == "churn-cli")
        #expect(run.data.tag(RunTag.sourceNameKey) == Self.churn)
        let bad = try MLTrackCLI.run(["run", Self.churn, "--tracking-uri", db, "--set", "label=nope", "--quiet", "--no-register"])
        #expect(bad.status != 0 && bad.err.contains("nope"))
    }
}

@Suite struct ExperimentRunnerInterruptTests {
    /// `mltrack run` interrupted with SIGINT (Ctrl-C) or SIGTERM during training: the run ends
    /// KILLED with the reason, and the command exits 128 + the signal number.
    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
    func interruptEndsTheRunKilled(_ signal: Int32, _ name: String) throws {
        guard let binary = MLTrackCLI.binary else { return }
        let dir = try TestPaths.tempDir("runner-\(name)")
        let db = dir.appendingPathComponent("m.db").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["run", ExperimentRunnerTests.recommendations, "--tracking-uri", db, "--no-register", "--quiet",
                       "--set", "trainer.params.iterations=100000", "--set", "trainer.params.factors=64"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait (up to 20 s) until the run is RUNNING with its params logged, then interrupt.
        var runId: String?
        for _ in 0 ..< 400 where runId == nil {
            Thread.sleep(forTimeInterval: 0.05)
            guard FileManager.default.fileExists(atPath: db), let store = try? SQLiteTrackingStore(path: db),
                  let exp = try? store.getExperimentByName("recommendations"),
                  let run = try? store.searchRuns(experimentIds: [exp.experimentId]).items.first,
                  run.info.status == .running, !run.inputs.datasetInputs.isEmpty else { continue }
            runId = run.info.runId
        }
        let id = try #require(runId)
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 128 + signal)
        let run = try SQLiteTrackingStore(path: db).getRun(id: id)
        #expect(run.info.status == .killed && run.info.endTime != nil)
        #expect(run.data.tag(RunTags.error) == "interrupted (\(name))")
    }
}
