import Foundation
import GoldTables
import Testing
import Tracking
@testable import Experiments

@Suite struct RunDatasetTests {
    /// A CSV source: `local`, the file's SHA-256 in the profile, and a digest that follows the
    /// bytes and the filter.
    @Test func csvDatasetHasFileHashesAndAContentDigest() throws {
        let dir = try TestPaths.tempDir("run-dataset")
        let path = dir.appendingPathComponent("events.csv").path
        try Data("id,score\n1,0.5\n2,1.5\n3,2.5\n".utf8).write(to: URL(fileURLWithPath: path))
        func input(filter: RowFilter? = nil, rows: Int = 3) throws -> DatasetInput {
            let gold = try GoldTable.open(path)
            return try RunDataset.input(lineage: try gold.lineage(), schema: gold.schema, filter: filter, rowsUsed: rows)
        }
        let a = try input()
        #expect(a.dataset.name == "events.csv" && a.dataset.sourceType == "local" && a.dataset.digest.count == 16)
        #expect(a.tags == [InputTag(key: "mlflow.data.context", value: "training")])
        #expect(RunDataset.deltaVersion(of: a.dataset) == nil)
        let source = try #require(try JSONSerialization.jsonObject(with: Data(a.dataset.source.utf8)) as? [String: Any])
        #expect(source["path"] as? String == URL(fileURLWithPath: path).standardizedFileURL.path && source["format"] as? String == "csv")
        let profile = try #require(try JSONSerialization.jsonObject(with: Data((a.dataset.profile ?? "").utf8)) as? [String: Any])
        #expect(profile["num_rows"] as? Int == 3 && profile["num_elements"] as? Int == 6 && profile["table_rows"] as? Int == 3)
        let files = try #require(profile["files"] as? [[String: Any]])
        var h = GoldSHA256()
        h.update(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(files.count == 1 && files.first?["sha256"] as? String == GoldSHA256.hex(h.finalize()))
        // CSV columns are nullable, so neither is required.
        #expect(a.dataset.schema == "{\"mlflow_colspec\": [{\"type\": \"long\", \"name\": \"id\", \"required\": false}, {\"type\": \"double\", \"name\": \"score\", \"required\": false}]}")
        // Same bytes: same digest; a filter or other bytes: another one.
        #expect(try input().dataset.digest == a.dataset.digest)
        let filtered = try input(filter: try RowFilter("score > 1"), rows: 2)
        #expect(filtered.dataset.digest != a.dataset.digest)
        #expect(filtered.dataset.source.contains("\"filter\":\"score > 1\""))
        try Data("id,score\n1,0.5\n2,1.5\n3,9.5\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try input().dataset.digest != a.dataset.digest)
        try EntityValidation.validateDatasetInput(a)
    }
}
