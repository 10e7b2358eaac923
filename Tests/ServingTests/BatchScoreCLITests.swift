import Foundation
import GoldTables
import Testing
@testable import Serving

/// `mltrack score` end to end: the built binary, a package path and a registry URI.
@Suite struct BatchScoreCLITests {
    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
    func scoreWritesTheTableAndPrintsASummary() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-cli")
        let r = try MLTrackCLI.run(["score", path, "--input", BatchFixtures.customers, "--version", "1", "--output", out,
                                    "--id-columns", "customer_id,region", "--mode", "overwrite", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        #expect(summary["rows"] as? Int == 5000)
        #expect(summary["output_version"] as? Int == 0)
        #expect(summary["input_version"] as? Int == 1)
        #expect(summary["model_version"] as? String == "local")
        #expect(r.err.contains("scoring 5000 / 5000 rows"))
        let t = try DeltaTable(path: out).snapshot()
        #expect(t.numRecords == 5000)
        #expect(t.schema.names == ["customer_id", "region", "probability", "label", "model_name", "model_version", "scored_at"])

        // The human summary; a rerun in overwrite mode makes version 1.
        let again = try MLTrackCLI.run(["score", path, "--input", BatchFixtures.customers, "--output", out, "--id-columns", "customer_id,region",
                                        "--mode", "overwrite", "--quiet"])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("scored 5000 rows of \(BatchFixtures.customers) (version 1) with churn version local"))
        #expect(again.out.contains("to \(out) version 1"))
        #expect(again.err.isEmpty)
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
    func errorsAreOneLineNamingTheColumn() throws {
        let path = try BatchFixtures.logistic.get()
        let out = try BatchFixtures.outputDir("batch-cli-err")
        let r = try MLTrackCLI.run(["score", path, "--input", BatchFixtures.customers, "--output", out, "--id-columns", "nope"])
        #expect(r.status != 0)
        #expect(r.err.contains("no id column 'nope'"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let bad = try MLTrackCLI.run(["score", path, "--input", BatchFixtures.customers, "--output", out, "--mode", "replace"])
        #expect(bad.status != 0)
        #expect(bad.err.contains("--mode must be append or overwrite"))
        let missing = try MLTrackCLI.run(["score", "models:/nobody/1", "--tracking-uri", try TestPaths.tempDir("batch-cli-db").appendingPathComponent("mltrack.db").path,
                                          "--input", BatchFixtures.customers, "--output", out])
        #expect(missing.status != 0)
        #expect(missing.err.contains("nobody"))
    }

    @Test(.enabled(if: MLTrackCLI.binary != nil, "needs the built mltrack binary"))
    func recommenderScoresUsersTopK() throws {
        let (path, model) = try BatchFixtures.als.get()
        let out = try BatchFixtures.outputDir("batch-cli-als")
        let r = try MLTrackCLI.run(["score", path, "--input", BatchFixtures.interactions, "--output", out, "--k", "3", "--json", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        #expect(summary["rows"] as? Int == 50_000)
        #expect(summary["output_rows"] as? Int == model.users.count * 3)
        #expect(try DeltaTable(path: out).snapshot().numRecords == Int64(model.users.count * 3))
    }
}
