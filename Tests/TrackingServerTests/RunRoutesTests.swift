import Foundation
import Testing
import Tracking
import TrackingServer

/// The run endpoints in-process: create/get/update/delete/restore, logging (single, batch with
/// MLflow's limits, NaN as text), tags, inputs, outputs, search, metric history with paging.
@Suite struct RunRoutesTests {
    /// Creates experiment 1 and a run in it; returns the run id.
    static func makeRun(_ api: API, name: String = "baseline", tags: String = "[]") async throws -> String {
        if try await api.get("experiments/get?experiment_id=1").status != 200 {
            _ = try await api.post("experiments/create", #"{"name":"exp"}"#)
        }
        let created = try await api.post("runs/create", #"{"experiment_id":"1","user_id":"ann","run_name":"\#(name)","start_time":1000,"tags":\#(tags)}"#)
        return try #require(created.json.obj("run").obj("info").str("run_id"))
    }

    @Test func createGetUpdateDeleteRestore() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            _ = try await api.post("experiments/create", #"{"name":"exp"}"#)
            let created = try await api.post("runs/create",
                #"{"experiment_id":"1","user_id":"ann","run_name":"baseline","start_time":1000,"tags":[{"key":"mlflow.user","value":"ann"}]}"#)
            #expect(created.status == 200)
            let info = created.json.obj("run").obj("info")
            let id = try #require(info.str("run_id"))
            #expect(id.count == 32)
            #expect(info.str("run_uuid") == id)
            #expect(info.str("run_name") == "baseline" && info.str("user_id") == "ann" && info.str("experiment_id") == "1")
            #expect(info.str("status") == "RUNNING" && info.str("lifecycle_stage") == "active")
            #expect(info.int("start_time") == 1000 && !info.has("end_time"))
            #expect(info.str("artifact_uri") == "mlflow-artifacts:/1/\(id)/artifacts")
            #expect(created.json.obj("run").obj("data").pairs("tags") == ["mlflow.user": "ann", "mlflow.runName": "baseline"])
            #expect(created.json.obj("run").has("inputs"))

            // Both spellings of the id.
            for q in ["run_id=\(id)", "run_uuid=\(id)", "run_uuid=\(id)&run_id=\(id)"] {
                #expect(try await api.get("runs/get?\(q)").json.obj("run").obj("info").str("run_id") == id)
            }
            let updated = try await api.post("runs/update", #"{"run_id":"\#(id)","status":"FINISHED","end_time":2000,"run_name":"renamed"}"#)
            #expect(updated.json.obj("run_info").str("status") == "FINISHED")
            #expect(updated.json.obj("run_info").int("end_time") == 2000)
            #expect(try fx.store.getRun(id: id).data.tag(RunTag.runNameKey) == "renamed")
            let byNumber = try await api.post("runs/update", #"{"run_uuid":"\#(id)","status":4}"#)
            #expect(byNumber.json.obj("run_info").str("status") == "FAILED")
            let badStatus = try await api.post("runs/update", #"{"run_id":"\#(id)","status":"DONE"}"#)
            #expect(badStatus.status == 400 && badStatus.errorCode == "INVALID_PARAMETER_VALUE")

            #expect(try await api.post("runs/delete", #"{"run_id":"\#(id)"}"#).text == "{}")
            #expect(try fx.store.getRun(id: id).info.lifecycleStage == .deleted)
            let logDeleted = try await api.post("runs/log-parameter", #"{"run_id":"\#(id)","key":"a","value":"1"}"#)
            #expect(logDeleted.status == 400 && logDeleted.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(try await api.post("runs/restore", #"{"run_id":"\#(id)"}"#).status == 200)
            #expect(try fx.store.getRun(id: id).info.lifecycleStage == .active)

            let unknown = try await api.get("runs/get?run_id=\(String(repeating: "0", count: 32))")
            #expect(unknown.status == 404 && unknown.errorCode == "RESOURCE_DOES_NOT_EXIST")
            let noId = try await api.get("runs/get")
            #expect(noId.status == 400 && noId.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(noId.json.str("message")?.contains("'run_id'") == true)
            let noExp = try await api.post("runs/create", #"{"experiment_id":"77"}"#)
            #expect(noExp.status == 404 && noExp.errorCode == "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func loggingAndReadingBack() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let id = try await Self.makeRun(api)
            #expect(try await api.post("runs/log-parameter", #"{"run_uuid":"\#(id)","run_id":"\#(id)","key":"lr","value":"0.01"}"#).text == "{}")
            #expect(try await api.post("runs/log-parameter", #"{"run_id":"\#(id)","key":"lr","value":"0.01"}"#).status == 200)
            let changed = try await api.post("runs/log-parameter", #"{"run_id":"\#(id)","key":"lr","value":"0.02"}"#)
            #expect(changed.status == 400 && changed.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(try await api.post("runs/log-metric", #"{"run_id":"\#(id)","key":"loss","value":0.5,"timestamp":10,"step":0}"#).status == 200)
            #expect(try await api.post("runs/log-metric", #"{"run_id":"\#(id)","key":"loss","value":"NaN","timestamp":"11","step":1}"#).status == 200)
            #expect(try await api.post("runs/log-metric", #"{"run_id":"\#(id)","key":"big","value":"-Infinity","timestamp":12}"#).status == 200)
            let noTs = try await api.post("runs/log-metric", #"{"run_id":"\#(id)","key":"loss","value":1}"#)
            #expect(noTs.status == 400 && noTs.errorCode == "INVALID_PARAMETER_VALUE" && noTs.text.contains("timestamp"))
            let badValue = try await api.post("runs/log-metric", #"{"run_id":"\#(id)","key":"loss","value":"abc","timestamp":1}"#)
            #expect(badValue.status == 400 && badValue.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(try await api.post("runs/set-tag", #"{"run_id":"\#(id)","key":"owner","value":"swift"}"#).status == 200)
            #expect(try await api.post("runs/set-tag", #"{"run_id":"\#(id)","key":"tmp","value":"x"}"#).status == 200)
            #expect(try await api.post("runs/delete-tag", #"{"run_id":"\#(id)","key":"tmp"}"#).status == 200)
            let batch = #"{"run_id":"\#(id)","metrics":[{"key":"acc","value":0.9,"timestamp":20,"step":1}],"params":[{"key":"epochs","value":"3"}],"tags":[{"key":"stage","value":"dev"}]}"#
            #expect(try await api.post("runs/log-batch", batch).text == "{}")

            let run = try await api.get("runs/get?run_id=\(id)").json.obj("run")
            let data = run.obj("data")
            #expect(data.pairs("params") == ["lr": "0.01", "epochs": "3"])
            #expect(data.pairs("tags") == ["mlflow.runName": "baseline", "owner": "swift", "stage": "dev"])
            let metrics = Dictionary(uniqueKeysWithValues: data.list("metrics").map { ($0["key"] as? String ?? "", $0) })
            #expect(metrics["acc"]?.double("value") == 0.9 && metrics["acc"]?.int("step") == 1)
            // The latest loss is the NaN at step 1, sent back as the string "NaN".
            #expect(metrics["loss"]?["value"] as? String == "NaN" && metrics["loss"]?.int("timestamp") == 11)
            #expect(metrics["big"]?["value"] as? String == "-Infinity")

            let history = try await api.get("metrics/get-history?run_id=\(id)&metric_key=loss")
            let points = history.json.list("metrics")
            #expect(points.count == 2 && points[0].double("value") == 0.5 && points[1]["value"] as? String == "NaN")
            #expect(points.map { $0.int("step") } == [0, 1])
            let page1 = try await api.get("metrics/get-history?run_uuid=\(id)&run_id=\(id)&metric_key=loss&max_results=1")
            #expect(page1.json.list("metrics").count == 1)
            let token = try #require(page1.json.str("next_page_token"))
            let page2 = try await api.get("metrics/get-history?run_id=\(id)&metric_key=loss&max_results=1&page_token=\(token)")
            #expect(page2.json.list("metrics").map { $0.int("step") } == [1] && !page2.json.has("next_page_token"))
            let none = try await api.get("metrics/get-history?run_id=\(id)&metric_key=nope")
            #expect(none.status == 200 && none.text == "{}")
            let noKey = try await api.get("metrics/get-history?run_id=\(id)")
            #expect(noKey.status == 400 && noKey.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func logBatchLimits() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let id = try await Self.makeRun(api)
            let metrics = (0 ..< 1001).map { #"{"key":"m\#($0)","value":1,"timestamp":1}"# }.joined(separator: ",")
            let tooMany = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","metrics":[\#(metrics)]}"#)
            #expect(tooMany.status == 400 && tooMany.errorCode == "INVALID_PARAMETER_VALUE" && tooMany.text.contains("1000"))
            let params = (0 ..< 101).map { #"{"key":"p\#($0)","value":"1"}"# }.joined(separator: ",")
            let tooManyParams = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","params":[\#(params)]}"#)
            #expect(tooManyParams.status == 400 && tooManyParams.errorCode == "INVALID_PARAMETER_VALUE")
            let dupParams = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","params":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}"#)
            #expect(dupParams.status == 400 && dupParams.errorCode == "INVALID_PARAMETER_VALUE")
            // A body over 1 MB is accepted as MLflow's server accepts it; the tag value is cut to 8000 characters.
            let huge = String(repeating: "x", count: 1_000_001)
            let big = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","tags":[{"key":"t","value":"\#(huge)"}]}"#)
            #expect(big.status == 200)
            #expect(try fx.store.getRun(id: id).data.tag("t")?.count == 8000)
            let notList = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","metrics":{"key":"a"}}"#)
            #expect(notList.status == 400 && notList.errorCode == "INVALID_PARAMETER_VALUE")
            let badItem = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","metrics":[{"key":"a","value":1}]}"#)
            #expect(badItem.status == 400 && badItem.text.contains("metrics[0].timestamp"))
            // Nothing of the refused batches was written.
            let run = try fx.store.getRun(id: id)
            #expect(run.data.metrics.isEmpty && run.data.params.isEmpty)
        }
    }

    @Test func inputsAndOutputs() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let id = try await Self.makeRun(api)
            let body = #"""
                {"run_id":"\#(id)","datasets":[{"tags":[{"key":"mlflow.data.context","value":"training"}],
                 "dataset":{"name":"train","digest":"abc123","source_type":"local","source":"{\"uri\": \"/tmp/t.csv\"}",
                 "schema":"{\"mlflow_colspec\": []}","profile":"{\"num_rows\": 2}"}}],"models":[{"model_id":"m-1"}]}
                """#
            #expect(try await api.post("runs/log-inputs", body).text == "{}")
            let inputs = try await api.get("runs/get?run_id=\(id)").json.obj("run").obj("inputs").list("dataset_inputs")
            #expect(inputs.count == 1)
            let ds = inputs.first?.obj("dataset") ?? [:]
            #expect(ds.str("name") == "train" && ds.str("digest") == "abc123" && ds.str("source_type") == "local")
            #expect(ds.str("source") == #"{"uri": "/tmp/t.csv"}"# && ds.str("profile") == #"{"num_rows": 2}"#)
            #expect(inputs.first?.pairs("tags") == ["mlflow.data.context": "training"])
            let noSource = try await api.post("runs/log-inputs", #"{"run_id":"\#(id)","datasets":[{"dataset":{"name":"a","digest":"b","source_type":"c"}}]}"#)
            #expect(noSource.status == 400 && noSource.errorCode == "INVALID_PARAMETER_VALUE" && noSource.text.contains("datasets[0].dataset.source"))
            #expect(try await api.post("runs/outputs", #"{"run_id":"\#(id)","models":[{"model_id":"m-1","step":0}]}"#).text == "{}")
            let unknown = try await api.post("runs/outputs", #"{"run_id":"nope","models":[]}"#)
            #expect(unknown.status == 404 && unknown.errorCode == "RESOURCE_DOES_NOT_EXIST")
            let models = try await api.post("logged-models/search", #"{"experiment_ids":["1"],"filter":"name = 'model'"}"#)
            #expect(models.status == 200 && models.text == "{}")
        }
    }

    @Test func searchRunsFiltersOrdersAndPages() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            var ids: [String] = []
            for (i, acc) in [0.7, 0.9, 0.8].enumerated() {
                let id = try await Self.makeRun(api, name: "r\(i)")
                _ = try await api.post("runs/log-batch", #"{"run_id":"\#(id)","metrics":[{"key":"acc","value":\#(acc),"timestamp":1}],"params":[{"key":"opt","value":"\#(i == 0 ? "adam" : "sgd")"}]}"#)
                ids.append(id)
            }
            let hits = try await api.post("runs/search",
                #"{"experiment_ids":["1"],"filter":"metrics.acc > 0.75 and params.opt = 'sgd'","order_by":["metrics.acc DESC"],"run_view_type":"ACTIVE_ONLY","max_results":10000}"#)
            #expect(hits.json.list("runs").map { $0.obj("info").str("run_id") } == [ids[1], ids[2]])
            let p1 = try await api.post("runs/search", #"{"experiment_ids":["1"],"order_by":["attributes.run_name ASC"],"max_results":2}"#)
            #expect(p1.json.list("runs").map { $0.obj("info").str("run_name") } == ["r0", "r1"])
            let token = try #require(p1.json.str("next_page_token"))
            let p2 = try await api.post("runs/search", #"{"experiment_ids":["1"],"order_by":["attributes.run_name ASC"],"max_results":2,"page_token":"\#(token)"}"#)
            #expect(p2.json.list("runs").map { $0.obj("info").str("run_name") } == ["r2"] && !p2.json.has("next_page_token"))
            let empty = try await api.post("runs/search", #"{"experiment_ids":["1"],"filter":"tags.nosuch != 'y'"}"#)
            #expect(empty.status == 200 && empty.text == "{}")
            for bad in [#"metrics.acc >>> 1"#, #"params.a = '1' OR params.b = '2'"#, #"params.opt = 1"#] {
                let r = try await api.post("runs/search", #"{"experiment_ids":["1"],"filter":"\#(bad)"}"#)
                #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE", "\(bad): \(r.text)")
            }
            let badOrder = try await api.post("runs/search", #"{"experiment_ids":["1"],"order_by":["metrics.acc SIDEWAYS"]}"#)
            #expect(badOrder.status == 400 && badOrder.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }
}
