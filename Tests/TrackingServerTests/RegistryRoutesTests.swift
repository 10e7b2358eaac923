import Foundation
import Registry
import Testing
import Tracking
import TrackingServer

/// A tracking server with the SQLite registry on the same file, a fixed clock, driven in-process.
struct RegistryFixture {
    let tracking: SQLiteTrackingStore
    let registry: SQLiteRegistryStore
    let server: TrackingServer

    static let now: Int64 = 1_700_000_000_000

    static func make(downloadURI: (@Sendable (ModelVersion) async throws -> String)? = nil) throws -> RegistryFixture {
        let dir = try TestPaths.tempDir("tsrv-reg")
        let tracking = try SQLiteTrackingStore(path: dir.appendingPathComponent("mltrack.db").path,
                                               artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot,
                                               actor: "tester", clock: { now })
        let registry = try SQLiteRegistryStore(tracking: tracking)
        let routes = downloadURI.map { RegistryRoutes(store: registry, downloadURI: $0) } ?? RegistryRoutes(store: registry)
        let server = TrackingServer(store: tracking, configuration: .init(port: 0, logRequests: false), registryRoutes: routes)
        return RegistryFixture(tracking: tracking, registry: registry, server: server)
    }

    func test(_ body: @escaping @Sendable (API) async throws -> Void) async throws {
        try await server.makeApplication().test(.router) { client in try await body(API(client: client)) }
    }
}

