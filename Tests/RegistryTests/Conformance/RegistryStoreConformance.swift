import Registry
import Testing
import Tracking

/// One behaviour every ``RegistryStore`` backend must show, run against a fresh, empty store.
struct RegistryConformanceCheck: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable (any RegistryStore) async throws -> Void
    var testDescription: String { name }
}

/// The registry conformance suite: the in-memory store runs it in `InMemoryRegistryStoreTests`;
/// a SQL store runs the same list with its own factory:
///
/// ```swift
/// @Test(arguments: RegistryStoreConformance.checks)
/// func sqlite(_ check: RegistryConformanceCheck) async throws { try await check.run(try makeSQLiteRegistry()) }
/// ```
/// Checks never assert exact timestamps (a backend may use the wall clock), only their order.
enum RegistryStoreConformance {
    static let checks: [RegistryConformanceCheck] = [
        .init(name: "registered models: create, get, duplicates, bad names", run: createAndGetModels),
        .init(name: "registered models: rename keeps versions and aliases", run: renameModel),
        .init(name: "registered models: update and delete (with versions)", run: updateAndDeleteModel),
        .init(name: "registered models: tags", run: modelTags),
        .init(name: "versions: numbered from 1, never reused", run: versionNumbering),
        .init(name: "versions: fields, update, tags", run: versionFields),
        .init(name: "aliases: set, move, lookup, reserved, dropped with the version", run: aliases),
        .init(name: "stages: transitions, archive_existing_versions, latest versions", run: stages),
        .init(name: "search: registered models and versions", run: search),
        .init(name: "search: ordering and paging", run: paging),
        .init(name: "resolve: models:/ URIs", run: resolve),
        .init(name: "promotion: commit moves the alias only if the holder is unchanged", run: promotionCommit),
        .init(name: "concurrency: 100 concurrent version creations get 1…100", run: concurrentVersions),
    ]

