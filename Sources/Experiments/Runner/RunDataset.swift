import Foundation
import GoldTables
import ModelPackage
import Tracking

/// The dataset input a run logs for the Gold table it read, in MLflow's `Dataset` fields:
/// `name` (the table folder's name), `digest` (16 hex digits of a SHA-256 over the format, Delta
/// version, data files with sizes and hashes, schema fingerprint and row filter), `source_type`
/// (`delta_table` as MLflow's Delta source, else `local`), `source` (JSON: `path`,
/// `delta_table_version`, `format`, `filter`), `schema` (`{"mlflow_colspec": […]}`) and `profile`
/// (JSON: `num_rows` after the filter, `num_elements`, `table_rows`, `schema_fingerprint`, `files`).
///
/// ```swift
/// let input = try RunDataset.input(lineage: try gold.lineage(), schema: gold.schema, filter: spec.source.filter,
///                                  rowsUsed: table.rowCount)
/// try store.logInputs(runId: id, datasets: [input])
/// ```
public enum RunDataset {
    /// The most data files listed in the profile.
    public static let maxProfileFiles = 1000

    public static func input(lineage: GoldLineage, schema: Schema, filter: RowFilter?, rowsUsed: Int,
                             context: String = "training") throws -> DatasetInput {
        let path = URL(fileURLWithPath: lineage.path).standardizedFileURL.path
        var hasher = GoldSHA256()
        var canonical = "format=\(lineage.format)\nversion=\(lineage.version.map(String.init) ?? "")\n"
        canonical += "schema=\(lineage.schemaFingerprint)\nfilter=\(filter?.text ?? "")\nrows=\(lineage.rowCount)\n"
        for f in lineage.files.sorted(by: { $0.path < $1.path }) {
            let name = f.path.hasPrefix(path + "/") ? String(f.path.dropFirst(path.count + 1)) : f.path
            canonical += "file=\(name) \(f.bytes) \(f.sha256 ?? "")\n"
        }
        hasher.update(Array(canonical.utf8))
        let digest = String(GoldSHA256.hex(hasher.finalize()).prefix(16))

        var source: [String: Any] = ["path": path, "format": lineage.format]
        if lineage.format == GoldTableFormat.delta.rawValue, let v = lineage.version { source["delta_table_version"] = v }
        if let filter { source["filter"] = filter.text }
        let fileFacts: [[String: Any]] = lineage.files.prefix(maxProfileFiles).map { f in
            var d: [String: Any] = ["path": f.path, "bytes": f.bytes]
            if let h = f.sha256 { d["sha256"] = h }
            return d
        }
        let profile: [String: Any] = [
            "num_rows": rowsUsed, "num_elements": rowsUsed * schema.fields.count, "table_rows": lineage.rowCount,
            "schema_fingerprint": lineage.schemaFingerprint, "files": fileFacts, "file_count": lineage.files.count,
        ]
        let colspec = "{\"mlflow_colspec\": " + ModelSignature(inputs: schema.fields.map(ColumnSpec.init), outputs: []).inputsJSON + "}"
        let name = (path as NSString).lastPathComponent
        let dataset = Dataset(name: name.isEmpty ? path : name, digest: digest,
                              sourceType: lineage.format == GoldTableFormat.delta.rawValue ? "delta_table" : "local",
                              source: try json(source), schema: colspec, profile: try json(profile))
        return DatasetInput(dataset: dataset, tags: [InputTag(key: InputTag.contextKey, value: context)])
    }

    /// The Delta version a logged dataset's source records, if any.
    public static func deltaVersion(of dataset: Dataset) -> Int64? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(dataset.source.utf8)) as? [String: Any] else { return nil }
        return (object["delta_table_version"] as? NSNumber)?.int64Value
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
               as: UTF8.self)
    }
}
