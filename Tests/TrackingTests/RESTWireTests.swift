import Foundation
import Testing
@testable import Tracking

/// A transport answering from a script and recording what was sent.
final class ScriptedTransport: RESTTransport, @unchecked Sendable {
    enum Answer { case status(Int, String), down }
    private let lock = NSLock()
    private var answers: [Answer]
    private(set) var sent: [RESTRequest] = []

    init(_ answers: [Answer]) { self.answers = answers }

    func send(_ request: RESTRequest) throws -> RESTResponse {
        lock.lock()
        defer { lock.unlock() }
        sent.append(request)
        let a = answers.isEmpty ? .status(200, "{}") : answers.removeFirst()
        switch a {
        case let .status(code, body): return RESTResponse(status: code, body: Data(body.utf8))
        case .down: throw RESTConnectionError(message: "connection refused")
        }
    }

    var bodies: [[String: Any]] {
        sent.map { r in (r.body.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:] }
    }
}

/// Records the waits instead of sleeping.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    func add(_ w: Double) { lock.lock(); waits.append(w); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return waits }
}

func scriptedStore(_ answers: [ScriptedTransport.Answer], retry: RESTRetryPolicy = RESTRetryPolicy(maxRetries: 0),
                   credentials: RESTCredentials = .none, sleeps: SleepLog = SleepLog()) throws -> (RESTTrackingStore, ScriptedTransport) {
    let t = ScriptedTransport(answers)
    let client = try RESTClient(baseURL: "http://tracking.test:5000/prefix/", transport: t, retry: retry, credentials: credentials,
                                sleep: { sleeps.add($0) }, random: { 0.5 })
    return (RESTTrackingStore(client: client, clock: { 1234 }), t)
}

