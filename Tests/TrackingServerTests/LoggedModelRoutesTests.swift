import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Tracking
import TrackingServer

/// MLflow 3's logged-model endpoints in-process, answers compared as exact JSON text (the shapes
/// MLflow 3.17's server writes, captured live), plus run outputs, model inputs and model metrics
/// seen through `runs/get`.
@Suite struct LoggedModelRoutesTests {
    static let t = 1_700_000_000_000

    /// Experiment 1, a run in it, and a logged model created through the API.
    static func setUp(_ api: API) async throws -> (run: String, model: String) {
        let run = try await RunRoutesTests.makeRun(api)
        let created = try await api.post("logged-models", #"""
            {"experiment_id":"1","name":"model","source_run_id":"\#(run)","tags":[{"key":"mlflow.user","value":"ann"},{"key":"mlflow.source.name","value":"train.py"}]}
            """#)
        #expect(created.status == 200)
        let id = try #require(created.json.obj("model").obj("info").str("model_id"))
        return (run, id)
    }

    static func info(_ id: String, run: String, status: String = "LOGGED_MODEL_PENDING", tags: String = #",{"key":"mlflow.source.name","value":"train.py"},{"key":"mlflow.user","value":"ann"}"#) -> String {
        #"{"model_id":"\#(id)","experiment_id":"1","name":"model","creation_timestamp_ms":\#(t),"last_updated_timestamp_ms":\#(t),"artifact_uri":"mlflow-artifacts:/1/models/\#(id)/artifacts","status":"\#(status)","model_type":"","source_run_id":"\#(run)""#
            + (tags.isEmpty ? "" : #","tags":["# + String(tags.dropFirst()) + "]") + "}"
    }

    @Test func createGetFinalizeDelete() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let (run, id) = try await Self.setUp(api)
            #expect(LoggedModel.isModelId(id))
            let got = try await api.get("logged-models/\(id)")
            #expect(got.status == 200)
            #expect(got.text == #"{"model":{"info":\#(Self.info(id, run: run)),"data":{}}}"#)
            #expect(got.contentType == "application/json")
            // Also under the web UI's prefix.
            #expect(try await api.call(.get, "logged-models/\(id)", prefix: "/ajax-api/2.0/mlflow/").text == got.text)

            let ready = try await api.call(.patch, "logged-models/\(id)", json: #"{"model_id":"\#(id)","status":"LOGGED_MODEL_READY"}"#)
            #expect(ready.text == #"{"model":{"info":\#(Self.info(id, run: run, status: "LOGGED_MODEL_READY")),"data":{}}}"#)
            let byNumber = try await api.call(.patch, "logged-models/\(id)", json: #"{"model_id":"\#(id)","status":3}"#)
            #expect(byNumber.json.obj("model").obj("info").str("status") == "LOGGED_MODEL_UPLOAD_FAILED")
            let noStatus = try await api.call(.patch, "logged-models/\(id)", json: #"{"model_id":"\#(id)"}"#)
            #expect(noStatus.status == 400 && noStatus.text == #"{"error_code":"INVALID_PARAMETER_VALUE","message":"Missing value for required parameter 'status'. See the API docs for more information about request parameters."}"#)
            let badStatus = try await api.call(.patch, "logged-models/\(id)", json: #"{"model_id":"\#(id)","status":"DONE"}"#)
            #expect(badStatus.status == 400 && badStatus.errorCode == "INVALID_PARAMETER_VALUE")

            let missing = try await api.get("logged-models/m-nope")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Logged model with ID 'm-nope' not found."}"#)
            #expect(try await api.call(.patch, "logged-models/m-nope", json: #"{"model_id":"m-nope","status":2}"#).status == 404)

            #expect(try await api.call(.delete, "logged-models/\(id)").text == "{}")
            #expect(try await api.call(.delete, "logged-models/\(id)").status == 200)
            #expect(try await api.get("logged-models/\(id)").status == 404)
            let deleted = try await api.get("logged-models/\(id)?allow_deleted=true")
            #expect(deleted.status == 200 && deleted.json.obj("model").obj("info").str("model_id") == id)
            #expect(try await api.get("logged-models/\(id)?allow_deleted=TRUE").status == 200)
            #expect(try await api.get("logged-models/\(id)?allow_deleted=yes").status == 404)
            #expect(try await api.call(.delete, "logged-models/m-nope").errorCode == "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func creationDefaultsAndErrors() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            _ = try await api.post("experiments/create", #"{"name":"exp"}"#)
            let full = try await api.post("logged-models", #"""
                {"experiment_id":"1","name":"m","model_type":"sklearn","params":[{"key":"b","value":"2"},{"key":"a","value":"1"}],"tags":[{"key":"t","value":"x"}]}
                """#)
            let id = try #require(full.json.obj("model").obj("info").str("model_id"))
            #expect(full.text == #"{"model":{"info":{"model_id":"\#(id)","experiment_id":"1","name":"m","creation_timestamp_ms":\#(Self.t),"last_updated_timestamp_ms":\#(Self.t),"artifact_uri":"mlflow-artifacts:/1/models/\#(id)/artifacts","status":"LOGGED_MODEL_PENDING","model_type":"sklearn","source_run_id":"","tags":[{"key":"t","value":"x"}]},"data":{"params":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}}}"#)
            let unnamed = try await api.post("logged-models", #"{"experiment_id":"1","name":""}"#)
            #expect(unnamed.status == 200 && unnamed.json.obj("model").obj("info").str("name")?.split(separator: "-").count == 3)

            let noExp = try await api.post("logged-models", #"{"name":"x"}"#)
            #expect(noExp.status == 400 && noExp.json.str("message") == "Missing value for required parameter 'experiment_id'. See the API docs for more information about request parameters.")
            let unknownExp = try await api.post("logged-models", #"{"experiment_id":"999"}"#)
            #expect(unknownExp.status == 404 && unknownExp.text == #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"No Experiment with id=999 exists"}"#)
            let badName = try await api.post("logged-models", #"{"experiment_id":"1","name":"a.b"}"#)
            #expect(badName.status == 400 && badName.json.str("message") == #"Invalid model name ('a.b') provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '"', "'")"#)
            let badTags = try await api.post("logged-models", #"{"experiment_id":"1","tags":{"key":"t"}}"#)
            #expect(badTags.status == 400 && badTags.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func tagsParamsAndArtifactListing() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let (run, id) = try await Self.setUp(api)
            #expect(try await api.call(.patch, "logged-models/\(id)/tags", json: #"{"tags":[{"key":"team","value":"ml"},{"key":"x","value":"1"}]}"#).text == "{}")
            #expect(try await api.call(.delete, "logged-models/\(id)/tags/x").text == "{}")
            let again = try await api.call(.delete, "logged-models/\(id)/tags/x")
            #expect(again.status == 404 && again.text == #"{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"No tag with key 'x' found for model with ID '\#(id)'."}"#)
            #expect(try await api.call(.patch, "logged-models/m-nope/tags", json: #"{"tags":[]}"#).status == 404)
            // A tag key with a dot, percent-encoded in the path.
            _ = try await api.call(.patch, "logged-models/\(id)/tags", json: #"{"tags":[{"key":"mlflow.modelVersions","value":"[]"}]}"#)
            #expect(try await api.call(.delete, "logged-models/\(id)/tags/mlflow%2EmodelVersions").status == 200)

            #expect(try await api.post("logged-models/\(id)/params", #"{"model_id":"\#(id)","params":[{"key":"C","value":"1.0"}]}"#).text == "{}")
            #expect(try await api.post("logged-models/\(id)/params", #"{"model_id":"\#(id)","params":[{"key":"C","value":"1.0"}]}"#).status == 200)
            let changed = try await api.post("logged-models/\(id)/params", #"{"model_id":"\#(id)","params":[{"key":"C","value":"2.0"}]}"#)
            #expect(changed.status == 400 && changed.errorCode == "INVALID_PARAMETER_VALUE")
            let noId = try await api.post("logged-models/\(id)/params", #"{"params":[]}"#)
            #expect(noId.status == 400 && noId.json.str("message")?.contains("'model_id'") == true)
            #expect(try await api.post("logged-models/m-nope/params", #"{"model_id":"m-nope","params":[]}"#).status == 404)

            let tags = #",{"key":"mlflow.source.name","value":"train.py"},{"key":"mlflow.user","value":"ann"},{"key":"team","value":"ml"}"#
            #expect(try await api.get("logged-models/\(id)").text
                    == #"{"model":{"info":\#(Self.info(id, run: run, tags: tags)),"data":{"params":[{"key":"C","value":"1.0"}]}}}"#)

            let listing = try await api.get("logged-models/\(id)/artifacts/directories")
            #expect(listing.status == 501 && listing.errorCode == "NOT_IMPLEMENTED")
        }
    }

    @Test func listingThroughTheArtifactSeam() async throws {
        let fx = try ServerFixture.make()
        let router = Router(context: BasicRequestContext.self)
        let api = APIRoutes(router: router, endpoint: APIEndpoint(maxBodyBytes: 1 << 20))
        LoggedModelRoutes(store: fx.store, listArtifacts: { uri, path in
            #expect(uri.hasPrefix("mlflow-artifacts:/0/models/") && path == nil)
            return [FileInfo(path: "MLmodel", isDir: false, fileSize: 12), FileInfo(path: "sub", isDir: true, fileSize: nil)]
        }).register(on: api)
        let m = try fx.store.createLoggedModel(experimentId: "0", name: "m")
        try await Application(router: router).test(.router) { client in
            let a = API(client: client)
            let r = try await a.get("logged-models/\(m.modelId)/artifacts/directories")
            #expect(r.text == #"{"root_uri":"mlflow-artifacts:/0/models/\#(m.modelId)/artifacts","files":[{"path":"MLmodel","is_dir":false,"file_size":12},{"path":"sub","is_dir":true}]}"#)
        }
    }

    @Test func runOutputsInputsAndModelMetrics() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let (run, id) = try await Self.setUp(api)
            // runs/create answers without `outputs`; runs/get with it.
            let created = try await api.post("runs/create", #"{"experiment_id":"1","run_name":"x","start_time":5}"#)
            #expect(created.json.obj("run").has("inputs") && !created.json.obj("run").has("outputs"))
            #expect(try await api.get("runs/get?run_id=\(run)").text.hasSuffix(#""inputs":{},"outputs":{}}}"#))

            #expect(try await api.post("runs/outputs", #"{"run_id":"\#(run)","models":[{"model_id":"\#(id)","step":0}]}"#).text == "{}")
            #expect(try await api.post("runs/outputs", #"{"run_id":"\#(run)","models":[{"model_id":"\#(id)","step":0}]}"#).status == 200)
            let noModels = try await api.post("runs/outputs", #"{"run_id":"\#(run)"}"#)
            #expect(noModels.status == 400 && noModels.json.str("message") == "Missing value for required parameter 'models'. See the API docs for more information about request parameters.")
            #expect(try await api.post("runs/outputs", #"{"run_id":"\#(run)","models":[]}"#).status == 200)
            let unknownRun = try await api.post("runs/outputs", #"{"run_id":"\#(String(repeating: "0", count: 32))","models":[{"model_id":"\#(id)"}]}"#)
            #expect(unknownRun.status == 404 && unknownRun.errorCode == "RESOURCE_DOES_NOT_EXIST")
            #expect(try await api.post("runs/log-inputs", #"{"run_id":"\#(run)","models":[{"model_id":"\#(id)"}]}"#).text == "{}")

            #expect(try await api.post("runs/log-metric", #"{"run_id":"\#(run)","key":"acc","value":0.5,"timestamp":5,"step":1,"model_id":"\#(id)","dataset_name":"d","dataset_digest":"x1"}"#).status == 200)
            #expect(try await api.post("runs/log-batch", #"{"run_id":"\#(run)","metrics":[{"key":"loss","value":"NaN","timestamp":7,"step":0,"model_id":"\#(id)"},{"key":"plain","value":1,"timestamp":7}]}"#).status == 200)
            let unknownModel = try await api.post("runs/log-metric", #"{"run_id":"\#(run)","key":"acc","value":0.7,"timestamp":6,"model_id":"m-unknown"}"#)
            #expect(unknownModel.status == 404 && unknownModel.json.str("message") == "Logged model with ID 'm-unknown' not found.")

            let got = try await api.get("runs/get?run_id=\(run)")
            #expect(got.json.obj("run").obj("inputs").list("model_inputs").map { $0["model_id"] as? String } == [id])
            #expect(got.text.hasSuffix(#""inputs":{"model_inputs":[{"model_id":"\#(id)"}]},"outputs":{"model_outputs":[{"model_id":"\#(id)","step":0}]}}}"#))
            #expect(got.json.obj("run").obj("data").list("metrics").compactMap { $0["key"] as? String } == ["acc", "loss", "plain"])
            // runs/search shows outputs but, as MLflow 3.17, no model inputs.
            let searched = try await api.post("runs/search", #"{"experiment_ids":["1"],"filter":"attributes.run_id = '\#(run)'"}"#)
            #expect(searched.text.hasSuffix(#""inputs":{},"outputs":{"model_outputs":[{"model_id":"\#(id)","step":0}]}}]}"#))

            let model = try await api.get("logged-models/\(id)")
            #expect(model.text.hasSuffix(#""data":{"metrics":[{"key":"acc","value":0.5,"timestamp":5,"step":1,"dataset_name":"d","dataset_digest":"x1","model_id":"\#(id)","run_id":"\#(run)"},{"key":"loss","value":"NaN","timestamp":7,"step":0,"model_id":"\#(id)","run_id":"\#(run)"}]}}}"#))
        }
    }

    @Test func search() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let (run, id) = try await Self.setUp(api)
            let other = try #require(try await api.post("logged-models", #"{"experiment_id":"1","name":"other","params":[{"key":"C","value":"0.1"}]}"#)
                .json.obj("model").obj("info").str("model_id"))
            _ = try await api.post("runs/log-metric", #"{"run_id":"\#(run)","key":"acc","value":0.9,"timestamp":5,"model_id":"\#(id)"}"#)
            func ids(_ body: String) async throws -> [String] {
                let r = try await api.post("logged-models/search", body)
                #expect(r.status == 200, "\(body): \(r.text)")
                return r.json.list("models").map { $0.obj("info").str("model_id") ?? "?" }
            }
            let byName = try await api.post("logged-models/search", #"{"experiment_ids":["1"],"filter":"name = 'model'"}"#)
            #expect(byName.text == #"{"models":[{"info":\#(Self.info(id, run: run)),"data":{"metrics":[{"key":"acc","value":0.9,"timestamp":5,"step":0,"model_id":"\#(id)","run_id":"\#(run)"}]}}]}"#)
            // Same creation time: model_id ASC breaks the tie.
            #expect(try await ids(#"{"experiment_ids":["1"]}"#) == [id, other].sorted())
            #expect(try await ids(#"{"experiment_ids":["1"],"filter":"metrics.acc > 0.5"}"#) == [id])
            #expect(try await ids(#"{"experiment_ids":["1"],"filter":"params.C = 0.1"}"#) == [other])
            #expect(try await ids(#"{"experiment_ids":["1"],"order_by":[{"field_name":"metrics.acc","ascending":false}]}"#) == [id, other])
            #expect(try await ids(#"{"experiment_ids":["1"],"order_by":[{"field_name":"name","ascending":false}]}"#) == [other, id])
            #expect(try await ids(#"{"experiment_ids":["1"],"datasets":[{"dataset_name":"d"}]}"#) == [])
            #expect(try await api.post("logged-models/search", #"{"experiment_ids":[]}"#).text == "{}")
            #expect(try await api.post("logged-models/search", #"{"experiment_ids":["7"]}"#).text == "{}")

            let first = try await api.post("logged-models/search", #"{"experiment_ids":["1"],"max_results":1}"#)
            let token = try #require(first.json.str("next_page_token"))
            #expect(token == LoggedModelPageToken(query: try LoggedModelQuery(experimentIds: ["1"], maxResults: 1), offset: 1).encoded)
            let second = try await api.post("logged-models/search", #"{"experiment_ids":["1"],"max_results":1,"page_token":"\#(token)"}"#)
            #expect(second.json.list("models").count == 1 && !second.json.has("next_page_token"))
            // The query string works too.
            #expect(try await api.get("logged-models/search?experiment_ids=1&filter=name%20%3D%20%27other%27").json.list("models").count == 1)

            for (body, message) in [
                (#"{}"#, "Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters."),
                (#"{"experiment_ids":["1"],"datasets":[{"dataset_digest":"zz"}]}"#, "`dataset_name` in the `datasets` clause must be specified."),
                (#"{"experiment_ids":["1"],"order_by":[{"field_name":"params.C"}]}"#, "Invalid order by field name: params.C. Only metrics are supported."),
                (#"{"experiment_ids":["1"],"order_by":[{"field_name":"bogus"}]}"#, "Invalid order by field name: bogus"),
                (#"{"experiment_ids":["x"]}"#, "Invalid experiment ID 'x'. Experiment ID must be a valid integer."),
            ] {
                let r = try await api.post("logged-models/search", body)
                #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE" && r.json.str("message") == message, "\(body): \(r.text)")
            }
            for body in [#"{"experiment_ids":["1"],"filter":"name = 'a' OR name = 'b'"}"#, #"{"experiment_ids":["0"],"max_results":1,"page_token":"\#(token)"}"#,
                         #"{"experiment_ids":["1"],"page_token":"garbage"}"#, #"{"experiment_ids":["1"],"filter":"bogus = 'x'"}"#] {
                let r = try await api.post("logged-models/search", body)
                #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE", "\(body): \(r.text)")
            }
        }
    }
}

/// The run page lists the logged models a run produced and used.
@Suite struct LoggedModelRunPageTests {
    @Test func runPageListsLoggedModels() async throws {
        let f = try await UIFixture()
        let run = f.childA.info.runId
        let m = try f.tracking.createLoggedModel(experimentId: f.experimentId, name: "churn-lr", sourceRunId: run)
        try f.tracking.finalizeLoggedModel(id: m.modelId, status: .ready)
        try f.tracking.logOutputs(runId: run, models: [LoggedModelOutput(modelId: m.modelId, step: 4)])
        let (status, html) = await f.page("/runs/\(run)")
        #expect(status == 200)
        #expect(html.contains("<h2>Logged models</h2>"))
        #expect(html.contains("<code>\(m.modelId)</code>") && html.contains("churn-lr") && html.contains("output, step 4"))
        #expect(html.contains("LOGGED_MODEL_READY") && html.contains(m.artifactUri))
        // A run without logged models has no such section.
        #expect(!(await f.page("/runs/\(f.baseline.info.runId)").html.contains("Logged models")))
    }
}
