import Foundation
import GRDB
import Testing
@testable import Tracking

/// The SQLite store's MLflow 3 logged models: lifecycle, tags, params, metrics, run edges, search
/// (filter, datasets, order, page tokens), and the schema step that adds them to a v1 file.
@Suite struct LoggedModelStoreTests {
    /// A store with experiment "1" (artifact root `mlflow-artifacts:`) and a run in it.
    static func fixture() throws -> (SQLiteTrackingStore, String) {
        let dir = try TestPaths.tempDir("tracking-lm")
        let clock = TickingClock()
        let s = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path, artifactRoot: "mlflow-artifacts:",
                                        actor: "tester", clock: { clock.now() })
        let exp = try s.createExperiment(name: "lm")
        let run = try s.createRun(experimentId: exp, runName: "train").info.runId
        return (s, run)
    }

    @Test func createGetFinalizeDelete() throws {
        let (s, run) = try Self.fixture()
        let m = try s.createLoggedModel(experimentId: "1", name: "model", modelType: "sklearn", sourceRunId: run,
                                        params: [LoggedModelParameter(key: "C", value: "1.0")],
                                        tags: [LoggedModelTag(key: "mlflow.user", value: "ann"), LoggedModelTag(key: "b", value: "2")])
        #expect(LoggedModel.isModelId(m.modelId))
        #expect(m.experimentId == "1" && m.name == "model" && m.modelType == "sklearn" && m.sourceRunId == run)
        #expect(m.artifactUri == "mlflow-artifacts:/1/models/\(m.modelId)/artifacts")
        #expect(m.status == .pending && m.lifecycleStage == .active && m.statusMessage == nil)
        #expect(m.creationTimestamp == m.lastUpdatedTimestamp)
        #expect(m.tags.map(\.key) == ["b", "mlflow.user"])
        #expect(m.params == [LoggedModelParameter(key: "C", value: "1.0")])
        #expect(try s.getLoggedModel(id: m.modelId) == m)
        #expect(try s.loggedModelArtifactURI(modelId: m.modelId) == m.artifactUri)
        #expect(try s.downloadURI(forModelVersionSource: "models:/\(m.modelId)") == m.artifactUri)
        #expect(try s.downloadURI(forModelVersionSource: "mlflow-artifacts:/1/\(run)/artifacts/model") == "mlflow-artifacts:/1/\(run)/artifacts/model")
        expectCode(.resourceDoesNotExist) { _ = try s.downloadURI(forModelVersionSource: "models:/m-" + String(repeating: "0", count: 32)) }

        let ready = try s.finalizeLoggedModel(id: m.modelId, status: .ready)
        #expect(ready.status == .ready && ready.lastUpdatedTimestamp > m.lastUpdatedTimestamp)

        // Defaults: a generated name, "" model type and source run.
        let bare = try s.createLoggedModel(experimentId: "1", name: "")
        #expect(bare.name.split(separator: "-").count == 3 && bare.modelType == "" && bare.sourceRunId == "")

        try s.deleteLoggedModel(id: m.modelId)
        try s.deleteLoggedModel(id: m.modelId)   // again: a no-op
        expectCode(.resourceDoesNotExist) { _ = try s.getLoggedModel(id: m.modelId) }
        expectCode(.resourceDoesNotExist) { _ = try s.loggedModelArtifactURI(modelId: m.modelId) }
        let deleted = try s.getLoggedModel(id: m.modelId, allowDeleted: true)
        #expect(deleted.lifecycleStage == .deleted && deleted.status == .ready)
        // As MLflow: a deleted model can still be finalized and tagged.
        #expect(try s.finalizeLoggedModel(id: m.modelId, status: .uploadFailed).status == .uploadFailed)

        let events = try s.audit(after: nil, limit: 100).filter { $0.entityKind == .loggedModel && $0.entityId == m.modelId }
        #expect(events.map(\.action) == [.create, .finalize, .delete, .delete, .finalize])
        #expect(events.allSatisfy { $0.actor == "tester" })
    }

    @Test func creationErrors() throws {
        let (s, _) = try Self.fixture()
        expectCode(.resourceDoesNotExist) { _ = try s.createLoggedModel(experimentId: "77") }
        expectCode(.invalidParameterValue) { _ = try s.createLoggedModel(experimentId: "x") }
        for bad in ["a.b", "a/b", "a:b", "50%", "it's", "say \"hi\""] {
            expectCode(.invalidParameterValue) { _ = try s.createLoggedModel(experimentId: "1", name: bad) }
        }
        expectCode(.invalidParameterValue) { _ = try s.createLoggedModel(experimentId: "1", tags: [LoggedModelTag(key: "", value: "v")]) }
        try s.deleteExperiment(id: "1")
        expectCode(.invalidParameterValue) { _ = try s.createLoggedModel(experimentId: "1") }
        expectCode(.resourceDoesNotExist) { _ = try s.getLoggedModel(id: "m-0000") }
        expectCode(.resourceDoesNotExist) { try s.finalizeLoggedModel(id: "m-0000", status: .ready) }
        expectCode(.resourceDoesNotExist) { try s.deleteLoggedModel(id: "m-0000") }
        expectCode(.resourceDoesNotExist) { try s.setLoggedModelTags(id: "m-0000", tags: []) }
        expectCode(.resourceDoesNotExist) { try s.logLoggedModelParams(id: "m-0000", params: []) }
    }

    @Test func tagsAndParams() throws {
        let (s, _) = try Self.fixture()
        let id = try s.createLoggedModel(experimentId: "1", name: "m", params: [LoggedModelParameter(key: "a", value: "1")]).modelId
        try s.setLoggedModelTags(id: id, tags: [LoggedModelTag(key: "t", value: "x"), LoggedModelTag(key: "u", value: "1"), LoggedModelTag(key: "t", value: "y")])
        #expect(try s.getLoggedModel(id: id).tags == [LoggedModelTag(key: "t", value: "y"), LoggedModelTag(key: "u", value: "1")])
        try s.deleteLoggedModelTag(id: id, key: "u")
        expectCode(.resourceDoesNotExist) { try s.deleteLoggedModelTag(id: id, key: "u") }
        #expect(try s.getLoggedModel(id: id).tags == [LoggedModelTag(key: "t", value: "y")])

        try s.logLoggedModelParams(id: id, params: [LoggedModelParameter(key: "a", value: "1"), LoggedModelParameter(key: "b", value: "2")])
        expectCode(.invalidParameterValue) { try s.logLoggedModelParams(id: id, params: [LoggedModelParameter(key: "a", value: "9")]) }
        #expect(try s.getLoggedModel(id: id).params.map(\.value) == ["1", "2"])
        // Tags and params do not move last_updated_timestamp (as MLflow).
        let m = try s.getLoggedModel(id: id)
        #expect(m.lastUpdatedTimestamp == m.creationTimestamp)
    }

    @Test func metricsOutputsAndInputs() throws {
        let (s, run) = try Self.fixture()
        let id = try s.createLoggedModel(experimentId: "1", name: "m", sourceRunId: run).modelId
        try s.logOutputs(runId: run, models: [LoggedModelOutput(modelId: id, step: 0)])
        try s.logOutputs(runId: run, models: [LoggedModelOutput(modelId: id, step: 5), LoggedModelOutput(modelId: "m-any", step: 2)])
        try s.logModelInputs(runId: run, models: [LoggedModelInput(modelId: id), LoggedModelInput(modelId: id)])
        let got = try s.getRun(id: run)
        #expect(got.outputs.modelOutputs == [LoggedModelOutput(modelId: id, step: 0), LoggedModelOutput(modelId: "m-any", step: 2)].sorted { $0.modelId < $1.modelId })
        #expect(got.inputs.modelInputs == [LoggedModelInput(modelId: id)])
        // runs/search fills outputs but, as MLflow 3.17, not model inputs.
        let searched = try s.searchRuns(experimentIds: ["1"]).items[0]
        #expect(searched.outputs == got.outputs && searched.inputs.modelInputs.isEmpty)

        let points = [
            LoggedModelMetric(modelId: id, metric: Metric(key: "acc", value: 0.5, timestamp: 5, step: 1), datasetName: "eval", datasetDigest: "d1"),
            LoggedModelMetric(modelId: id, metric: Metric(key: "acc", value: 0.7, timestamp: 6, step: 2)),
        ]
        try s.logLoggedModelMetrics(runId: run, metrics: points)
        try s.logLoggedModelMetrics(runId: run, metrics: [points[1]])   // replay: stored once
        let metrics = try s.getLoggedModel(id: id).metrics
        #expect(metrics.map(\.metric.value) == [0.5, 0.7])
        #expect(metrics.allSatisfy { $0.runId == run && $0.modelId == id })
        #expect(metrics[0].datasetName == "eval" && metrics[0].datasetDigest == "d1" && metrics[1].datasetName == nil)
        expectCode(.resourceDoesNotExist) {
            try s.logLoggedModelMetrics(runId: run, metrics: [LoggedModelMetric(modelId: "m-unknown", metric: Metric(key: "a", value: 1, timestamp: 1))])
        }
        expectCode(.resourceDoesNotExist) { try s.logOutputs(runId: String(repeating: "0", count: 32), models: [LoggedModelOutput(modelId: id)]) }
        try s.deleteRun(id: run)
        expectCode(.invalidParameterValue) { try s.logOutputs(runId: run, models: [LoggedModelOutput(modelId: id)]) }
        expectCode(.invalidParameterValue) { try s.logModelInputs(runId: run, models: [LoggedModelInput(modelId: id)]) }
    }

    /// Three models: a (acc 0.9 on eval, 0.5 later), b (acc 0.6), c (no metrics), created in that order.
    static func searchFixture() throws -> (SQLiteTrackingStore, [String: String]) {
        let (s, run) = try fixture()
        var ids: [String: String] = [:]
        for (name, type) in [("a", "sk"), ("b", "xgb"), ("c", "sk")] {
            ids[name] = try s.createLoggedModel(experimentId: "1", name: name, modelType: type, sourceRunId: run,
                                                params: [LoggedModelParameter(key: "lr", value: name == "a" ? "0.01" : "0.1")],
                                                tags: [LoggedModelTag(key: "team", value: name == "b" ? "Growth" : "core")]).modelId
        }
        try s.finalizeLoggedModel(id: ids["a"] ?? "", status: .ready)
        try s.logLoggedModelMetrics(runId: run, metrics: [
            LoggedModelMetric(modelId: ids["a"] ?? "", metric: Metric(key: "acc", value: 0.9, timestamp: 1), datasetName: "eval", datasetDigest: "e1"),
            LoggedModelMetric(modelId: ids["a"] ?? "", metric: Metric(key: "acc", value: 0.5, timestamp: 2)),
            LoggedModelMetric(modelId: ids["b"] ?? "", metric: Metric(key: "acc", value: 0.6, timestamp: 1)),
        ])
        return (s, ids)
    }

    static func names(_ s: SQLiteTrackingStore, filter: String? = nil, datasets: [LoggedModelDatasetFilter] = [],
                      orderBy: [LoggedModelOrderBy] = []) throws -> [String] {
        try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["1"], filter: filter, datasets: datasets, orderBy: orderBy)).items.map(\.name)
    }

    @Test func searchFilters() throws {
        let (s, ids) = try Self.searchFixture()
        #expect(try Self.names(s) == ["c", "b", "a"])   // creation_timestamp DESC
        let cases: [(String, [String])] = [
            ("name = 'a'", ["a"]), ("name != 'a'", ["c", "b"]), ("name LIKE 'A%'", []), ("name ILIKE 'A%'", ["a"]),
            ("name IN ('a', 'b')", ["b", "a"]), ("name NOT IN ('a', 'b')", ["c"]), ("attributes.name = 'b'", ["b"]),
            ("model_type = 'sk'", ["c", "a"]), ("status = 'LOGGED_MODEL_READY'", ["a"]), ("status = 2", ["a"]),
            ("status != 'LOGGED_MODEL_READY'", ["c", "b"]), ("status IN ('1')", ["c", "b"]),
            ("model_id = '\(ids["b"] ?? "")'", ["b"]), ("experiment_id = 1", ["c", "b", "a"]),
            ("creation_timestamp > 0", ["c", "b", "a"]), ("creation_time < 0", []), ("last_updated_timestamp >= 0", ["c", "b", "a"]),
            ("metrics.acc > 0.8", ["a"]), ("metrics.acc < 0.55", ["a"]), ("metrics.acc >= 0.6", ["b", "a"]), ("metrics.loss > 0", []),
            ("params.lr = '0.1'", ["c", "b"]), ("params.lr = 0.01", ["a"]), ("params.lr IN ('0.01')", ["a"]), ("params.nope != 'x'", []),
            ("tags.team ILIKE 'growth'", ["b"]), ("tags.team LIKE 'growth'", []), ("tags.`team` = 'core' AND model_type = 'sk'", ["c", "a"]),
            ("source_run_id LIKE '%'", ["c", "b", "a"]),
        ]
        for (filter, expected) in cases {
            #expect(try Self.names(s, filter: filter) == expected, "\(filter)")
        }
        for bad in ["tag.team = 'x'", "metric.acc > 0", "name = 'a' OR name = 'b'", "tags.team IS NULL", "bogus = 'x'",
                    "name > 'a'", "metrics.acc LIKE 'x'", "metrics.acc > '0.1'", "creation_timestamp = 'abc'"] {
            expectCode(.invalidParameterValue) { _ = try Self.names(s, filter: bad) }
        }
    }

    @Test func searchDatasetsOrderAndPages() throws {
        let (s, ids) = try Self.searchFixture()
        #expect(try Self.names(s, datasets: [LoggedModelDatasetFilter(datasetName: "eval")]) == ["a"])
        #expect(try Self.names(s, datasets: [LoggedModelDatasetFilter(datasetName: "eval", datasetDigest: "zz")]) == [])
        // A metric clause with datasets only looks at points on those datasets.
        #expect(try Self.names(s, filter: "metrics.acc < 0.7", datasets: [LoggedModelDatasetFilter(datasetName: "eval")]) == [])
        #expect(try Self.names(s, filter: "metrics.acc > 0.7", datasets: [LoggedModelDatasetFilter(datasetName: "eval")]) == ["a"])
        expectCode(.invalidParameterValue) { _ = try LoggedModelQuery(experimentIds: ["1"], datasets: [LoggedModelDatasetFilter(datasetName: "")]) }

        // Latest point by timestamp: a = 0.5, b = 0.6; c has none and sorts last both ways.
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "metrics.acc", ascending: false)]) == ["b", "a", "c"])
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "metrics.acc")]) == ["a", "b", "c"])
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "metrics.acc", datasetName: "eval")]) == ["a", "c", "b"])
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "name", ascending: false)]) == ["c", "b", "a"])
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "creation_time")]) == ["a", "b", "c"])
        #expect(try Self.names(s, orderBy: [LoggedModelOrderBy(fieldName: "model_type"), LoggedModelOrderBy(fieldName: "name")]) == ["a", "c", "b"])
        for bad in ["params.lr", "bogus", "", "attributes.name"] {
            expectCode(.invalidParameterValue) { _ = try LoggedModelQuery(experimentIds: ["1"], orderBy: [LoggedModelOrderBy(fieldName: bad)]) }
        }

        // Pages of one, with MLflow's token format; a token only continues its own search.
        let q1 = try LoggedModelQuery(experimentIds: ["1"], filter: "name != 'zz'", maxResults: 2)
        let p1 = try s.searchLoggedModels(q1)
        #expect(p1.items.map(\.name) == ["c", "b"])
        let token = try #require(p1.nextPageToken)
        #expect(String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
                == #"{"experiment_ids": ["1"], "filter_string": "name != 'zz'", "order_by": null, "offset": 2}"#)
        let p2 = try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["1"], filter: "name != 'zz'", maxResults: 2, pageToken: token))
        #expect(p2.items.map(\.name) == ["a"] && p2.nextPageToken == nil)
        expectCode(.invalidParameterValue) { _ = try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["1"], maxResults: 2, pageToken: token)) }
        expectCode(.invalidParameterValue) { _ = try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["1"], pageToken: "garbage")) }
        let ordered = LoggedModelPageToken(query: try LoggedModelQuery(experimentIds: ["1", "0"], orderBy: [LoggedModelOrderBy(fieldName: "name", ascending: false)]), offset: 2)
        #expect(String(decoding: try #require(Data(base64Encoded: ordered.encoded)), as: UTF8.self)
                == #"{"experiment_ids": ["1", "0"], "filter_string": null, "order_by": [{"field_name": "name", "ascending": false, "dataset_name": null, "dataset_digest": null}], "offset": 2}"#)

        // Deleted models, other and unknown experiments, an empty list.
        try s.deleteLoggedModel(id: ids["c"] ?? "")
        #expect(try Self.names(s) == ["b", "a"])
        #expect(try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["0", "77"])).items.isEmpty)
        #expect(try s.searchLoggedModels(try LoggedModelQuery(experimentIds: [])).items.isEmpty)
        expectCode(.invalidParameterValue) { _ = try s.searchLoggedModels(try LoggedModelQuery(experimentIds: ["x"])) }
    }

    @Test func modelURIs() {
        let id = "m-" + String(repeating: "ab", count: 16)
        #expect(LoggedModel.modelId(fromURI: "models:/\(id)") == id)
        #expect(LoggedModel.modelId(fromURI: "models:/\(id)/") == id)
        #expect(LoggedModel.modelId(fromURI: "models:/churn/3") == nil)
        #expect(LoggedModel.modelId(fromURI: "models:/m-short") == nil)
        #expect(LoggedModel.modelId(fromURI: "runs:/\(id)") == nil)
        #expect(LoggedModelStatus(wireValue: "2") == .ready && LoggedModelStatus(wireValue: "logged_model_pending") == .pending)
        #expect(LoggedModelStatus(wireValue: "READY") == nil)
    }

    /// A file written before logged models existed (only `tracking.v1.initial`, plus a registry
    /// step) opens, gets the new step, keeps its data and can hold logged models.
    @Test func migratesAVersionOneFile() throws {
        let dir = try TestPaths.tempDir("tracking-v1")
        let path = dir.appendingPathComponent("mltrack.db").path
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            let v1 = try #require(TrackingSchema.steps.first)
            #expect(v1.name == "tracking.v1.initial")
            migrator.registerMigration(v1.name, migrate: v1.migrate)
            migrator.registerMigration("registry.v1.initial") { db in try db.execute(sql: "CREATE TABLE registry_probe (x INTEGER)") }
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1, 1), (1, 'old', 'mlflow-artifacts:/1', 'active', 1, 1);
                    INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, artifact_uri, lifecycle_stage)
                    VALUES ('0123456789abcdef0123456789abcdef', 1, 'r', 'u', 'FINISHED', 5, 'mlflow-artifacts:/1/0123456789abcdef0123456789abcdef/artifacts', 'active');
                    """)
            }
        }
        let s = try SQLiteTrackingStore(path: path)
        let v = try s.schemaVersion()
        #expect(v.applied == ["tracking.v1.initial", "registry.v1.initial", "tracking.v2.logged_models"])
        #expect(v.isUpToDate && v.current == "tracking.v2.logged_models")
        let run = try s.getRun(id: "0123456789abcdef0123456789abcdef")
        #expect(run.info.runName == "r" && run.outputs.modelOutputs.isEmpty)
        let m = try s.createLoggedModel(experimentId: "1", name: "after", sourceRunId: run.info.runId)
        #expect(m.artifactUri == "mlflow-artifacts:/1/models/\(m.modelId)/artifacts")
        try s.logOutputs(runId: run.info.runId, models: [LoggedModelOutput(modelId: m.modelId, step: 0)])
        #expect(try s.getRun(id: run.info.runId).outputs.modelOutputs.map(\.modelId) == [m.modelId])
        // Reopening applies nothing more.
        #expect(try SQLiteTrackingStore(path: path).schemaVersion().applied == v.applied)
    }
}
