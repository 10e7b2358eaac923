import Foundation
import Registry
import Testing
import Tracking

/// A fresh registry on a new SQLite file (tracking and registry schemas).
func makeSQLiteRegistry(actor: String? = "tester", label: String = "registry-sqlite") throws -> SQLiteRegistryStore {
    let path = try TestPaths.tempDir(label).appendingPathComponent("mltrack.db").path
    return try SQLiteRegistryStore(path: path, actor: actor)
}

/// The SQLite registry passes the conformance suite, persists across reopening, audits every
/// mutation in its transaction and shares its file's migrations with the tracking store.
@Suite struct SQLiteRegistryStoreTests {
    @Test(arguments: RegistryStoreConformance.checks)
    func conformance(_ check: RegistryConformanceCheck) async throws {
        try await check.run(try makeSQLiteRegistry())
    }

    static let pass = GateResult(name: "auc >= 0.5", kind: .threshold, metric: "auc", candidate: 0.7, min: 0.5, verdict: .pass, reason: "ok")

    @Test func reopeningKeepsEverything() async throws {
        let sql = try makeSQLiteRegistry()
        let store: any RegistryStore = sql
        _ = try await store.createRegisteredModel(name: "churn", description: "monthly", tags: ["team": "growth"])
        for i in 1...3 {
            _ = try await store.createModelVersion(name: "churn", source: "file:///pkg/\(i)", runId: "run\(i)",
                                                   description: "v\(i)", tags: ["i": "\(i)"])
        }
        try await store.setAlias(name: "churn", alias: "shadow", version: 2)
        _ = try await store.transitionStage(name: "churn", version: 1, stage: .production, archiveExistingVersions: false)
        try await store.deleteModelVersion(name: "churn", version: 3)   // the highest: its number stays taken
        let decision = PromotionDecision(model: "churn", version: 2, alias: "champion", previousHolder: nil, gates: [Self.pass],
                                         forced: false, actor: "ci", timestamp: 42, policySource: "Models/churn.yaml")
        try await store.commitPromotion(decision)
        let model = try await store.registeredModel(name: "churn")
        let versions = try await store.modelVersions(name: "churn")

        let reopened: any RegistryStore = try SQLiteRegistryStore(path: sql.tracking.path)
        #expect(try await reopened.registeredModel(name: "churn") == model)
        #expect(try await reopened.modelVersions(name: "churn") == versions)
        #expect(model.aliases == ["shadow": 2, "champion": 2] && model.tags == ["team": "growth"])
        #expect(model.latestVersions.map { "\($0.currentStage.rawValue):\($0.version)" } == ["None:2", "Production:1"])
        #expect(versions.map(\.version) == [2, 1] && versions[0].tags == ["i": "2"] && versions[0].aliases == ["champion", "shadow"])
        #expect(try await reopened.promotionDecisions(name: "churn") == [decision])
        #expect(try await reopened.createModelVersion(name: "churn", source: "file:///pkg/4").version == 4)
        #expect(try await reopened.resolve(uri: "models:/churn@champion").source == "file:///pkg/2")
    }

