import Trainers

/// Top-k ranking metrics under the names runs log and policies gate on.
///
/// ```swift
/// RankingScores.metrics(result.ranking!)   // precision_at_k, recall_at_k, ndcg_at_k, map_at_k, coverage
/// ```
public enum RankingScores {
    public static func metrics(_ r: RankingMetrics) -> [(key: String, value: Double)] {
        [("precision_at_k", r.precision), ("recall_at_k", r.recall), ("ndcg_at_k", r.ndcg), ("map_at_k", r.map),
         ("coverage", r.coverage)]
    }
}
