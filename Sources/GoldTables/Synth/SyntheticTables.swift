import Foundation

/// The synthetic sample tables and how to write them as Delta tables.
///
/// ```swift
/// try SyntheticTables.writeDelta(.churn, rows: 10_000, seed: 42, to: "/tmp/churn") { done, total, v in
///     print("\(done)/\(total) rows (version \(v))")
/// }
/// ```
public enum SyntheticTables {
    /// Which generator.
    public enum Kind: String, Sendable, CaseIterable {
        /// ``ChurnGenerator``.
        case churn
        /// ``InteractionsGenerator``.
        case interactions
    }

    public static func schema(_ kind: Kind) -> Schema {
        switch kind {
        case .churn: ChurnGenerator.schema
        case .interactions: InteractionsGenerator.schema
        }
    }

    /// A function producing rows `range` of `kind` for a table of `rows` rows (row content depends
    /// only on the seed, the row number and, for interactions, `rows`).
    public static func generator(_ kind: Kind, rows: Int, seed: UInt64) -> @Sendable (Range<Int>) -> Table {
        switch kind {
        case .churn:
            let g = ChurnGenerator(seed: seed)
            return { g.generate(rows: $0) }
        case .interactions:
            let g = InteractionsGenerator(seed: seed, rows: rows)
            return { g.generate(rows: $0) }
        }
    }

    /// Generates `rows` rows and writes them to a new Delta table at `path` (replacing its content
    /// when `overwrite`), `batchRows` rows per commit: the first commit creates (or overwrites) the
    /// table, later ones append. Calls `progress(rowsWritten, rows, version)` after each commit.
    /// Returns the last committed version.
    @discardableResult
    public static func writeDelta(_ kind: Kind, rows: Int, seed: UInt64, to path: String, overwrite: Bool = false,
                                  batchRows: Int = 1_000_000,
                                  progress: (Int, Int, Int64) -> Void = { _, _, _ in }) throws -> Int64 {
        guard rows >= 0 else { throw TableError("rows must be ≥ 0 (got \(rows))") }
        guard batchRows > 0 else { throw TableError("batch rows must be > 0 (got \(batchRows))") }
        let gen = generator(kind, rows: rows, seed: seed)
        let info = ["mltrack.synth": kind.rawValue, "mltrack.seed": String(seed), "mltrack.rows": String(rows)]
        var start = 0
        var version: Int64 = -1
        repeat {
            let end = min(rows, start + batchRows)
            let mode: DeltaWriteMode = start == 0 ? (overwrite ? .overwrite : .create) : .append
            version = try DeltaWriter.write(gen(start ..< end), to: path, mode: mode, commitInfo: info)
            progress(end, rows, version)
            start = end
        } while start < rows
        return version
    }
}
