import ArgumentParser
import Foundation
import GoldTables
import ModelPackage
import Trainers

/// `mltrack predict MODEL_DIR TABLE`: batch-scores a table with a logistic model package and
/// prints every row's probability and label (JSON lines or CSV), optionally with an id column.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score every row of a table with a model package (probability and label at 0.5)."
    )

    @Argument(help: "The model package directory (from `mltrack train logistic`).")
    var model: String

    @OptionGroup var table: GoldTableOptions

    @Option(help: "Output format: jsonl or csv.")
    var format = "jsonl"

    @Option(help: "Score only the first N rows.")
    var limit: Int?

    @Option(help: "A column copied to the output next to each prediction (e.g. customer_id).")
    var id: String?

    func validate() throws {
        if format != "jsonl" && format != "csv" { throw ValidationError("--format must be jsonl or csv (got '\(format)').") }
        if let limit, limit < 0 { throw ValidationError("--limit must be ≥ 0.") }
    }

    func run() throws {
        let package = try ModelPackage.load(from: URL(fileURLWithPath: model))
        var data = try table.open().read()
        if let limit { data = data.slice(0 ..< min(limit, data.rowCount)) }
        let idColumn = try id.map { name -> Column in
            guard let c = data.column(named: name) else {
                throw ValidationError("--id \(name): no such column (columns: \(data.schema.names.joined(separator: ", ")))")
            }
            return c
        }
        let idTable = try id.map { try data.project([$0]) }
        let probabilities = try package.probabilities(for: data)
        var out = StdoutWriter()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if format == "csv" { out.write((id.map { [$0] } ?? []).joined() + (id == nil ? "" : ",") + "probability,label\n") }
        for (r, p) in probabilities.enumerated() {
            let label = p >= 0.5 ? 1 : 0
            if format == "csv" {
                let idText = idColumn.map { c in c.isNull(r) ? "" : TableRenderer.text(c, row: r) }
                out.write((idText.map { $0 + "," } ?? "") + "\(p),\(label)\n")
            } else {
                var line = "{"
                if let idTable, let name = id, let cell = idTable.row(r).first {
                    line += String(decoding: try encoder.encode([name: ModelValue(cell)]), as: UTF8.self).dropFirst().dropLast() + ","
                }
                out.write(line + "\"label\":\(label),\"probability\":\(p)}\n")
            }
        }
        out.flush()
    }
}
