import Testing
import Tracking
import TrackingServer

/// The experiment endpoints in-process: each happy path with MLflow's response shape, and the
/// error codes and statuses the client branches on.
@Suite struct ExperimentRoutesTests {
    @Test func createGetAndGetByName() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            let created = try await api.post("experiments/create", #"{"name":"churn","tags":[{"key":"team","value":"ml"}]}"#)
            #expect(created.status == 200)
            #expect(created.json.str("experiment_id") == "1")
            #expect(created.contentType == "application/json")
            let got = try await api.get("experiments/get?experiment_id=1")
            let e = got.json.obj("experiment")
            #expect(e.str("name") == "churn")
            #expect(e.str("artifact_location") == "mlflow-artifacts:/1")
            #expect(e.str("lifecycle_stage") == "active")
            #expect(e.int("creation_time") == 1_700_000_000_000 && e.int("last_update_time") == 1_700_000_000_000)
            #expect(e.pairs("tags") == ["team": "ml"])
            let byName = try await api.get("experiments/get-by-name?experiment_name=churn")
            #expect(byName.json.obj("experiment").str("experiment_id") == "1")
            // The Default experiment exists, with the proxied location.
            let def = try await api.get("experiments/get?experiment_id=0")
            #expect(def.json.obj("experiment").str("name") == "Default")
            #expect(def.json.obj("experiment").str("artifact_location") == "mlflow-artifacts:/0")
            // No tags: the field is omitted, not null or [].
            #expect(!def.json.obj("experiment").has("tags"))
            // Same handler under the UI prefix.
            let ajax = try await api.call(.get, "experiments/get?experiment_id=1", prefix: "/ajax-api/2.0/mlflow/")
            #expect(ajax.json.obj("experiment").str("name") == "churn")
        }
    }

    @Test func createErrors() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            _ = try await api.post("experiments/create", #"{"name":"churn"}"#)
            let dup = try await api.post("experiments/create", #"{"name":"churn"}"#)
            #expect(dup.status == 400 && dup.errorCode == "RESOURCE_ALREADY_EXISTS")
            let missing = try await api.post("experiments/create", #"{}"#)
            #expect(missing.status == 400 && missing.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(missing.json.str("message")?.contains("'name'") == true)
            let wrongType = try await api.post("experiments/create", #"{"name": 5}"#)
            #expect(wrongType.status == 400 && wrongType.errorCode == "INVALID_PARAMETER_VALUE")
            let unknown = try await api.get("experiments/get?experiment_id=42")
            #expect(unknown.status == 404 && unknown.errorCode == "RESOURCE_DOES_NOT_EXIST")
            let badId = try await api.get("experiments/get?experiment_id=abc")
            #expect(badId.status == 400 && badId.errorCode == "INVALID_PARAMETER_VALUE")
            let noName = try await api.get("experiments/get-by-name?experiment_name=nope")
            #expect(noName.status == 404 && noName.errorCode == "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func searchFiltersOrdersAndPages() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            for (name, team) in [("a-one", "x"), ("a-two", "y"), ("b-three", "x")] {
                _ = try await api.post("experiments/create", #"{"name":"\#(name)","tags":[{"key":"team","value":"\#(team)"}]}"#)
            }
            let filtered = try await api.post("experiments/search", #"{"filter":"tags.team = 'x'","order_by":["name DESC"],"max_results":10}"#)
            #expect(filtered.json.list("experiments").compactMap { $0["name"] as? String } == ["b-three", "a-one"])
            #expect(!filtered.json.has("next_page_token"))
            // GET with repeated keys reads the same message.
            let viaGet = try await api.get("experiments/search?filter=name+LIKE+%27a-%25%27&order_by=name+ASC")
            #expect(viaGet.json.list("experiments").compactMap { $0["name"] as? String } == ["a-one", "a-two"])
            let p1 = try await api.post("experiments/search", #"{"max_results":2,"order_by":["name ASC"]}"#)
            #expect(p1.json.list("experiments").compactMap { $0["name"] as? String } == ["Default", "a-one"])
            let token = try #require(p1.json.str("next_page_token"))
            let p2 = try await api.post("experiments/search", #"{"max_results":2,"order_by":["name ASC"],"page_token":"\#(token)"}"#)
            #expect(p2.json.list("experiments").compactMap { $0["name"] as? String } == ["a-two", "b-three"])
            #expect(!p2.json.has("next_page_token"))
            let bad = try await api.post("experiments/search", #"{"filter":"name = "}"#)
            #expect(bad.status == 400 && bad.errorCode == "INVALID_PARAMETER_VALUE")
            let badView = try await api.post("experiments/search", #"{"view_type":"SOME"}"#)
            #expect(badView.status == 400 && badView.errorCode == "INVALID_PARAMETER_VALUE")
            let badToken = try await api.post("experiments/search", #"{"page_token":"???"}"#)
            #expect(badToken.status == 400 && badToken.errorCode == "INVALID_PARAMETER_VALUE")
            let tooMany = try await api.post("experiments/search", #"{"max_results":50001}"#)
            #expect(tooMany.status == 400 && tooMany.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func updateDeleteRestoreAndTags() async throws {
        let fx = try ServerFixture.make()
        try await fx.test { api in
            _ = try await api.post("experiments/create", #"{"name":"churn"}"#)
            #expect(try await api.post("experiments/update", #"{"experiment_id":"1","new_name":"churn2"}"#).text == "{}")
            #expect(try fx.store.getExperiment(id: "1").name == "churn2")
            #expect(try await api.post("experiments/set-experiment-tag", #"{"experiment_id":"1","key":"k","value":"v"}"#).status == 200)
            #expect(try fx.store.getExperiment(id: "1").tag("k") == "v")
            #expect(try await api.post("experiments/delete-experiment-tag", #"{"experiment_id":"1","key":"k"}"#).status == 200)
            let noTag = try await api.post("experiments/delete-experiment-tag", #"{"experiment_id":"1","key":"k"}"#)
            #expect(noTag.status == 404 && noTag.errorCode == "RESOURCE_DOES_NOT_EXIST")
            let missingKey = try await api.post("experiments/set-experiment-tag", #"{"experiment_id":"1","value":"v"}"#)
            #expect(missingKey.status == 400 && missingKey.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(try await api.post("experiments/delete", #"{"experiment_id":"1"}"#).status == 200)
            #expect(try fx.store.getExperiment(id: "1").lifecycleStage == .deleted)
            let deleted = try await api.post("experiments/search", #"{"view_type":"DELETED_ONLY"}"#)
            #expect(deleted.json.list("experiments").compactMap { $0["experiment_id"] as? String } == ["1"])
            // Renaming a deleted experiment: the store's INVALID_STATE, answered 400 (never a retried 5xx).
            let rename = try await api.post("experiments/update", #"{"experiment_id":"1","new_name":"x"}"#)
            #expect(rename.status == 400 && rename.errorCode == "INVALID_STATE")
            #expect(try await api.post("experiments/restore", #"{"experiment_id":"1"}"#).status == 200)
            #expect(try fx.store.getExperiment(id: "1").lifecycleStage == .active)
            let again = try await api.post("experiments/restore", #"{"experiment_id":"1"}"#)
            #expect(again.status == 404 && again.errorCode == "RESOURCE_DOES_NOT_EXIST")
        }
    }
}
