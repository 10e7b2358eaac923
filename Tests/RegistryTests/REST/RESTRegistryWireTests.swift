import Foundation
import Registry
import Testing
import Tracking

/// A transport answering from a script and recording what was sent (no network).
final class RegistryScriptedTransport: RESTTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [(Int, String)]
    private var log: [RESTRequest] = []

    init(_ answers: [(Int, String)]) { self.answers = answers }

    func send(_ request: RESTRequest) throws -> RESTResponse {
        lock.lock()
        defer { lock.unlock() }
        log.append(request)
        let (status, body) = answers.isEmpty ? (200, "{}") : answers.removeFirst()
        return RESTResponse(status: status, body: Data(body.utf8))
    }

    var sent: [RESTRequest] { lock.lock(); defer { lock.unlock() }; return log }

    /// `METHOD path?query` of each request, relative to the API prefix.
    var lines: [String] {
        sent.map { r in
            let path = r.url.path.replacingOccurrences(of: "/prefix/api/2.0/mlflow/", with: "")
            return "\(r.method) \(path)" + (r.url.query.map { "?\($0)" } ?? "")
        }
    }

    var bodies: [[String: Any]] {
        sent.map { r in (r.body.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:] }
    }
}

func scriptedRegistry(_ answers: [(Int, String)]) throws -> (RESTRegistryStore, RegistryScriptedTransport) {
    let t = RegistryScriptedTransport(answers)
    let client = try RESTClient(baseURL: "http://tracking.test:5000/prefix", transport: t, retry: RESTRetryPolicy(maxRetries: 0),
                                credentials: .none, sleep: { _ in }, random: { 0.5 })
    return (RESTRegistryStore(client: client), t)
}

