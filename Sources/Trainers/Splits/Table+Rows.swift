import GoldTables

extension Table {
    /// The rows at `indexes`, in that order (repeats allowed), as a new table: how a ``RowSplit``
    /// becomes a train and a test table. Throws naming the first index out of range.
    ///
    /// ```swift
    /// let train = try table.rows(at: split.train)
    /// ```
    public func rows(at indexes: [Int]) throws -> Table {
        if let bad = indexes.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw SplitError(field: "rows", "index \(bad) outside 0..<\(rowCount)")
        }
        if columns.isEmpty { return self }
        return try Table(columns.map { $0.gather(indexes) })
    }
}
