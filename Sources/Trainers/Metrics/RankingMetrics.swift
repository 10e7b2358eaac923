import Foundation

/// Top-k ranking metrics with binary relevance, macro-averaged over the evaluated users.
///
/// For one user with ranked list L (only its first k entries count; a repeated item counts once,
/// at its first position) and relevant set R (the held-out items), hits@k = |L[..<k] ∩ R| and
/// rel_j = 1 when the item at 1-based position j is relevant:
/// - precision@k = hits@k / k (a list shorter than k still divides by k)
/// - recall@k = hits@k / |R|
/// - NDCG@k = DCG / IDCG with DCG = Σ_{j ≤ k} rel_j / log2(j + 1) and
///   IDCG = Σ_{j ≤ min(k, |R|)} 1 / log2(j + 1)
/// - AP@k = (1 / min(k, |R|)) Σ_{j ≤ k} rel_j · precision@j; MAP@k is its mean
/// Users with an empty R are skipped (they have nothing to find). Catalog coverage is the number
/// of distinct items among the first k entries of every list passed (skipped users included),
/// divided by the catalog size.
///
/// Note: `implicit.evaluation.ranking_metrics_at_k` calls "precision" hits / min(k, |R|) summed
/// over users before dividing (micro-averaged); ours is the textbook hits / k per user.
///
/// ```swift
/// let m = try RankingMetrics.evaluate(recommended: [[3, 1, 2]], relevant: [[1, 7]], k: 3, catalogSize: 10)
/// m.precision  // 1/3
/// m.recall     // 1/2
/// ```
public struct RankingMetrics: Sendable, Hashable, Codable {
    public var k: Int
    /// Users evaluated (with at least one relevant item).
    public var users: Int
    public var precision: Double
    public var recall: Double
    public var ndcg: Double
    public var map: Double
    public var coverage: Double

    public init(k: Int, users: Int, precision: Double, recall: Double, ndcg: Double, map: Double, coverage: Double) {
        self.k = k
        self.users = users
        self.precision = precision
        self.recall = recall
        self.ndcg = ndcg
        self.map = map
        self.coverage = coverage
    }

    /// Evaluates `recommended[u]` (ranked, best first) against `relevant[u]` for every u.
    /// Throws when the lists disagree in count, k < 1, or an item is outside `0 ..< catalogSize`.
    public static func evaluate(recommended: [[Int]], relevant: [[Int]], k: Int, catalogSize: Int) throws -> RankingMetrics {
        guard k >= 1 else { throw MetricError(metric: "ranking@k", "k = \(k) must be ≥ 1") }
        guard recommended.count == relevant.count else {
            throw MetricError(metric: "ranking@k", "\(recommended.count) recommendation lists for \(relevant.count) relevant sets")
        }
        guard catalogSize >= 1 else { throw MetricError(metric: "coverage", "catalog size \(catalogSize) must be ≥ 1") }
        var covered = [Bool](repeating: false, count: catalogSize)
        var distinct = 0
        var (users, p, r, n, ap) = (0, 0.0, 0.0, 0.0, 0.0)
        for u in recommended.indices {
            for item in recommended[u].prefix(k) {
                guard item >= 0, item < catalogSize else {
                    throw MetricError(metric: "ranking@k", "user \(u): recommended item \(item) outside 0..<\(catalogSize)")
                }
                if !covered[item] { covered[item] = true; distinct += 1 }
            }
            let truth = Set(relevant[u])
            if truth.isEmpty { continue }
            let s = scores(recommended[u], relevant: truth, k: k)
            users += 1
            p += s.precision
            r += s.recall
            n += s.ndcg
            ap += s.averagePrecision
        }
        let d = Double(max(users, 1))
        return RankingMetrics(k: k, users: users, precision: p / d, recall: r / d, ndcg: n / d, map: ap / d,
                              coverage: Double(distinct) / Double(catalogSize))
    }

    /// The four per-user scores of one ranked list (definitions above); all 0 when `relevant` is empty.
    public static func scores(_ ranked: [Int], relevant: Set<Int>, k: Int)
        -> (precision: Double, recall: Double, ndcg: Double, averagePrecision: Double) {
        guard k >= 1, !relevant.isEmpty else { return (0, 0, 0, 0) }
        var seen = Set<Int>()
        var hits = 0
        var dcg = 0.0, apSum = 0.0
        for (position, item) in ranked.prefix(k).enumerated() {
            guard seen.insert(item).inserted, relevant.contains(item) else { continue }
            hits += 1
            let j = Double(position + 1)
            dcg += 1 / log2(j + 1)
            apSum += Double(hits) / j
        }
        let ideal = min(k, relevant.count)
        var idcg = 0.0
        for j in 1 ... ideal { idcg += 1 / log2(Double(j) + 1) }
        return (Double(hits) / Double(k), Double(hits) / Double(relevant.count), dcg / idcg, apSum / Double(ideal))
    }
}
