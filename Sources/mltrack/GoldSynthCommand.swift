import ArgumentParser
import Foundation
import GoldTables

extension SyntheticTables.Kind: ExpressibleByArgument {}

/// `mltrack gold synth churn|interactions --rows N --seed S --out PATH`: writes a sample Delta table.
struct GoldSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a deterministic synthetic sample table (churn or interactions) as a Delta table.",
        discussion: "The models behind the data are documented in docs/synthetic-data.md."
    )

    @Argument(help: "Which table: churn (customer churn, labelled) or interactions (user-item events).")
    var kind: SyntheticTables.Kind

    @Option(help: "Number of rows.")
    var rows = 10_000

    @Option(help: "Random seed; the same seed and row count give the same table.")
    var seed: UInt64 = 42

    @Option(help: "Folder of the Delta table to create.")
    var out: String

    @Flag(help: "Replace the table's content if it already exists (a new version).")
    var overwrite = false

    @Option(help: "Rows per commit (large tables are written in several commits).")
    var batchRows = 1_000_000

    func validate() throws {
        if rows < 0 { throw ValidationError("--rows must be ≥ 0 (got \(rows)).") }
        if batchRows <= 0 { throw ValidationError("--batch-rows must be > 0 (got \(batchRows)).") }
        if out.isEmpty { throw ValidationError("--out must name a folder.") }
        if !overwrite, FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("_delta_log")) {
            throw ValidationError("\(out) already holds a Delta table; pass --overwrite to replace its content.")
        }
    }

    func run() throws {
        let start = Date()
        let last = try SyntheticTables.writeDelta(kind, rows: rows, seed: seed, to: out, overwrite: overwrite,
                                                  batchRows: batchRows) { done, total, version in
            print("\(kind.rawValue): wrote \(done)/\(total) rows (version \(version))")
        }
        let secs = Date().timeIntervalSince(start)
        print("\(kind.rawValue): \(rows) rows, seed \(seed) → \(out) (version \(last), \(String(format: "%.2f", secs)) s)")
    }
}
