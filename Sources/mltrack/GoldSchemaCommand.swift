import ArgumentParser
import Foundation
import GoldTables

/// `mltrack gold schema PATH`: format, version and columns of a table.
struct GoldSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a table's format, version, row count and columns (name, type, nullability)."
    )

    @OptionGroup var table: GoldTableOptions

    @Flag(help: "Print the lineage facts instead, as JSON: format, Delta version, rows, schema fingerprint, and each data file with its size and (Parquet, CSV) SHA-256.")
    var lineage = false

    func run() throws {
        let t = try table.open()
        var out = StdoutWriter()
        if lineage {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            out.write(Array(try enc.encode(t.lineage())))
            out.write("\n")
            out.flush()
            return
        }
        out.write("path:    \(t.path)\n")
        out.write("format:  \(t.format.rawValue)\(t.version.map { " (version \($0))" } ?? "")\n")
        out.write("rows:    \(try t.rowCount())\n")
        out.write("schema fingerprint: \(t.schema.fingerprint)\n")
        if let snap = t.source as? DeltaSnapshot, !snap.partitionColumns.isEmpty {
            out.write("partitioned by: \(snap.partitionColumns.joined(separator: ", "))\n")
        }
        out.write("columns (\(t.schema.fields.count)):\n")
        let nameWidth = t.schema.fields.map(\.name.count).max() ?? 0
        let typeWidth = t.schema.fields.map(\.type.description.count).max() ?? 0
        for f in t.schema.fields {
            let name = f.name + String(repeating: " ", count: nameWidth - f.name.count)
            let type = f.type.description + String(repeating: " ", count: typeWidth - f.type.description.count)
            out.write("  \(name)  \(type)  \(f.nullable ? "nullable" : "not null")\n")
        }
        out.flush()
    }
}