    @Test func everyMutationIsAuditedWithItsActor() async throws {
        let sql = try makeSQLiteRegistry(actor: "alice")
        let store: any RegistryStore = sql
        let start = try sql.tracking.audit(after: nil, limit: 1000).last?.id
        _ = try await store.createRegisteredModel(name: "m", description: "d", tags: ["t": "1"])
        _ = try await store.updateRegisteredModel(name: "m", description: "e")
        try await store.setRegisteredModelTag(name: "m", key: "k", value: "v")
        try await store.deleteRegisteredModelTag(name: "m", key: "k")
        _ = try await store.createModelVersion(name: "m", source: "file:///1", runId: "r1", description: "", tags: [:])
        _ = try await store.createModelVersion(name: "m", source: "file:///2")
        _ = try await store.updateModelVersion(name: "m", version: 1, description: "first")
        try await store.setModelVersionTag(name: "m", version: 1, key: "k", value: "v")
        try await store.deleteModelVersionTag(name: "m", version: 1, key: "k")
        _ = try await store.transitionStage(name: "m", version: 1, stage: .staging, archiveExistingVersions: false)
        _ = try await store.transitionStage(name: "m", version: 2, stage: .staging, archiveExistingVersions: true)
        try await store.setAlias(name: "m", alias: "shadow", version: 1)
        try await store.deleteAlias(name: "m", alias: "shadow")
        try sql.acting(as: "bob").setAlias(name: "m", alias: "challenger", version: 2)
        let promote = PromotionDecision(model: "m", version: 1, alias: "champion", previousHolder: nil, gates: [Self.pass],
                                        forced: false, actor: "ci-bot", timestamp: 7, policySource: nil)
        try await store.commitPromotion(promote)
        _ = try await store.renameRegisteredModel(name: "m", newName: "n")
        try await store.deleteModelVersion(name: "n", version: 2)
        try await store.deleteRegisteredModel(name: "n")
        // Failed mutations leave nothing behind.
        _ = try await store.createRegisteredModel(name: "x")
        await expectRegistryError(.resourceAlreadyExists) { try await store.createRegisteredModel(name: "x") }
        let stale = PromotionDecision(model: "x", version: 1, alias: "champion", previousHolder: 9, gates: [Self.pass],
                                      forced: false, actor: "ci-bot", timestamp: 8, policySource: nil)
        await expectRegistryError(.resourceDoesNotExist) { try await store.commitPromotion(stale) }

        let events = try sql.tracking.audit(after: start, limit: 1000)
        let seen = events.map { "\($0.actor) \($0.entityKind.rawValue) \($0.entityId) \($0.action.rawValue)" }
        #expect(seen == [
            "alice registered_model m create",
            "alice registered_model m update",
            "alice registered_model m set_tag",
            "alice registered_model m delete_tag",
            "alice model_version m/1 create",
            "alice model_version m/2 create",
            "alice model_version m/1 update",
            "alice model_version m/1 set_tag",
            "alice model_version m/1 delete_tag",
            "alice model_version m/1 transition_stage",
            "alice model_version m/2 transition_stage",
            "alice registered_model m set_alias",
            "alice registered_model m delete_alias",
            "bob registered_model m set_alias",
            "ci-bot registered_model m promote",
            "alice registered_model n rename",
            "alice model_version n/2 delete",
            "alice registered_model n delete",
            "alice registered_model x create",
        ])
        func details(_ i: Int) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(events[i].details.utf8))
            return object as? [String: Any] ?? [:]
        }
        #expect(try details(0)["tags"] as? [String: String] == ["t": "1"])
        #expect(try details(4)["source"] as? String == "file:///1" && details(4)["run_id"] as? String == "r1")
        #expect(try details(10)["archived_versions"] as? String == "1" && details(10)["stage"] as? String == "Staging")
        #expect(try details(13)["alias"] as? String == "challenger" && details(13)["version"] as? String == "2")
        #expect(try details(14)["applied"] as? Bool == true && details(14)["alias"] as? String == "champion")
        #expect(try details(15)["old_name"] as? String == "m" && details(15)["new_name"] as? String == "n")
        #expect(try details(16)["dropped_aliases"] as? String == "challenger")
        // Each event's timestamp is its change's: the model's creation time.
        let x = try await store.registeredModel(name: "x")
        #expect(events.last?.timestamp == x.creationTimestamp)
        // Decisions outlive the model, under the name it had then; the failed commit recorded nothing.
        #expect(try await store.promotionDecisions(name: "m") == [promote])
        #expect(try await store.promotionDecisions(name: nil) == [promote])
    }

    @Test func renameCarriesVersionTagsAndAliases() async throws {
        let store: any RegistryStore = try makeSQLiteRegistry()
        _ = try await store.createRegisteredModel(name: "a", description: "", tags: ["team": "x"])
        _ = try await store.createModelVersion(name: "a", source: "file:///1", runId: nil, description: "", tags: ["k": "v"])
        try await store.setAlias(name: "a", alias: "champion", version: 1)
        _ = try await store.renameRegisteredModel(name: "a", newName: "b")
        let v = try await store.modelVersion(name: "b", version: 1)
        #expect(v.tags == ["k": "v"] && v.aliases == ["champion"] && v.name == "b")
        #expect(try await store.registeredModel(name: "b").tags == ["team": "x"])
        #expect(try await store.searchModelVersions(filter: "name = 'a'").isEmpty)
        // The old name is free again and starts its own numbering.
        _ = try await store.createRegisteredModel(name: "a")
        #expect(try await store.createModelVersion(name: "a", source: "file:///2").version == 1)
        #expect(try await store.createModelVersion(name: "b", source: "file:///3").version == 2)
    }

    @Test func runURIsResolveThroughTheTrackingStore() async throws {
        let sql = try makeSQLiteRegistry()
        let store: any RegistryStore = sql
        let run = try sql.tracking.createRun(experimentId: "0", runName: "fit")
        let r = try await store.resolve(uri: "runs:/\(run.info.runId)/model")
        #expect(r.source == run.info.artifactUri + "/model" && r.version == nil)
        #expect(r.source.hasPrefix("file://") && r.source.hasSuffix("/\(run.info.runId)/artifacts/model"))
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["runs:/ffff/model"]) { try await store.resolve(uri: "runs:/ffff/model") }
        let locator = TrackingStoreArtifactLocator(store: sql.tracking)
        #expect(try await locator.artifactURI(runId: run.info.runId) == run.info.artifactUri)
    }

    @Test func versionOneFileUpgradesAndKeepsLineage() async throws {
        let path = try TestPaths.tempDir("registry-v1").appendingPathComponent("mltrack.db").path
        let tracking = try SQLiteTrackingStore(path: path)
        try tracking.migrate([RegistrySchema.steps[0]])
        try tracking.write(actor: "t") { tx in
            try tx.db.execute(sql: "INSERT INTO registered_models (name, creation_time, last_updated_time, last_version) VALUES ('old', 1, 1, 1)")
            try tx.db.execute(sql: """
                INSERT INTO model_versions (name, version, creation_time, last_updated_time, current_stage, source, status)
                VALUES ('old', 1, 1, 1, 'None', 'file:///o', 'READY')
                """)
        }
        let sql = try SQLiteRegistryStore(tracking: tracking)
        #expect(try tracking.schemaVersion().applied == ["tracking.v1.initial", "registry.v1.initial", "registry.v2.version-lineage"])
        let store: any RegistryStore = sql
        let old = try await store.modelVersion(name: "old", version: 1)
        #expect(old.source == "file:///o" && old.modelId == nil && old.runLink == nil)
        let v = try await store.createModelVersion(name: "old", source: "models:/m-0123", runId: "r1", description: "",
                                                   tags: [:], modelId: "m-0123", runLink: "http://ci/run/1")
        #expect(v.version == 2 && v.modelId == "m-0123" && v.runLink == "http://ci/run/1")
        let reopened: any RegistryStore = try SQLiteRegistryStore(path: path)
        #expect(try await reopened.modelVersion(name: "old", version: 2) == v)
        #expect(try await reopened.registeredModel(name: "old").latestVersions.map(\.modelId) == ["m-0123"])
    }

    @Test func inMemoryKeepsLineageToo() async throws {
        let store: any RegistryStore = InMemoryRegistryStore()
        _ = try await store.createRegisteredModel(name: "m")
        let v = try await store.createModelVersion(name: "m", source: "models:/m-1", runId: nil, description: "", tags: [:],
                                                   modelId: "m-1", runLink: "")
        #expect(try await store.modelVersion(name: "m", version: v.version).modelId == "m-1")
    }

    @Test func combinedMigrationsFromAnEmptyFile() async throws {
        let path = try TestPaths.tempDir("registry-migrate").appendingPathComponent("sub/mltrack.db").path
        let sql = try SQLiteRegistryStore(path: path)
        let store: any RegistryStore = sql
        let version = try sql.tracking.schemaVersion()
        #expect(version.applied == TrackingSchema.migrationNames + RegistrySchema.migrationNames)
        #expect(version.applied == ["tracking.v1.initial", "registry.v1.initial", "registry.v2.version-lineage"] && version.isUpToDate)
        #expect(try sql.tracking.allExperiments().map(\.name) == ["Default"])
        #expect(try await store.searchRegisteredModels(filter: nil).isEmpty)
        // Reopening applies nothing again; the tracking store alone opens the combined file.
        _ = try await store.createRegisteredModel(name: "m")
        let again = try SQLiteRegistryStore(path: path)
        #expect(try again.tracking.schemaVersion().applied == version.applied)
        #expect(try SQLiteTrackingStore(path: path).schemaVersion().applied == version.applied)
        #expect(try again.registeredModel(name: "m").name == "m")
        // A registry step from a newer mltrack is refused.
        try sql.tracking.migrate([StoreMigration(name: "registry.v99.future") { _ in }])
        do {
            _ = try SQLiteRegistryStore(path: path)
            Issue.record("a newer registry schema should be refused")
        } catch let e as RegistryError {
            #expect(e.code == .invalidState && e.message.contains("registry.v99.future") && e.message.contains("newer"), "\(e)")
        }
    }

    /// The Promoter over the SQLite store with the shipped churn policy: decisions and their audit
    /// events (gates included) survive reopening.
    @Test func promoterDecisionsPersistWithTheirAudit() async throws {
        let sql = try makeSQLiteRegistry()
        _ = try sql.createRegisteredModel(name: "churn", description: "", tags: [:])
        for i in 1...2 { _ = try sql.createModelVersion(name: "churn", source: "file:///churn/\(i)", runId: "run\(i)", description: "", tags: [:]) }
        let context = PromoterTests.churnContext([
            1: ["roc_auc": 0.790, "log_loss": 0.46],
            2: ["roc_auc": 0.791, "log_loss": 0.46],   // beats v1 by only 0.001
        ])
        let promoter = Promoter(store: sql, policies: try PromotionPolicies.load(directory: PromoterTests.models), context: context,
                                clock: { 42 })
        let first = try await promoter.promote(name: "churn", version: 1, alias: "champion", actor: "alice")
        let second = try await promoter.promote(name: "churn", version: 2, alias: "champion", actor: "bob")
        #expect(first.applied && !second.applied)
        let reopened = try SQLiteRegistryStore(path: sql.tracking.path)
        #expect(try reopened.promotionDecisions(name: "churn") == [first, second])
        #expect(try reopened.modelVersion(name: "churn", alias: "champion").version == 1)
        let audit = try reopened.tracking.audit(after: nil, limit: 100).filter { $0.action == .promote }
        #expect(audit.map(\.actor) == ["alice", "bob"] && audit.map(\.entityId) == ["churn", "churn"])
        let decoded = try audit.map { try JSONDecoder().decode(PromotionDecision.self, from: Data($0.details.utf8)) }
        #expect(decoded == [first, second])
    }

    /// Timestamps come from the tracking store's clock, one reading per transaction.
    @Test func timestampsComeFromTheTrackingClock() async throws {
        let path = try TestPaths.tempDir("registry-clock").appendingPathComponent("mltrack.db").path
        let sql = try SQLiteRegistryStore(tracking: SQLiteTrackingStore(path: path, clock: { 1_700_000_000_123 }))
        let m = try sql.createRegisteredModel(name: "m", description: "", tags: [:])
        let v = try sql.createModelVersion(name: "m", source: "file:///1", runId: nil, description: "", tags: [:])
        #expect(m.creationTimestamp == 1_700_000_000_123 && m.lastUpdatedTimestamp == 1_700_000_000_123)
        #expect(v.creationTimestamp == 1_700_000_000_123 && v.lastUpdatedTimestamp == 1_700_000_000_123)
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON"))
    func anotherSQLiteSeesTheTables() async throws {
        let store = try makeSQLiteRegistry()
        _ = try store.createRegisteredModel(name: "m", description: "", tags: [:])
        _ = try store.createModelVersion(name: "m", source: "file:///1", runId: nil, description: "", tags: [:])
        try store.setAlias(name: "m", alias: "champion", version: 1)
        let out = try PythonPeer.json("""
            import json, sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            tables = sorted(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
            alias = c.execute("SELECT name, alias, version FROM registered_model_aliases").fetchall()
            last = c.execute("SELECT last_version FROM registered_models WHERE name = 'm'").fetchone()[0]
            print(json.dumps({"tables": tables, "alias": alias, "last": last}))
            """, args: [store.tracking.path]) as? [String: Any]
        let tables = try #require(out?["tables"] as? [String])
        for t in ["registered_models", "model_versions", "registered_model_tags", "model_version_tags",
                  "registered_model_aliases", "promotion_decisions", "runs", "audit_log"] {
            #expect(tables.contains(t), "\(t) missing from \(tables)")
        }
        #expect(out?["alias"] as? [[AnyHashable]] == [["m", "champion", 1]])
        #expect(out?["last"] as? Int == 1)
    }
}