    static func createAndGetModels(_ s: any RegistryStore) async throws {
        let m = try await s.createRegisteredModel(name: "churn", description: "monthly churn", tags: ["team": "growth"])
        #expect(m.name == "churn" && m.description == "monthly churn" && m.tags == ["team": "growth"])
        #expect(m.aliases.isEmpty && m.latestVersions.isEmpty)
        #expect(m.lastUpdatedTimestamp >= m.creationTimestamp)
        let got = try await s.registeredModel(name: "churn")
        #expect(got == m)
        await expectRegistryError(.resourceAlreadyExists, mentioning: ["churn"]) { try await s.createRegisteredModel(name: "churn") }
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["nosuch"]) { try await s.registeredModel(name: "nosuch") }
        await expectRegistryError(.invalidParameterValue) { try await s.createRegisteredModel(name: "") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["a/b"]) { try await s.createRegisteredModel(name: "a/b") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["x@y"]) { try await s.createRegisteredModel(name: "x@y") }
        // Names are case-sensitive: "Churn" is another model.
        _ = try await s.createRegisteredModel(name: "Churn")
        #expect(try await s.searchRegisteredModels(filter: nil).map(\.name) == ["Churn", "churn"])
    }

    static func renameModel(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "old")
        _ = try await s.createModelVersion(name: "old", source: "file:///a/model", runId: "r1")
        _ = try await s.createModelVersion(name: "old", source: "file:///b/model", runId: "r2")
        try await s.setAlias(name: "old", alias: "champion", version: 2)
        _ = try await s.createRegisteredModel(name: "taken")
        await expectRegistryError(.resourceAlreadyExists, mentioning: ["taken"]) { try await s.renameRegisteredModel(name: "old", newName: "taken") }
        let m = try await s.renameRegisteredModel(name: "old", newName: "new")
        #expect(m.name == "new" && m.aliases == ["champion": 2])
        await expectRegistryError(.resourceDoesNotExist) { try await s.registeredModel(name: "old") }
        let v = try await s.modelVersion(name: "new", version: 2)
        #expect(v.name == "new" && v.source == "file:///b/model" && v.aliases == ["champion"])
        // Numbering continues after a rename.
        #expect(try await s.createModelVersion(name: "new", source: "file:///c/model").version == 3)
    }

    static func updateAndDeleteModel(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        let u = try await s.updateRegisteredModel(name: "m", description: "better words")
        #expect(u.description == "better words")
        _ = try await s.createModelVersion(name: "m", source: "file:///x/model")
        try await s.deleteRegisteredModel(name: "m")
        await expectRegistryError(.resourceDoesNotExist) { try await s.registeredModel(name: "m") }
        await expectRegistryError(.resourceDoesNotExist) { try await s.modelVersion(name: "m", version: 1) }
        #expect(try await s.searchModelVersions(filter: "name = 'm'").isEmpty)
        await expectRegistryError(.resourceDoesNotExist) { try await s.deleteRegisteredModel(name: "m") }
        // Re-created, numbering starts again at 1 (a new model).
        _ = try await s.createRegisteredModel(name: "m")
        #expect(try await s.createModelVersion(name: "m", source: "file:///y/model").version == 1)
    }

    static func modelTags(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        try await s.setRegisteredModelTag(name: "m", key: "team", value: "growth")
        try await s.setRegisteredModelTag(name: "m", key: "team", value: "retention")
        try await s.setRegisteredModelTag(name: "m", key: "mlflow.note", value: "")
        #expect(try await s.registeredModel(name: "m").tags == ["team": "retention", "mlflow.note": ""])
        try await s.deleteRegisteredModelTag(name: "m", key: "team")
        #expect(try await s.registeredModel(name: "m").tags == ["mlflow.note": ""])
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["team"]) { try await s.deleteRegisteredModelTag(name: "m", key: "team") }
        await expectRegistryError(.invalidParameterValue) { try await s.setRegisteredModelTag(name: "m", key: "", value: "x") }
        await expectRegistryError(.resourceDoesNotExist) { try await s.setRegisteredModelTag(name: "nosuch", key: "k", value: "v") }
    }

    static func versionNumbering(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "a")
        _ = try await s.createRegisteredModel(name: "b")
        var got: [Int] = []
        for i in 0..<3 { got.append(try await s.createModelVersion(name: "a", source: "file:///a/\(i)").version) }
        #expect(got == [1, 2, 3])
        #expect(try await s.createModelVersion(name: "b", source: "file:///b/0").version == 1)
        try await s.deleteModelVersion(name: "a", version: 3)
        #expect(try await s.createModelVersion(name: "a", source: "file:///a/3").version == 4)
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["3"]) { try await s.modelVersion(name: "a", version: 3) }
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["nosuch"]) { try await s.createModelVersion(name: "nosuch", source: "file:///x") }
        await expectRegistryError(.invalidParameterValue) { try await s.createModelVersion(name: "a", source: "") }
    }

    static func versionFields(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        let v = try await s.createModelVersion(name: "m", source: "mltrack-artifacts:/1/abc/artifacts/model", runId: "abc",
                                               description: "first", tags: ["k": "v"])
        #expect(v.name == "m" && v.version == 1 && v.source == "mltrack-artifacts:/1/abc/artifacts/model")
        #expect(v.runId == "abc" && v.status == .ready && v.currentStage == .none && v.description == "first")
        #expect(v.tags == ["k": "v"] && v.aliases.isEmpty && v.uri == "models:/m/1")
        let u = try await s.updateModelVersion(name: "m", version: 1, description: "second")
        #expect(u.description == "second" && u.lastUpdatedTimestamp >= v.lastUpdatedTimestamp)
        try await s.setModelVersionTag(name: "m", version: 1, key: "validated", value: "yes")
        try await s.deleteModelVersionTag(name: "m", version: 1, key: "k")
        #expect(try await s.modelVersion(name: "m", version: 1).tags == ["validated": "yes"])
        await expectRegistryError(.resourceDoesNotExist) { try await s.deleteModelVersionTag(name: "m", version: 1, key: "k") }
        await expectRegistryError(.resourceDoesNotExist) { try await s.setModelVersionTag(name: "m", version: 9, key: "k", value: "v") }
        // Registering a version updates the model's last-updated time.
        let model = try await s.registeredModel(name: "m")
        #expect(model.lastUpdatedTimestamp >= v.creationTimestamp)
    }

    static func aliases(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        for i in 1...3 { _ = try await s.createModelVersion(name: "m", source: "file:///\(i)") }
        try await s.setAlias(name: "m", alias: "champion", version: 1)
        try await s.setAlias(name: "m", alias: "challenger", version: 2)
        try await s.setAlias(name: "m", alias: "champion", version: 2)   // moves
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 2, "challenger": 2])
        #expect(try await s.modelVersion(name: "m", version: 1).aliases == [])
        #expect(try await s.modelVersion(name: "m", version: 2).aliases == ["challenger", "champion"])
        #expect(try await s.modelVersion(name: "m", alias: "champion").version == 2)
        await expectRegistryError(.invalidParameterValue, mentioning: ["nosuch"]) { try await s.modelVersion(name: "m", alias: "nosuch") }
        for reserved in ["latest", "LATEST", "v1", "V42"] {
            await expectRegistryError(.invalidParameterValue, mentioning: [reserved]) { try await s.setAlias(name: "m", alias: reserved, version: 1) }
        }
        await expectRegistryError(.invalidParameterValue) { try await s.setAlias(name: "m", alias: "has space", version: 1) }
        await expectRegistryError(.resourceDoesNotExist) { try await s.setAlias(name: "m", alias: "x", version: 9) }
        try await s.setAlias(name: "m", alias: "shadow", version: 3)
        try await s.deleteAlias(name: "m", alias: "challenger")
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 2, "shadow": 3])
        try await s.deleteModelVersion(name: "m", version: 2)   // drops champion
        #expect(try await s.registeredModel(name: "m").aliases == ["shadow": 3])
        await expectRegistryError(.invalidParameterValue) { try await s.modelVersion(name: "m", alias: "champion") }
    }

    static func stages(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        for i in 1...4 { _ = try await s.createModelVersion(name: "m", source: "file:///\(i)") }
        _ = try await s.transitionStage(name: "m", version: 1, stage: .production, archiveExistingVersions: false)
        _ = try await s.transitionStage(name: "m", version: 2, stage: .production, archiveExistingVersions: false)
        _ = try await s.transitionStage(name: "m", version: 3, stage: .staging, archiveExistingVersions: false)
        // Two versions in Production without archiving.
        #expect(try await s.searchModelVersions(filter: "name = 'm'").filter { $0.currentStage == .production }.map(\.version) == [2, 1])
        let v4 = try await s.transitionStage(name: "m", version: 4, stage: .production, archiveExistingVersions: true)
        #expect(v4.currentStage == .production)
        #expect(try await s.modelVersion(name: "m", version: 1).currentStage == .archived)
        #expect(try await s.modelVersion(name: "m", version: 2).currentStage == .archived)
        #expect(try await s.modelVersion(name: "m", version: 3).currentStage == .staging)   // other stage untouched
        #expect(try await s.latestVersions(name: "m", stages: [.production]).map(\.version) == [4])
        #expect(try await s.latestVersions(name: "m", stages: []).map { "\($0.currentStage.rawValue):\($0.version)" }
                == ["Staging:3", "Production:4", "Archived:2"])
        #expect(try await s.registeredModel(name: "m").latestVersions.map(\.version) == [3, 4, 2])
        await expectRegistryError(.invalidParameterValue, mentioning: ["Archived"]) {
            try await s.transitionStage(name: "m", version: 3, stage: .archived, archiveExistingVersions: true)
        }
        await expectRegistryError(.resourceDoesNotExist) { try await s.transitionStage(name: "m", version: 9, stage: .staging, archiveExistingVersions: false) }
        // Back to None.
        #expect(try await s.transitionStage(name: "m", version: 4, stage: .none, archiveExistingVersions: false).currentStage == .none)
    }

    static func search(_ s: any RegistryStore) async throws {
        for name in ["churn", "churn_v2", "Churn-eu", "recommender"] { _ = try await s.createRegisteredModel(name: name) }
        try await s.setRegisteredModelTag(name: "recommender", key: "team", value: "growth")
        try await s.setRegisteredModelTag(name: "churn_v2", key: "mlflow.prompt.is_prompt", value: "true")
        func names(_ f: String?) async throws -> [String] { try await s.searchRegisteredModels(filter: f).map(\.name) }
        #expect(try await names("name = 'churn'") == ["churn"])
        // churn_v2 is a prompt: left out unless the filter asks for prompts (as MLflow).
        #expect(try await names("name LIKE 'churn%'") == ["churn"])
        #expect(try await names("name ILIKE 'churn%'") == ["Churn-eu", "churn"])
        #expect(try await names("name != 'churn'") == ["Churn-eu", "recommender"])
        #expect(try await names("tag.`mlflow.prompt.is_prompt` = 'true'") == ["churn_v2"])
        #expect(try await names("tags.team = 'growth'") == ["recommender"])
        #expect(try await names("tags.team != 'ops'") == ["recommender"])
        #expect(try await names("name LIKE '%' AND tag.`mlflow.prompt.is_prompt` != 'true'") == ["Churn-eu", "churn", "recommender"])
        #expect(try await names("name IN ('churn', 'recommender')") == ["churn", "recommender"])
        _ = try await s.createModelVersion(name: "churn", source: "file:///1", runId: "run-a")
        _ = try await s.createModelVersion(name: "churn", source: "file:///2", runId: "run-b")
        _ = try await s.createModelVersion(name: "recommender", source: "file:///3", runId: "run-a")
        func versions(_ f: String?) async throws -> [String] { try await s.searchModelVersions(filter: f).map { "\($0.name)/\($0.version)" } }
        #expect(try await versions("run_id = 'run-a'") == ["churn/1", "recommender/1"])
        #expect(try await versions("name = 'churn'") == ["churn/2", "churn/1"])
        #expect(try await versions("name = 'churn' and run_id = 'run-b'") == ["churn/2"])
        #expect(try await versions(nil) == ["churn/2", "churn/1", "recommender/1"])
        await expectRegistryError(.invalidParameterValue, mentioning: ["run_id"]) { try await s.searchRegisteredModels(filter: "run_id = 'x'") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["OR"]) { try await s.searchRegisteredModels(filter: "name = 'a' OR name = 'b'") }
    }

    static func paging(_ s: any RegistryStore) async throws {
        for name in ["e", "b", "d", "a", "c"] { _ = try await s.createRegisteredModel(name: name) }
        _ = try await s.updateRegisteredModel(name: "b", description: "touched")
        var seen: [String] = [], token: String? = nil, pages = 0
        repeat {
            let page = try await s.searchRegisteredModels(filter: nil, orderBy: ["name DESC"], maxResults: 2, pageToken: token)
            seen += page.items.map(\.name)
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 10
        #expect(seen == ["e", "d", "c", "b", "a"] && pages == 3)
        let byUpdate = try await s.searchRegisteredModels(filter: nil, orderBy: ["last_updated_timestamp DESC"], maxResults: 10, pageToken: nil)
        #expect(byUpdate.nextPageToken == nil && byUpdate.items.count == 5)
        #expect(zip(byUpdate.items, byUpdate.items.dropFirst()).allSatisfy { $0.lastUpdatedTimestamp >= $1.lastUpdatedTimestamp })
        let byCreation = try await s.searchRegisteredModels(filter: nil, orderBy: ["creation_timestamp asc"], maxResults: 10, pageToken: nil)
        #expect(zip(byCreation.items, byCreation.items.dropFirst()).allSatisfy { $0.creationTimestamp <= $1.creationTimestamp })
        // `timestamp` is MLflow's name for the last update.
        let byTimestamp = try await s.searchRegisteredModels(filter: nil, orderBy: ["timestamp asc"], maxResults: 10, pageToken: nil)
        #expect(zip(byTimestamp.items, byTimestamp.items.dropFirst()).allSatisfy { $0.lastUpdatedTimestamp <= $1.lastUpdatedTimestamp })
        for i in 1...3 { _ = try await s.createModelVersion(name: "a", source: "file:///a/\(i)") }
        let first = try await s.searchModelVersions(filter: "name = 'a'", orderBy: ["version_number"], maxResults: 2, pageToken: nil)
        #expect(first.items.map(\.version) == [1, 2])
        let rest = try await s.searchModelVersions(filter: "name = 'a'", orderBy: ["version_number"], maxResults: 2, pageToken: first.nextPageToken)
        #expect(rest.items.map(\.version) == [3] && rest.nextPageToken == nil)
        let mlflowDefault = try await s.searchModelVersions(filter: "name = 'a'", orderBy: [], maxResults: 10, pageToken: nil)
        #expect(Set(mlflowDefault.items.map(\.version)) == [1, 2, 3])
        #expect(zip(mlflowDefault.items, mlflowDefault.items.dropFirst()).allSatisfy { $0.lastUpdatedTimestamp >= $1.lastUpdatedTimestamp })
        await expectRegistryError(.invalidParameterValue, mentioning: ["page token"]) {
            try await s.searchRegisteredModels(filter: nil, orderBy: [], maxResults: 2, pageToken: "not-a-token")
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["max_results"]) {
            try await s.searchRegisteredModels(filter: nil, orderBy: [], maxResults: 0, pageToken: nil)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["max_results"]) {
            try await s.searchRegisteredModels(filter: nil, orderBy: [], maxResults: 1001, pageToken: nil)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["version_number"]) {
            try await s.searchRegisteredModels(filter: nil, orderBy: ["version_number"], maxResults: 2, pageToken: nil)
        }
        await expectRegistryError(.invalidParameterValue, mentioning: ["name sideways"]) {
            try await s.searchModelVersions(filter: nil, orderBy: ["name sideways"], maxResults: 2, pageToken: nil)
        }
    }

    static func resolve(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "churn")
        for i in 1...3 { _ = try await s.createModelVersion(name: "churn", source: "file:///pkg/\(i)", runId: "r\(i)") }
        try await s.setAlias(name: "churn", alias: "champion", version: 2)
        _ = try await s.transitionStage(name: "churn", version: 1, stage: .production, archiveExistingVersions: false)
        #expect(try await s.resolve(uri: "models:/churn/3").source == "file:///pkg/3")
        #expect(try await s.resolve(uri: "models:/churn@champion").version?.version == 2)
        #expect(try await s.resolve(uri: "models:/churn/production").source == "file:///pkg/1")
        #expect(try await s.resolve(uri: "models:/churn/latest").version?.version == 3)
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["models:/churn/7"]) { try await s.resolve(uri: "models:/churn/7") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["models:/churn@nobody"]) { try await s.resolve(uri: "models:/churn@nobody") }
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["models:/churn/Staging", "Staging"]) { try await s.resolve(uri: "models:/churn/Staging") }
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["models:/nosuch/1"]) { try await s.resolve(uri: "models:/nosuch/1") }
        await expectRegistryError(.invalidParameterValue, mentioning: ["models:/churn/"]) { try await s.resolve(uri: "models:/churn/") }
    }

    static func promotionCommit(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "m")
        for i in 1...3 { _ = try await s.createModelVersion(name: "m", source: "file:///\(i)") }
        let pass = GateResult(name: "auc >= 0.5", kind: .threshold, metric: "auc", candidate: 0.7, min: 0.5, verdict: .pass, reason: "ok")
        let fail = GateResult(name: "auc >= 0.9", kind: .threshold, metric: "auc", candidate: 0.7, min: 0.9, verdict: .fail, reason: "low")
        let first = PromotionDecision(model: "m", version: 1, alias: "champion", previousHolder: nil, gates: [pass],
                                      forced: false, actor: "a", timestamp: 1, policySource: nil)
        try await s.commitPromotion(first)
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 1])
        let refused = PromotionDecision(model: "m", version: 2, alias: "champion", previousHolder: 1, gates: [fail],
                                        forced: false, actor: "a", timestamp: 2, policySource: nil)
        #expect(!refused.applied)
        try await s.commitPromotion(refused)
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 1])
        // Evaluated against holder nil, but version 1 holds it now: nothing changes.
        let stale = PromotionDecision(model: "m", version: 3, alias: "champion", previousHolder: nil, gates: [pass],
                                      forced: false, actor: "b", timestamp: 3, policySource: nil)
        await expectRegistryError(.invalidState, mentioning: ["champion", "version 1"]) { try await s.commitPromotion(stale) }
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 1])
        let forced = PromotionDecision(model: "m", version: 3, alias: "champion", previousHolder: 1, gates: [fail],
                                       forced: true, actor: "c", timestamp: 4, policySource: nil)
        try await s.commitPromotion(forced)
        #expect(try await s.registeredModel(name: "m").aliases == ["champion": 3])
        #expect(try await s.promotionDecisions(name: "m") == [first, refused, forced])
        #expect(try await s.promotionDecisions(name: "other").isEmpty)
        #expect(try await s.promotionDecisions(name: nil).count == 3)
    }

    static func concurrentVersions(_ s: any RegistryStore) async throws {
        _ = try await s.createRegisteredModel(name: "busy")
        let n = 100
        let got = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<n {
                group.addTask { try await s.createModelVersion(name: "busy", source: "file:///busy/\(i)").version }
            }
            var all: [Int] = []
            for try await v in group { all.append(v) }
            return all
        }
        #expect(got.sorted() == Array(1...n))
        let stored = try await s.searchModelVersions(filter: "name = 'busy'")
        #expect(stored.map(\.version) == Array((1...n).reversed()))
        #expect(Set(stored.map(\.source)).count == n)
    }
}
