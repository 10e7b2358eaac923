import Linalg

extension ALSModel {
    /// Ranking metrics of the top-k recommendations against held-out interactions (a users × items
    /// matrix in this model's index space; every stored entry is relevant). Users without held-out
    /// entries are skipped; coverage counts the lists of the evaluated users only.
    ///
    /// ```swift
    /// let m = try model.rankingMetrics(heldOut: test, k: 10)   // m.precision, m.ndcg, …
    /// ```
    public func rankingMetrics(heldOut: SparseMatrix<Float>, k: Int, excludeSeen: Bool = true) throws -> RankingMetrics {
        guard heldOut.rows == users.count, heldOut.columns == items.count else {
            throw MetricError(metric: "ranking@k", "held-out matrix is \(heldOut.rows) × \(heldOut.columns), the model has \(users.count) users × \(items.count) items")
        }
        let evaluated = (0 ..< heldOut.rows).filter { heldOut.rowPointers[$0 + 1] > heldOut.rowPointers[$0] }
        let lists = recommend(userIndexes: evaluated, k: k, excludeSeen: excludeSeen)
        let relevant = evaluated.map { heldOut.row($0).columns.map { Int($0) } }
        return try RankingMetrics.evaluate(recommended: lists.map { $0.map(\.item) }, relevant: relevant, k: k,
                                           catalogSize: max(items.count, 1))
    }
}
