import Foundation
import GoldTables
import Linalg

/// Train/test splits: random rows (seeded), by time (before a cut-off), and per user (a fraction
/// of each user's interactions held out, for recommenders). Deterministic given the seed.
///
/// ```swift
/// let rows = try Split.random(rowCount: 5000, testFraction: 0.2, seed: 42)    // 4000 / 1000 rows
/// let byTime = try Split.byTime(events, column: "timestamp", cutoff: "2024-06-01")
/// let (train, test) = try Split.perUser(interactions.matrix, testFraction: 0.2, seed: 42)
/// ```
public enum Split {
    /// A random split of `rowCount` rows: exactly `round(testFraction × rowCount)` test rows (half
    /// away from zero), chosen uniformly; the same seed always gives the same rows.
    public static func random(rowCount: Int, testFraction: Double, seed: UInt64) throws -> RowSplit {
        guard rowCount >= 0 else { throw SplitError(field: "rowCount", "must not be negative, got \(rowCount)") }
        guard testFraction >= 0, testFraction <= 1 else {
            throw SplitError(field: "testFraction", "must be in 0...1, got \(testFraction)")
        }
        let testCount = Int((testFraction * Double(rowCount)).rounded())
        var rows = Array(0 ..< rowCount)
        var g = SplitGenerator(seed: seed)
        g.choose(testCount, from: &rows)
        return RowSplit(train: rows[testCount...].sorted(), test: rows[..<testCount].sorted())
    }
}