/// `path?k=v&…` with the values percent-encoded (repeated keys allowed).
func query(_ path: String, _ items: [(String, String)]) -> String {
    var c = URLComponents()
    c.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
    let q = (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    return q.isEmpty ? path : "\(path)?\(q)"
}

/// Every registry endpoint of reference 2.2 in-process, asserting the exact JSON (shapes checked
/// against a real mlflow 3.17.2 server) and each error's code, status and message.
@Suite struct RegistryRoutesTests {
    static let t = RegistryFixture.now
    static let source = "mlflow-artifacts:/1/r1/artifacts/model"

    static func versionJSON(_ version: Int, stage: String = "None", description: String = "", runId: String = "r1",
                            extra: String = "", runLink: String = "", aliases: String = "", modelId: String = "") -> String {
        "{\"name\":\"churn\",\"version\":\"\(version)\",\"creation_timestamp\":\(t),\"last_updated_timestamp\":\(t),"
            + "\"current_stage\":\"\(stage)\",\"description\":\"\(description)\",\"source\":\"\(source)\",\"run_id\":\"\(runId)\","
            + "\"status\":\"READY\"\(extra),\"run_link\":\"\(runLink)\"\(aliases)\(modelId)}"
    }

    static func error(_ code: String, _ message: String) -> String {
        "{\"error_code\":\"\(code)\",\"message\":\"\(message)\"}"
    }

    static let missingName = error("INVALID_PARAMETER_VALUE",
                                   "Missing value for required parameter 'name'. See the API docs for more information about request parameters.")

    /// churn with versions 1, 2 (run r1).
    static func seed(_ api: API) async throws {
        #expect(try await api.post("registered-models/create", #"{"name": "churn"}"#).status == 200)
        for _ in 1...2 {
            #expect(try await api.post("model-versions/create", #"{"name": "churn", "source": "\#(source)", "run_id": "r1"}"#).status == 200)
        }
    }

    @Test func createGetAndDuplicateModel() async throws {
        try await RegistryFixture.make().test { api in
            let created = try await api.post("registered-models/create",
                                             #"{"name": "churn", "tags": [{"key": "team", "value": "ml"}], "description": "monthly"}"#)
            let model = "{\"name\":\"churn\",\"creation_timestamp\":\(Self.t),\"last_updated_timestamp\":\(Self.t),\"description\":\"monthly\",\"tags\":[{\"key\":\"team\",\"value\":\"ml\"}]}"
            #expect(created.status == 200 && created.text == "{\"registered_model\":\(model)}", "\(created.text)")
            #expect(created.contentType == "application/json")
            let got = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(got.status == 200 && got.text == created.text)
            let ajax = try await api.call(.get, query("registered-models/get", [("name", "churn")]), prefix: "/ajax-api/2.0/mlflow/")
            #expect(ajax.status == 200 && ajax.text == created.text)
            let bare = try await api.post("registered-models/create", #"{"name": "bare"}"#)
            #expect(bare.text == "{\"registered_model\":{\"name\":\"bare\",\"creation_timestamp\":\(Self.t),\"last_updated_timestamp\":\(Self.t)}}")

            let dup = try await api.post("registered-models/create", #"{"name": "churn"}"#)
            #expect(dup.status == 400 && dup.text == Self.error("RESOURCE_ALREADY_EXISTS", "Registered Model (name=churn) already exists."))
            let missing = try await api.post("registered-models/create", "{}")
            #expect(missing.status == 400 && missing.text == Self.missingName)
            let unknown = try await api.get(query("registered-models/get", [("name", "nope")]))
            #expect(unknown.status == 404 && unknown.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Registered Model with name=nope not found"))
            let badName = try await api.post("registered-models/create", #"{"name": "a/b"}"#)
            #expect(badName.status == 400 && badName.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func renameUpdateDeleteModel() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            _ = try await api.post("registered-models/create", #"{"name": "other"}"#)
            let renamed = try await api.post("registered-models/rename", #"{"name": "other", "new_name": "renamed"}"#)
            #expect(renamed.status == 200 && renamed.json.obj("registered_model").str("name") == "renamed")
            let clash = try await api.post("registered-models/rename", #"{"name": "renamed", "new_name": "churn"}"#)
            #expect(clash.status == 400 && clash.errorCode == "RESOURCE_ALREADY_EXISTS")
            let noNewName = try await api.post("registered-models/rename", #"{"name": "renamed"}"#)
            #expect(noNewName.status == 400 && noNewName.json.str("message")?.contains("'new_name'") == true)

            let updated = try await api.call(.patch, "registered-models/update", json: #"{"name": "renamed", "description": "new"}"#)
            #expect(updated.text == "{\"registered_model\":{\"name\":\"renamed\",\"creation_timestamp\":\(Self.t),\"last_updated_timestamp\":\(Self.t),\"description\":\"new\"}}")
            #expect(try await api.post("registered-models/update", #"{"name": "renamed"}"#).status != 200)   // PATCH only

            let deleted = try await api.call(.delete, "registered-models/delete", json: #"{"name": "churn"}"#)
            #expect(deleted.status == 200 && deleted.text == "{}")
            #expect(try await api.get(query("model-versions/get", [("name", "churn"), ("version", "1")])).status == 404)
            let again = try await api.call(.delete, "registered-models/delete", json: #"{"name": "churn"}"#)
            #expect(again.status == 404 && again.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Registered Model with name=churn not found"))
        }
    }

    @Test func modelTags() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            #expect(try await api.post("registered-models/set-tag", #"{"name": "churn", "key": "b", "value": "2"}"#).text == "{}")
            #expect(try await api.post("registered-models/set-tag", #"{"name": "churn", "key": "a", "value": "1"}"#).text == "{}")
            let got = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(got.json.obj("registered_model").pairs("tags") == ["a": "1", "b": "2"])
            #expect(got.text.contains(#""tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}]"#))
            #expect(try await api.call(.delete, "registered-models/delete-tag", json: #"{"name": "churn", "key": "a"}"#).text == "{}")
            // A tag that is not set: {} as MLflow; an unknown model: 404.
            #expect(try await api.call(.delete, "registered-models/delete-tag", json: #"{"name": "churn", "key": "zz"}"#).text == "{}")
            #expect(try await api.call(.delete, "registered-models/delete-tag", json: #"{"name": "nope", "key": "a"}"#).status == 404)
            let noKey = try await api.post("registered-models/set-tag", #"{"name": "churn"}"#)
            #expect(noKey.status == 400 && noKey.json.str("message")?.contains("'key'") == true)
            let after = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(after.json.obj("registered_model").pairs("tags") == ["b": "2"])
        }
    }

    @Test func createAndGetVersions() async throws {
        try await RegistryFixture.make().test { api in
            _ = try await api.post("registered-models/create", #"{"name": "churn"}"#)
            let v1 = try await api.post("model-versions/create", #"{"name": "churn", "source": "\#(Self.source)", "run_id": "r1"}"#)
            #expect(v1.status == 200 && v1.text == "{\"model_version\":\(Self.versionJSON(1))}", "\(v1.text)")
            let v2 = try await api.post("model-versions/create", #"""
                {"name": "churn", "source": "\#(Self.source)", "run_id": "r1", "run_link": "http://ci/2", "description": "two",
                 "tags": [{"key": "k", "value": "v"}], "model_id": "m-0123abcd"}
                """#)
            let v2JSON = Self.versionJSON(2, description: "two", extra: #","tags":[{"key":"k","value":"v"}]"#, runLink: "http://ci/2",
                                          modelId: #","model_id":"m-0123abcd""#)
            #expect(v2.text == "{\"model_version\":\(v2JSON)}", "\(v2.text)")
            let noRun = try await api.post("model-versions/create", #"{"name": "churn", "source": "\#(Self.source)"}"#)
            #expect(noRun.text == "{\"model_version\":\(Self.versionJSON(3, runId: ""))}", "\(noRun.text)")

            let got = try await api.get(query("model-versions/get", [("name", "churn"), ("version", "2")]))
            #expect(got.text == v2.text)
            let unknown = try await api.get(query("model-versions/get", [("name", "churn"), ("version", "9")]))
            #expect(unknown.status == 404 && unknown.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Model Version (name=churn, version=9) not found"))
            let notNumber = try await api.get(query("model-versions/get", [("name", "churn"), ("version", "abc")]))
            #expect(notNumber.status == 400 && notNumber.text == Self.error("INVALID_PARAMETER_VALUE", "Parameter 'version' must be an integer, got 'abc'."))
            let noModel = try await api.post("model-versions/create", #"{"name": "nope", "source": "s3://b/m"}"#)
            #expect(noModel.status == 404 && noModel.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Registered Model with name=nope not found"))
            let noSource = try await api.post("model-versions/create", #"{"name": "churn"}"#)
            #expect(noSource.status == 400 && noSource.text == Self.error("INVALID_PARAMETER_VALUE",
                                                                          "Missing value for required parameter 'source'. See the API docs for more information about request parameters."))
        }
    }

    @Test func updateDeleteAndTagVersions() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            let updated = try await api.call(.patch, "model-versions/update", json: #"{"name": "churn", "version": "1", "description": "new"}"#)
            #expect(updated.text == "{\"model_version\":\(Self.versionJSON(1, description: "new"))}")
            let unchanged = try await api.call(.patch, "model-versions/update", json: #"{"name": "churn", "version": "1"}"#)
            #expect(unchanged.text == updated.text)
            #expect(try await api.post("model-versions/set-tag", #"{"name": "churn", "version": "1", "key": "q", "value": "good"}"#).text == "{}")
            let tagged = try await api.get(query("model-versions/get", [("name", "churn"), ("version", "1")]))
            #expect(tagged.text == "{\"model_version\":\(Self.versionJSON(1, description: "new", extra: #","tags":[{"key":"q","value":"good"}]"#))}")
            #expect(try await api.call(.delete, "model-versions/delete-tag", json: #"{"name": "churn", "version": "1", "key": "q"}"#).text == "{}")
            #expect(try await api.call(.delete, "model-versions/delete-tag", json: #"{"name": "churn", "version": "1", "key": "q"}"#).text == "{}")
            #expect(try await api.call(.delete, "model-versions/delete-tag", json: #"{"name": "churn", "version": "7", "key": "q"}"#).status == 404)
            #expect(try await api.get(query("model-versions/get", [("name", "churn"), ("version", "1")])).text == updated.text)

            #expect(try await api.call(.delete, "model-versions/delete", json: #"{"name": "churn", "version": "2"}"#).text == "{}")
            let gone = try await api.call(.delete, "model-versions/delete", json: #"{"name": "churn", "version": "2"}"#)
            #expect(gone.status == 404 && gone.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Model Version (name=churn, version=2) not found"))
            let next = try await api.post("model-versions/create", #"{"name": "churn", "source": "\#(Self.source)", "run_id": "r1"}"#)
            #expect(next.json.obj("model_version").str("version") == "3")   // numbers are never reused
        }
    }

    @Test func stagesAndLatestVersions() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            _ = try await api.post("model-versions/create", #"{"name": "churn", "source": "\#(Self.source)", "run_id": "r1"}"#)
            let staged = try await api.post("model-versions/transition-stage",
                                            #"{"name": "churn", "version": "1", "stage": "staging", "archive_existing_versions": false}"#)
            #expect(staged.text == "{\"model_version\":\(Self.versionJSON(1, stage: "Staging"))}", "\(staged.text)")
            let archiving = try await api.post("model-versions/transition-stage",
                                               #"{"name": "churn", "version": "2", "stage": "STAGING", "archive_existing_versions": true}"#)
            #expect(archiving.json.obj("model_version").str("current_stage") == "Staging")
            let v1 = try await api.get(query("model-versions/get", [("name", "churn"), ("version", "1")]))
            #expect(v1.json.obj("model_version").str("current_stage") == "Archived")
            let bad = try await api.post("model-versions/transition-stage", #"{"name": "churn", "version": "2", "stage": "bogus"}"#)
            #expect(bad.status == 400 && bad.text == Self.error("INVALID_PARAMETER_VALUE",
                                                                "Invalid Model Version stage: bogus. Value must be one of None, Staging, Production, Archived."))
            let noStage = try await api.post("model-versions/transition-stage", #"{"name": "churn", "version": "2"}"#)
            #expect(noStage.status == 400 && noStage.json.str("message")?.contains("'stage'") == true)
            // Archiving from a non-active stage: 400 here (MLflow answers 500, which its client retries).
            let archiveNone = try await api.post("model-versions/transition-stage",
                                                 #"{"name": "churn", "version": "2", "stage": "None", "archive_existing_versions": true}"#)
            #expect(archiveNone.status == 400 && archiveNone.errorCode == "INVALID_PARAMETER_VALUE")

            // Per stage the highest version, in stage order (None, Staging, Production, Archived).
            let latest = try await api.post("registered-models/get-latest-versions", #"{"name": "churn"}"#)
            #expect(latest.text == "{\"model_versions\":[\(Self.versionJSON(3)),\(Self.versionJSON(2, stage: "Staging")),\(Self.versionJSON(1, stage: "Archived"))]}",
                    "\(latest.text)")
            let staging = try await api.get(query("registered-models/get-latest-versions", [("name", "churn"), ("stages", "staging"), ("stages", "Production")]))
            #expect(staging.text == "{\"model_versions\":[\(Self.versionJSON(2, stage: "Staging"))]}")
            let none = try await api.post("registered-models/get-latest-versions", #"{"name": "churn", "stages": ["Production"]}"#)
            #expect(none.status == 200 && none.text == "{}")
            let badStage = try await api.post("registered-models/get-latest-versions", #"{"name": "churn", "stages": ["bogus"]}"#)
            #expect(badStage.status == 400 && badStage.errorCode == "INVALID_PARAMETER_VALUE")
            let unknown = try await api.post("registered-models/get-latest-versions", #"{"name": "nope"}"#)
            #expect(unknown.status == 404 && unknown.errorCode == "RESOURCE_DOES_NOT_EXIST")

            // The model lists the same latest versions, without aliases.
            _ = try await api.post("registered-models/alias", #"{"name": "churn", "alias": "champion", "version": "3"}"#)
            let model = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(model.text == "{\"registered_model\":{\"name\":\"churn\",\"creation_timestamp\":\(Self.t),\"last_updated_timestamp\":\(Self.t),"
                        + "\"latest_versions\":[\(Self.versionJSON(3)),\(Self.versionJSON(2, stage: "Staging")),\(Self.versionJSON(1, stage: "Archived"))],"
                        + "\"aliases\":[{\"alias\":\"champion\",\"version\":\"3\"}]}}", "\(model.text)")
        }
    }

    @Test func aliases() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            #expect(try await api.post("registered-models/alias", #"{"name": "churn", "alias": "champion", "version": "1"}"#).text == "{}")
            #expect(try await api.post("registered-models/alias", #"{"name": "churn", "alias": "shadow", "version": "1"}"#).text == "{}")
            let byAlias = try await api.get(query("registered-models/alias", [("name", "churn"), ("alias", "champion")]))
            #expect(byAlias.text == "{\"model_version\":\(Self.versionJSON(1, aliases: #","aliases":["champion","shadow"]"#))}", "\(byAlias.text)")
            #expect(try await api.post("registered-models/alias", #"{"name": "churn", "alias": "champion", "version": "2"}"#).text == "{}")
            let model = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(model.text.hasSuffix(#""aliases":[{"alias":"champion","version":"2"},{"alias":"shadow","version":"1"}]}}"#), "\(model.text)")
            #expect(try await api.call(.delete, "registered-models/alias", json: #"{"name": "churn", "alias": "shadow"}"#).text == "{}")
            #expect(try await api.call(.delete, "registered-models/alias", json: #"{"name": "churn", "alias": "shadow"}"#).text == "{}")

            let unknown = try await api.get(query("registered-models/alias", [("name", "churn"), ("alias", "nope")]))
            #expect(unknown.status == 400 && unknown.text == Self.error("INVALID_PARAMETER_VALUE", "Registered model alias nope not found."))
            let unknownModel = try await api.get(query("registered-models/alias", [("name", "nope"), ("alias", "champion")]))
            #expect(unknownModel.status == 404 && unknownModel.errorCode == "RESOURCE_DOES_NOT_EXIST")
            for reserved in ["latest", "LATEST", "v1", "V12"] {
                let r = try await api.post("registered-models/alias", #"{"name": "churn", "alias": "\#(reserved)", "version": "1"}"#)
                #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE" && r.json.str("message")?.contains("reserved") == true, "\(reserved): \(r.text)")
            }
            let badChars = try await api.post("registered-models/alias", #"{"name": "churn", "alias": "a b", "version": "1"}"#)
            #expect(badChars.status == 400 && badChars.errorCode == "INVALID_PARAMETER_VALUE")
            let noVersion = try await api.post("registered-models/alias", #"{"name": "churn", "alias": "x", "version": "9"}"#)
            #expect(noVersion.status == 404 && noVersion.text == Self.error("RESOURCE_DOES_NOT_EXIST", "Model Version (name=churn, version=9) not found"))
            let missing = try await api.post("registered-models/alias", #"{"name": "churn", "alias": "x"}"#)
            #expect(missing.status == 400 && missing.json.str("message")?.contains("'version'") == true)
            // Deleting a version drops its aliases.
            _ = try await api.call(.delete, "model-versions/delete", json: #"{"name": "churn", "version": "2"}"#)
            let after = try await api.get(query("registered-models/get", [("name", "churn")]))
            #expect(!after.json.obj("registered_model").has("aliases"))
        }
    }

    @Test func searchModels() async throws {
        try await RegistryFixture.make().test { api in
            for name in ["b-model", "a-model", "c-other"] { _ = try await api.post("registered-models/create", #"{"name": "\#(name)"}"#) }
            _ = try await api.post("registered-models/set-tag", #"{"name": "a-model", "key": "team", "value": "ml"}"#)
            _ = try await api.post("registered-models/create", #"{"name": "a-prompt", "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]}"#)
            func names(_ items: [(String, String)]) async throws -> ([String], String?) {
                let r = try await api.get(query("registered-models/search", items))
                #expect(r.status == 200, "\(r.text)")
                return (r.json.list("registered_models").compactMap { $0.str("name") }, r.json.str("next_page_token"))
            }
            #expect(try await names([]).0 == ["a-model", "b-model", "c-other"])
            // What the client sends: the user's filter AND the prompt exclusion.
            #expect(try await names([("filter", "name LIKE '%-model' AND tag.`mlflow.prompt.is_prompt` != 'true'")]).0 == ["a-model", "b-model"])
            #expect(try await names([("filter", "tags.team = 'ml'")]).0 == ["a-model"])
            #expect(try await names([("filter", "tags.team != 'x'")]).0 == ["a-model"])   // models without the tag do not match
            #expect(try await names([("filter", "tags.`mlflow.prompt.is_prompt` = 'true'")]).0 == ["a-prompt"])
            #expect(try await names([("filter", "name IN ('c-other', 'b-model')")]).0 == ["b-model", "c-other"])
            #expect(try await names([("order_by", "name DESC")]).0 == ["c-other", "b-model", "a-model"])
            let (page1, token1) = try await names([("max_results", "2")])
            #expect(page1 == ["a-model", "b-model"] && token1 == "eyJvZmZzZXQiOiAyfQ==")   // base64 of {"offset": 2}, as MLflow
            let (page2, token2) = try await names([("max_results", "2"), ("page_token", token1 ?? "")])
            #expect(page2 == ["c-other"] && token2 == nil)
            let emptyResult = try await api.get(query("registered-models/search", [("filter", "name = 'nope'")]))
            #expect(emptyResult.status == 200 && emptyResult.text == "{}")

            let tooMany = try await api.get(query("registered-models/search", [("max_results", "5000")]))
            #expect(tooMany.status == 400 && tooMany.text == Self.error("INVALID_PARAMETER_VALUE",
                                                                        "Invalid value 5000 for parameter 'max_results': it must be between 1 and 1000."))
            let badToken = try await api.get(query("registered-models/search", [("page_token", "garbage")]))
            #expect(badToken.status == 400 && badToken.text == Self.error("INVALID_PARAMETER_VALUE", "Invalid page token 'garbage'."))
            let or = try await api.get(query("registered-models/search", [("filter", "name = 'a' OR name = 'b'")]))
            #expect(or.status == 400 && or.errorCode == "INVALID_PARAMETER_VALUE" && or.json.str("message")?.contains("OR") == true)
            let badOrder = try await api.get(query("registered-models/search", [("order_by", "bogus")]))
            #expect(badOrder.status == 400 && badOrder.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func searchVersions() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            _ = try await api.post("registered-models/create", #"{"name": "other"}"#)
            _ = try await api.post("model-versions/create", #"{"name": "other", "source": "s3://b/m", "run_id": "r2"}"#)
            func versions(_ items: [(String, String)]) async throws -> ([String], String?) {
                let r = try await api.get(query("model-versions/search", items))
                #expect(r.status == 200, "\(r.text)")
                return (r.json.list("model_versions").map { "\($0.str("name") ?? "")/\($0.str("version") ?? "")" }, r.json.str("next_page_token"))
            }
            // Default order: last_updated_timestamp DESC (all equal here), name, version_number DESC.
            #expect(try await versions([]).0 == ["churn/2", "churn/1", "other/1"])
            #expect(try await versions([("filter", "name = 'churn'")]).0 == ["churn/2", "churn/1"])
            #expect(try await versions([("filter", "run_id = 'r2'")]).0 == ["other/1"])
            #expect(try await versions([("filter", "run_id IN ('r1', 'r2')"), ("order_by", "version_number ASC"), ("order_by", "name ASC")]).0
                    == ["churn/1", "other/1", "churn/2"])
            let (page1, token) = try await versions([("max_results", "2")])
            #expect(page1 == ["churn/2", "churn/1"] && token != nil)
            let (page2, token2) = try await versions([("max_results", "2"), ("page_token", token ?? "")])
            #expect(page2 == ["other/1"] && token2 == nil)
            let full = try await api.get(query("model-versions/search", [("filter", "name = 'churn'"), ("max_results", "1")]))
            #expect(full.text == "{\"model_versions\":[\(Self.versionJSON(2))],\"next_page_token\":\"eyJvZmZzZXQiOiAxfQ==\"}", "\(full.text)")
            #expect(try await api.get(query("model-versions/search", [("filter", "name = 'nope'")])).text == "{}")
            let tooMany = try await api.get(query("model-versions/search", [("max_results", "200001")]))
            #expect(tooMany.status == 400 && tooMany.errorCode == "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func downloadURIIsTheSourceOrTheSeam() async throws {
        try await RegistryFixture.make().test { api in
            try await Self.seed(api)
            let uri = try await api.get(query("model-versions/get-download-uri", [("name", "churn"), ("version", "1")]))
            #expect(uri.status == 200 && uri.text == "{\"artifact_uri\":\"\(Self.source)\"}")
            let unknown = try await api.get(query("model-versions/get-download-uri", [("name", "churn"), ("version", "9")]))
            #expect(unknown.status == 404 && unknown.errorCode == "RESOURCE_DOES_NOT_EXIST")
        }
        let seam = try RegistryFixture.make(downloadURI: { v in
            v.source.hasPrefix("models:/m-") ? "mlflow-artifacts:/1/models/\(v.modelId ?? "")/artifacts" : v.source
        })
        try await seam.test { api in
            _ = try await api.post("registered-models/create", #"{"name": "churn"}"#)
            _ = try await api.post("model-versions/create", #"{"name": "churn", "source": "models:/m-00ff", "model_id": "m-00ff"}"#)
            let uri = try await api.get(query("model-versions/get-download-uri", [("name", "churn"), ("version", "1")]))
            #expect(uri.text == #"{"artifact_uri":"mlflow-artifacts:/1/models/m-00ff/artifacts"}"#)
        }
    }

    /// Concurrent requests (run on the thread-pool executor) allocate every version exactly once.
    @Test func concurrentVersionCreatesGetDistinctNumbers() async throws {
        try await RegistryFixture.make().test { api in
            _ = try await api.post("registered-models/create", #"{"name": "busy"}"#)
            let versions = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0 ..< 40 {
                    group.addTask {
                        let r = try await api.post("model-versions/create", #"{"name": "busy", "source": "s3://b/m"}"#)
                        _ = try await api.get(query("registered-models/get", [("name", "busy")]))
                        return r.json.obj("model_version").str("version")
                    }
                }
                var out: [String] = []
                for try await v in group { out.append(v ?? "?") }
                return out
            }
            #expect(Set(versions) == Set((1 ... 40).map(String.init)) && versions.count == 40, "\(versions.sorted())")
        }
    }

    @Test func withoutARegistryEveryEndpointIsNotFound() async throws {
        try await ServerFixture.make().test { api in
            for (path, methods) in RegistryRoutes.endpoints {
                for method in methods {
                    let r = try await api.call(method, path, json: method == .get ? nil : "{}")
                    #expect(r.status == 404 && r.text == Self.error("ENDPOINT_NOT_FOUND", "The model registry is not enabled on this server."),
                            "\(method) \(path): \(r.status) \(r.text)")
                }
            }
        }
    }

    @Test func everyEndpointAnswersUnderBothPrefixes() async throws {
        try await RegistryFixture.make().test { api in
            for (path, methods) in RegistryRoutes.endpoints {
                for method in methods {
                    for prefix in ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"] {
                        // An empty request: the route exists and answers MLflow's missing-field error
                        // (searches need no field: an empty result).
                        let r = try await api.call(method, path, json: method == .get ? nil : "{}", prefix: prefix)
                        if path.hasSuffix("/search") {
                            #expect(r.status == 200 && r.text == "{}", "\(method) \(prefix)\(path): \(r.text)")
                        } else {
                            #expect(r.status == 400 && r.errorCode == "INVALID_PARAMETER_VALUE", "\(method) \(prefix)\(path): \(r.text)")
                        }
                    }
                }
            }
        }
    }
}
