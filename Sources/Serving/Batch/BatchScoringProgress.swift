/// Where a running batch scoring job is, reported after each input batch.
///
/// ```swift
/// try scorer.run(job) { p in print("\(p.rows) rows, \(Int(p.rowsPerSecond)) rows/s") }
/// ```
public struct BatchScoringProgress: Sendable, Hashable {
    /// Input rows scored so far.
    public var rows: Int
    /// Input rows in all (from the table's metadata; nil when unknown, e.g. for CSV).
    public var totalRows: Int?
    /// Input batches read so far.
    public var batches: Int
    /// Seconds since the job started.
    public var elapsed: Double

    public init(rows: Int, totalRows: Int?, batches: Int, elapsed: Double) {
        self.rows = rows
        self.totalRows = totalRows
        self.batches = batches
        self.elapsed = elapsed
    }

    /// Input rows per second so far (0 before any time has passed).
    public var rowsPerSecond: Double { elapsed > 0 ? Double(rows) / elapsed : 0 }

    /// The fraction done in 0...1, when the total is known.
    public var fraction: Double? {
        guard let totalRows else { return nil }
        return totalRows == 0 ? 1 : min(1, Double(rows) / Double(totalRows))
    }
}