/// Request encoding and response decoding against MLflow's shapes (mlflow-compat.md §0–1, the
/// captured bodies), with a scripted transport: no network.
@Suite struct RESTWireTests {
    /// The `runs/create` answer captured from mlflow 3.17.2 (reference §1.1).
    static let capturedRun = #"""
    {"run": {"info": {"run_uuid": "9e12aa00000000000000000000004e7a", "run_id": "9e12aa00000000000000000000004e7a", "experiment_id": "1",
      "run_name": "baseline", "user_id": "root", "status": "RUNNING", "start_time": 1795275023608,
      "artifact_uri": "mlflow-artifacts:/1/9e12aa00000000000000000000004e7a/artifacts", "lifecycle_stage": "active"},
      "data": {"tags": [{"key": "mlflow.user", "value": "root"}, {"key": "mlflow.runName", "value": "baseline"}]},
      "inputs": {}, "outputs": {}}}
    """#

    @Test func decodesTheCapturedRun() throws {
        let (s, t) = try scriptedStore([.status(200, Self.capturedRun)])
        let run = try s.getRun(id: "9e12aa00000000000000000000004e7a")
        #expect(run.info == RunInfo(runId: "9e12aa00000000000000000000004e7a", runName: "baseline", experimentId: "1", userId: "root",
                                    status: .running, startTime: 1_795_275_023_608, endTime: nil,
                                    artifactUri: "mlflow-artifacts:/1/9e12aa00000000000000000000004e7a/artifacts", lifecycleStage: .active))
        #expect(run.data.tags == [RunTag(key: "mlflow.runName", value: "baseline"), RunTag(key: "mlflow.user", value: "root")])
        #expect(run.data.metrics.isEmpty && run.inputs.datasetInputs.isEmpty)
        // GET with the request as query string, run_id and run_uuid, under the URI's path prefix.
        #expect(t.sent[0].method == "GET")
        #expect(t.sent[0].url.absoluteString == "http://tracking.test:5000/prefix/api/2.0/mlflow/runs/get?run_id=9e12aa00000000000000000000004e7a&run_uuid=9e12aa00000000000000000000004e7a")
        #expect(t.sent[0].body == nil)
    }

    @Test func decodesNonFiniteMetricsStringInt64sAndDatasets() throws {
        let body = #"""
        {"run": {"info": {"run_id": "r", "experiment_id": "2", "status": "FINISHED", "start_time": "5", "end_time": 9,
          "lifecycle_stage": "deleted", "artifact_uri": "a"},
          "data": {"metrics": [{"key": "n", "value": "NaN", "timestamp": 1}, {"key": "i", "value": "-Infinity", "timestamp": 2, "step": "3"}],
                   "params": [{"key": "p", "value": "1"}]},
          "inputs": {"dataset_inputs": [{"tags": [{"key": "mlflow.data.context", "value": "training"}],
                     "dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "{}", "profile": "{\"num_rows\": 2}"}}]},
          "extra": {"ignored": true}}}
        """#
        let (s, _) = try scriptedStore([.status(200, body)])
        let run = try s.getRun(id: "r")
        #expect(run.info.status == .finished && run.info.startTime == 5 && run.info.endTime == 9 && run.info.lifecycleStage == .deleted)
        #expect(run.data.metric("n")?.value.isNaN == true)
        #expect(run.data.metric("i") == Metric(key: "i", value: -.infinity, timestamp: 2, step: 3))
        #expect(run.data.params == [Param(key: "p", value: "1")])
        #expect(run.inputs.datasetInputs == [DatasetInput(dataset: Dataset(name: "d", digest: "x", sourceType: "local", source: "{}", profile: #"{"num_rows": 2}"#),
                                                          tags: [InputTag(key: InputTag.contextKey, value: "training")])])
    }

    @Test func decodesModelOutputsAndInputs() throws {
        let body = #"""
        {"run": {"info": {"run_id": "r", "experiment_id": "1", "status": "RUNNING", "start_time": 1, "lifecycle_stage": "active", "artifact_uri": "a"},
          "data": {}, "inputs": {"model_inputs": [{"model_id": "m-b"}, {"model_id": "m-a"}]},
          "outputs": {"model_outputs": [{"model_id": "m-z", "step": "3"}, {"model_id": "m-y", "step": 0}]}}}
        """#
        let (s, _) = try scriptedStore([.status(200, body)])
        let run = try s.getRun(id: "r")
        #expect(run.inputs.modelInputs == [LoggedModelInput(modelId: "m-a"), LoggedModelInput(modelId: "m-b")])
        #expect(run.outputs.modelOutputs == [LoggedModelOutput(modelId: "m-y", step: 0), LoggedModelOutput(modelId: "m-z", step: 3)])
    }

    @Test func encodesWritesAsMLflowsClientDoes() throws {
        let info = #"{"run_info": {"run_id": "r1", "experiment_id": "0", "status": "FINISHED", "start_time": 1, "end_time": 99}}"#
        let (s, t) = try scriptedStore([.status(200, "{}"), .status(200, "{}"), .status(200, "{}"), .status(200, info)])
        try s.logMetric(runId: "r1", metric: Metric(key: "loss", value: .nan, timestamp: 7, step: 2))
        try s.logMetric(runId: "r1", metric: Metric(key: "big", value: .infinity, timestamp: 7))
        try s.logParam(runId: "r1", param: Param(key: "lr", value: "0.01"))
        #expect(try s.updateRun(id: "r1", status: .finished, endTime: 99, runName: nil, actor: nil).endTime == 99)
        try s.logBatch(runId: "r1", metrics: [Metric(key: "m", value: 0.5, timestamp: 1)], params: [], tags: [RunTag(key: "t", value: "v")])
        #expect(t.sent.allSatisfy { $0.method == "POST" && $0.headers["Content-Type"] == "application/json" })
        #expect(t.sent.map(\.url.path) == ["/prefix/api/2.0/mlflow/runs/log-metric", "/prefix/api/2.0/mlflow/runs/log-metric",
                                           "/prefix/api/2.0/mlflow/runs/log-parameter", "/prefix/api/2.0/mlflow/runs/update",
                                           "/prefix/api/2.0/mlflow/runs/log-batch"])
        let b = t.bodies
        #expect(b[0]["value"] as? String == "NaN" && b[0]["run_id"] as? String == "r1" && b[0]["run_uuid"] as? String == "r1")
        #expect((b[0]["step"] as? NSNumber)?.int64Value == 2 && (b[0]["timestamp"] as? NSNumber)?.int64Value == 7)
        #expect(b[1]["value"] as? String == "Infinity")
        #expect(b[2]["value"] as? String == "0.01")
        // Enums by name; unset fields omitted, not null.
        #expect(b[3]["status"] as? String == "FINISHED" && (b[3]["end_time"] as? NSNumber)?.int64Value == 99 && b[3]["run_name"] == nil)
        #expect((b[4]["metrics"] as? [[String: Any]])?.first?["key"] as? String == "m")
        #expect((b[4]["params"] as? [Any])?.isEmpty == true)
        #expect(String(decoding: t.sent[4].body ?? Data(), as: UTF8.self).contains(#""tags":[{"key":"t","value":"v"}]"#))
    }

    @Test func createRunSendsTheActorAndTheClockWhenNotGiven() throws {
        let (s, t) = try scriptedStore([.status(200, Self.capturedRun)])
        _ = try s.createRun(experimentId: "1", userId: nil, runName: "baseline", startTime: nil, tags: [RunTag(key: "a", value: "b")], actor: "alice")
        let b = t.bodies[0]
        #expect(b["user_id"] as? String == "alice" && (b["start_time"] as? NSNumber)?.int64Value == 1234)
        #expect(b["experiment_id"] as? String == "1" && b["run_name"] as? String == "baseline")
    }

    @Test func searchesSendCanonicalFiltersAndPassTokensThrough() throws {
        let (s, t) = try scriptedStore([
            .status(200, #"{"runs": [\#(Self.capturedRun.dropFirst(8).dropLast(1))], "next_page_token": "eyJvZmZzZXQiOiAxfQ=="}"#),
            .status(200, #"{}"#),
            .status(200, #"{"experiments": [{"experiment_id": "0", "name": "Default", "artifact_location": "mlflow-artifacts:/0", "lifecycle_stage": "active", "creation_time": 1, "last_update_time": 2, "workspace": "default"}], "next_page_token": ""}"#),
        ])
        let page = try s.searchRuns(experimentIds: ["1"], filter: "metrics.acc > 0.5 and params.optimizer = 'sgd'", orderBy: ["metrics.acc DESC"], maxResults: 1)
        #expect(page.items.map(\.info.runName) == ["baseline"] && page.nextPageToken == "eyJvZmZzZXQiOiAxfQ==")
        let last = try s.searchRuns(experimentIds: ["1"], maxResults: 1, pageToken: page.nextPageToken, viewType: .all)
        #expect(last.items.isEmpty && last.nextPageToken == nil)
        let exps = try s.searchExperiments(viewType: .deletedOnly, filter: "name LIKE 'D%'", orderBy: ["last_update_time DESC"], maxResults: 5)
        #expect(exps.items.map(\.name) == ["Default"] && exps.nextPageToken == nil && exps.items[0].lastUpdateTime == 2)
        let b = t.bodies
        #expect(b[0]["filter"] as? String == "metric.`acc` > 0.5 AND parameter.`optimizer` = 'sgd'")
        #expect(b[0]["order_by"] as? [String] == ["metric.`acc` DESC"])
        #expect(b[0]["experiment_ids"] as? [String] == ["1"] && b[0]["run_view_type"] as? String == "ACTIVE_ONLY")
        #expect((b[0]["max_results"] as? NSNumber)?.intValue == 1 && b[0]["page_token"] == nil)
        #expect(b[1]["page_token"] as? String == "eyJvZmZzZXQiOiAxfQ==" && b[1]["run_view_type"] as? String == "ALL" && b[1]["filter"] == nil)
        #expect(b[2]["filter"] as? String == "attribute.`name` LIKE 'D%'" && b[2]["order_by"] as? [String] == ["last_update_time DESC"])
        #expect(b[2]["view_type"] as? String == "DELETED_ONLY")
    }

    @Test func metricHistoryFollowsPagesAndOrdersByStep() throws {
        let (s, t) = try scriptedStore([
            .status(200, #"{"metrics": [{"key": "loss", "value": 0.5, "timestamp": 3, "step": 2}, {"key": "loss", "value": "NaN", "timestamp": 1}], "next_page_token": "tok"}"#),
            .status(200, #"{"metrics": [{"key": "loss", "value": 0.3, "timestamp": 2, "step": 1}]}"#),
        ])
        let h = try s.getMetricHistory(runId: "r", key: "loss")
        #expect(h.map(\.step) == [0, 1, 2] && h[0].value.isNaN && h[1].value == 0.3)
        #expect(t.sent.map { $0.url.query ?? "" } == [
            "run_id=r&run_uuid=r&metric_key=loss&max_results=25000",
            "run_id=r&run_uuid=r&metric_key=loss&max_results=25000&page_token=tok",
        ])
    }

    @Test func errorBodiesBecomeTrackingErrorsWithTheSameCode() throws {
        let missing = #"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Experiment 'x' does not exist.", "sqlstate": "KAM00", "error_class": "RESOURCE_NOT_FOUND"}"#
        let (s, _) = try scriptedStore([
            .status(404, missing),
            .status(404, #"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run with id=nope not found"}"#),
            .status(400, #"{"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment(name=churn) already exists."}"#),
            .status(400, #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Changing param values is not allowed."}"#),
            .status(403, #"{"error_code": "PERMISSION_DENIED", "message": "no"}"#),
            .status(500, "<html>boom</html>"),
            .status(404, "not here"),
        ])
        #expect(try s.getExperimentByName("x") == nil)
        expectCode(.resourceDoesNotExist) { _ = try s.getRun(id: "nope") }
        do {
            _ = try s.createExperiment(name: "churn")
            Issue.record("no error")
        } catch let e as TrackingError {
            #expect(e == TrackingError(.resourceAlreadyExists, "Experiment(name=churn) already exists."))
        }
        expectCode(.invalidParameterValue) { try s.logParam(runId: "r", param: Param(key: "a", value: "b")) }
        do {
            try s.deleteRun(id: "r")
        } catch let e as TrackingError {
            #expect(e.code == .internalError && e.message.hasPrefix("PERMISSION_DENIED"))
        }
        expectCode(.internalError) { try s.deleteRun(id: "r") }
        do {
            try s.deleteRun(id: "r")
        } catch let e as TrackingError {
            #expect(e.message.hasPrefix("ENDPOINT_NOT_FOUND"))
        }
    }

    @Test func theAuditLogStaysOnTheServer() throws {
        let (s, t) = try scriptedStore([])
        expectCode(.invalidState) { _ = try s.audit(after: nil, limit: 1) }
        expectCode(.invalidState) { try s.appendAudit(entityKind: .run, entityId: "r", action: .promote, details: "{}", actor: nil) }
        #expect(t.sent.isEmpty)
    }

    @Test func bigBatchesAreChunkedWithinMLflowsLimits() throws {
        let metrics = (0 ..< 2500).map { Metric(key: "m", value: Double($0), timestamp: 1, step: Int64($0)) }
        let params = (0 ..< 150).map { Param(key: "p\($0)", value: "v") }
        let tags = (0 ..< 120).map { RunTag(key: "t\($0)", value: "v") }
        let chunks = RESTTrackingStore.chunks(metrics: metrics, params: params, tags: tags)
        #expect(chunks.allSatisfy { $0.metrics.count <= 1000 && $0.params.count <= 100 && $0.tags.count <= 100
                                    && $0.metrics.count + $0.params.count + $0.tags.count <= 1000 })
        #expect(chunks.flatMap(\.metrics) == metrics && chunks.flatMap(\.params) == params && chunks.flatMap(\.tags) == tags)
        #expect(chunks.map { [$0.metrics.count, $0.params.count, $0.tags.count] } == [[800, 100, 100], [930, 50, 20], [770, 0, 0]])
        let (s, t) = try scriptedStore([])
        try s.logBatchChunked(runId: "r", metrics: metrics, params: params, tags: tags)
        #expect(t.sent.count == 3)
        #expect(RESTTrackingStore.chunks(metrics: [], params: [], tags: []).isEmpty)
    }

    @Test func credentialsComeFromTheEnvironment() throws {
        #expect(RESTCredentials.fromEnvironment([:]) == .none)
        #expect(RESTCredentials.fromEnvironment(["MLFLOW_TRACKING_TOKEN": "m", "MLTRACK_TRACKING_TOKEN": "t"]) == .bearer("t"))
        #expect(RESTCredentials.fromEnvironment(["MLFLOW_TRACKING_TOKEN": "m"]) == .bearer("m"))
        #expect(RESTCredentials.fromEnvironment(["MLTRACK_TRACKING_USERNAME": "u", "MLTRACK_TRACKING_PASSWORD": "p"]) == .basic(username: "u", password: "p"))
        #expect(RESTCredentials.fromEnvironment(["MLFLOW_TRACKING_USERNAME": "u"]).authorizationHeader == "Basic dTo=")
        let (s, t) = try scriptedStore([], credentials: .basic(username: "u", password: "p"))
        try s.deleteRun(id: "r")
        #expect(t.sent[0].headers["Authorization"] == "Basic dTpw")
        let (s2, t2) = try scriptedStore([], credentials: .bearer("tok"))
        try s2.deleteRun(id: "r")
        #expect(t2.sent[0].headers["Authorization"] == "Bearer tok")
    }

    @Test func badBaseURLsAreRefused() {
        for bad in ["ftp://h", "http://", "not a url"] {
            expectCode(.invalidParameterValue) { _ = try RESTClient(baseURL: bad, transport: ScriptedTransport([])) }
        }
    }
}