/// ``RESTRegistryStore`` requests and answers against MLflow's registry shapes
/// (mlflow-compat.md §2, answers captured from mlflow 3.17.2), with a scripted transport.
@Suite struct RESTRegistryWireTests {
    /// `model-versions/create` as captured (reference §2.1), plus aliases and tags.
    static let capturedVersion = #"""
    {"model_version": {"name": "mltrack-demo", "version": "1", "creation_timestamp": 1795275026818,
     "last_updated_timestamp": 1795275026818, "current_stage": "None", "description": "",
     "source": "mlflow-artifacts:/1/9e12/artifacts/model", "run_id": "9e12", "status": "READY", "run_link": "",
     "aliases": ["shadow", "champion"], "tags": [{"key": "k", "value": "v"}]}}
    """#

    static let capturedModel = #"""
    {"registered_model": {"name": "m", "creation_timestamp": 1795315610405, "last_updated_timestamp": "1795315676378",
     "latest_versions": [
       {"name": "m", "version": "3", "creation_timestamp": 1, "last_updated_timestamp": 1, "current_stage": "None", "source": "s3://b/3", "run_id": "", "status": "READY"},
       {"name": "m", "version": "1", "creation_timestamp": 1, "last_updated_timestamp": 2, "current_stage": "Production", "source": "s3://b/1", "status": "READY"}],
     "tags": [{"key": "team", "value": "growth"}, {"key": "mltrack.promotion.000001.ab12", "value": "{}"}],
     "aliases": [{"alias": "champion", "version": "1"}]}}
    """#

    @Test func decodesVersionsAndModels() async throws {
        let (s, t) = try scriptedRegistry([(200, Self.capturedVersion), (200, Self.capturedModel)])
        let v = try await s.modelVersion(name: "mltrack-demo", version: 1)
        #expect(v == ModelVersion(name: "mltrack-demo", version: 1, creationTimestamp: 1795275026818, lastUpdatedTimestamp: 1795275026818,
                                  source: "mlflow-artifacts:/1/9e12/artifacts/model", runId: "9e12", tags: ["k": "v"],
                                  aliases: ["champion", "shadow"]))
        let m = try await s.registeredModel(name: "m")
        #expect(m.lastUpdatedTimestamp == 1795315676378 && m.aliases == ["champion": 1])
        // Promotion records are not tags to callers; latest versions come in stage order.
        #expect(m.tags == ["team": "growth"])
        #expect(m.latestVersions.map { "\($0.currentStage.rawValue):\($0.version)" } == ["None:3", "Production:1"])
        #expect(m.latestVersions.first?.runId == nil)
        #expect(t.lines == ["GET model-versions/get?name=mltrack-demo&version=1", "GET registered-models/get?name=m"])
    }

    @Test func writesAsThePythonClientDoes() async throws {
        let (s, t) = try scriptedRegistry([(200, "{}"), (200, "{}"), (200, Self.capturedVersion), (200, Self.capturedVersion)])
        try await s.setAlias(name: "m", alias: "champion", version: 3)
        try await s.deleteAlias(name: "m", alias: "champion")
        _ = try await s.updateModelVersion(name: "m", version: 3, description: "d")
        _ = try await s.transitionStage(name: "m", version: 3, stage: .production, archiveExistingVersions: true)
        #expect(t.sent.map(\.method) == ["POST", "DELETE", "PATCH", "POST"])
        #expect(t.lines.map { $0.split(separator: " ")[1] } == ["registered-models/alias", "registered-models/alias",
                                                                 "model-versions/update", "model-versions/transition-stage"])
        // Versions travel as strings; DELETE carries a JSON body; stages by canonical name.
        #expect(t.bodies[0] as? [String: String] == ["name": "m", "alias": "champion", "version": "3"])
        #expect(t.bodies[1] as? [String: String] == ["name": "m", "alias": "champion"])
        #expect(t.bodies[2] as? [String: String] == ["name": "m", "version": "3", "description": "d"])
        #expect(t.bodies[3]["stage"] as? String == "Production" && t.bodies[3]["archive_existing_versions"] as? Bool == true)
    }

    @Test func searchesSendCanonicalOrderAndPassTokens() async throws {
        let page = #"{"model_versions": [], "next_page_token": ""}"#
        let (s, t) = try scriptedRegistry([(200, page)])
        let r = try await s.searchModelVersions(filter: "name = 'a'", orderBy: ["timestamp desc", "version_number"], maxResults: 5, pageToken: "tok")
        #expect(r.items.isEmpty && r.nextPageToken == nil)
        let q = try #require(t.sent.first.flatMap { URLComponents(url: $0.url, resolvingAgainstBaseURL: false)?.queryItems })
        #expect(q.map { "\($0.name)=\($0.value ?? "")" } == ["max_results=5", "filter=name = 'a'", "order_by=last_updated_timestamp DESC",
                                                             "order_by=version_number ASC", "page_token=tok"])
    }

    @Test func badInputIsRefusedBeforeAnyRequest() async throws {
        let (s, t) = try scriptedRegistry([])
        await expectRegistryError(.invalidParameterValue, mentioning: ["OR"]) {
            try await s.searchRegisteredModels(filter: "name = 'a' OR name = 'b'", orderBy: [], maxResults: 10, pageToken: nil)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["max_results"]) {
            try await s.searchModelVersions(filter: nil, orderBy: [], maxResults: 0, pageToken: nil)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["v2"]) { try await s.setAlias(name: "m", alias: "v2", version: 1) }
        await expectRegistryError(.invalidParameterValue, mentioning: ["a/b"]) { try await s.createRegisteredModel(name: "a/b") }
        // MLflow's server would answer a 500 (retried by clients) for this one.
        await expectRegistryError(.invalidParameterValue, mentioning: ["Archived"]) {
            try await s.transitionStage(name: "m", version: 1, stage: .archived, archiveExistingVersions: true)
        }
        #expect(t.sent.isEmpty)
    }

    @Test func serverErrorsKeepTheirCode() async throws {
        let missing = #"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Registered Model with name=nope not found", "sqlstate": "KAM00"}"#
        let alias = #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Registered model alias nobody not found."}"#
        let (s, _) = try scriptedRegistry([(404, missing), (400, alias), (200, #"{"registered_model": {"name": "m"}}"#)])
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["nope"]) { try await s.registeredModel(name: "nope") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["models:/m@nobody", "nobody"]) { try await s.resolve(uri: "models:/m@nobody") }
        // A tag that is not there: MLflow's server would accept the delete; the store reads first.
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["team"]) { try await s.deleteRegisteredModelTag(name: "m", key: "team") }
    }

    @Test func resolveAsksForTheDownloadURI() async throws {
        let (s, t) = try scriptedRegistry([(200, Self.capturedVersion), (200, #"{"artifact_uri": "mlflow-artifacts:/2/models/m-1/artifacts"}"#)])
        let r = try await s.resolve(uri: "models:/mltrack-demo@champion")
        #expect(r.source == "mlflow-artifacts:/2/models/m-1/artifacts" && r.version?.version == 1)
        #expect(t.lines == ["GET registered-models/alias?name=mltrack-demo&alias=champion",
                            "GET model-versions/get-download-uri?name=mltrack-demo&version=1"])
    }

    @Test func promotionIsRecordedAsATagAfterTheAliasMoves() async throws {
        let model = #"{"registered_model": {"name": "m", "aliases": [{"alias": "champion", "version": "1"}], "tags": [{"key": "mltrack.promotion.000001.ff", "value": "{}"}]}}"#
        let (s, t) = try scriptedRegistry([(200, model), (200, Self.capturedVersion), (200, "{}"), (200, "{}")])
        let gate = GateResult(name: "auc >= 0.5", kind: .threshold, metric: "auc", candidate: 0.7, min: 0.5, verdict: .pass, reason: "ok")
        let d = PromotionDecision(model: "m", version: 2, alias: "champion", previousHolder: 1, gates: [gate], forced: false,
                                  actor: "ci", timestamp: 5, policySource: nil)
        try await s.commitPromotion(d)
        #expect(t.lines.map { $0.split(separator: "?")[0] } == ["GET registered-models/get", "GET model-versions/get",
                                                                 "POST registered-models/alias", "POST registered-models/set-tag"])
        let tag = t.bodies[3]
        #expect((tag["key"] as? String)?.hasPrefix("mltrack.promotion.000002.") == true)
        let stored = try JSONDecoder().decode(PromotionDecision.self, from: Data(try #require(tag["value"] as? String).utf8))
        #expect(stored == d)

        // A stale holder changes nothing.
        let (s2, t2) = try scriptedRegistry([(200, model)])
        let stale = PromotionDecision(model: "m", version: 2, alias: "champion", previousHolder: nil, gates: [gate], forced: false,
                                      actor: "ci", timestamp: 6, policySource: nil)
        await expectRegistryError(.invalidState, mentioning: ["champion", "version 1"]) { try await s2.commitPromotion(stale) }
        #expect(t2.lines.map { $0.split(separator: "?")[0] } == ["GET registered-models/get"])
    }
}
