/// Row indexes of a train/test split of a table, each list ascending, disjoint.
///
/// ```swift
/// let s = try Split.random(rowCount: table.rowCount, testFraction: 0.2, seed: 7)
/// let train = try table.rows(at: s.train), test = try table.rows(at: s.test)
/// ```
public struct RowSplit: Sendable, Hashable, Codable {
    public var train: [Int]
    public var test: [Int]
    /// Rows in neither list (a time split's null timestamps).
    public var excluded: Int

    public init(train: [Int], test: [Int], excluded: Int = 0) {
        self.train = train
        self.test = test
        self.excluded = excluded
    }
}
