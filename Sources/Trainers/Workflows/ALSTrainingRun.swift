import Features
import GoldTables
import Linalg

/// The recommender training job `mltrack train als` runs: build the user × item matrix of an event
/// table, hold out a fraction of each user's interactions (``Split/perUser(_:testFraction:seed:minInteractions:)``),
/// fit ``ALS`` on the rest and evaluate top-k ranking on the held-out part (and, for explicit
/// feedback, RMSE and MAE of the predicted ratings x_uᵀy_i on the held-out entries).
///
/// ```swift
/// let job = ALSTrainingRun(user: "user_id", item: "item_id", weight: .count,
///                          parameters: .init(factors: 16, iterations: 10, seed: 7))
/// let result = try job.run(try GoldTable.open("Experiments/gold/interactions").read())
/// result.ranking?.precision
/// ```
public struct ALSTrainingRun: Sendable, Hashable {
    public var user: String
    public var item: String
    public var weight: InteractionWeight
    public var parameters: ALS.Parameters
    /// Fraction of each user's interactions held out (0: no evaluation).
    public var testFraction: Double
    /// k of the ranking metrics.
    public var k: Int

    public init(user: String, item: String, weight: InteractionWeight, parameters: ALS.Parameters = .init(),
                testFraction: Double = 0.2, k: Int = 10) {
        self.user = user
        self.item = item
        self.weight = weight
        self.parameters = parameters
        self.testFraction = testFraction
        self.k = k
    }

    /// What ``run(_:progress:)`` produced. The model knows every user and item of the table
    /// (those whose interactions all went to the test part have no training interactions).
    public struct Result: Sendable {
        public var interactions: Interactions
        public var train: SparseMatrix<Float>
        public var test: SparseMatrix<Float>
        public var model: ALSModel
        /// Ranking metrics at ``ALSTrainingRun/k`` on the held-out entries (nil without any).
        public var ranking: RankingMetrics?
        /// The same metrics for the most-popular-items list (seen items excluded): the baseline
        /// a factor model has to beat.
        public var popularityBaseline: RankingMetrics?
        /// Explicit feedback only: error of x_uᵀy_i against the held-out values.
        public var rmse: Double?
        public var mae: Double?
    }

    public func run(_ table: Table, progress: ProgressHandler? = nil) throws -> Result {
        guard k >= 1 else { throw MetricError(metric: "k", "must be ≥ 1, got \(k)") }
        let all = try Interactions.build(from: table, user: user, item: item, weight: weight)
        let (train, test) = try Split.perUser(all.matrix, testFraction: testFraction, seed: parameters.seed)
        let model = try ALS(parameters).fit(try Interactions(matrix: train, users: all.users, items: all.items),
                                            progress: progress)
        guard test.nonZeros > 0 else { return Result(interactions: all, train: train, test: test, model: model) }
        let ranking = try model.rankingMetrics(heldOut: test, k: k)
        let baseline = try Self.popularityMetrics(model, heldOut: test, k: k)
        var rmse: Double?, mae: Double?
        if parameters.feedback == .explicit {
            let predicted = Self.predictions(model, at: test)
            rmse = try RegressionMetrics.rmse(predicted: predicted, actual: test.values)
            mae = try RegressionMetrics.mae(predicted: predicted, actual: test.values)
        }
        return Result(interactions: all, train: train, test: test, model: model, ranking: ranking,
                      popularityBaseline: baseline, rmse: rmse, mae: mae)
    }

    /// Ranking metrics of the popularity list (``ALSModel/popular(k:)`` order, each user's training
    /// items skipped) on the users with held-out entries, as ``ALSModel/rankingMetrics(heldOut:k:excludeSeen:)``
    /// evaluates the model.
    public static func popularityMetrics(_ model: ALSModel, heldOut: SparseMatrix<Float>, k: Int) throws -> RankingMetrics {
        let ranked = model.popular(k: model.items.count).map(\.item)
        var recommended: [[Int]] = [], relevant: [[Int]] = []
        for u in 0 ..< heldOut.rows where heldOut.rowPointers[u + 1] > heldOut.rowPointers[u] {
            var seen = Set<Int>()
            if u + 1 < model.seenRowPointers.count {
                for p in model.seenRowPointers[u] ..< model.seenRowPointers[u + 1] { seen.insert(Int(model.seenItems[p])) }
            }
            recommended.append(Array(ranked.lazy.filter { !seen.contains($0) }.prefix(k)))
            relevant.append(heldOut.row(u).columns.map { Int($0) })
        }
        return try RankingMetrics.evaluate(recommended: recommended, relevant: relevant, k: k,
                                           catalogSize: max(model.items.count, 1))
    }

    /// x_uᵀy_i for every stored entry of `m` (users × items in the model's index space), in storage order.
    public static func predictions(_ model: ALSModel, at m: SparseMatrix<Float>) -> [Float] {
        let k = model.factors
        var out = [Float](repeating: 0, count: m.nonZeros)
        model.userFactors.values.withUnsafeBufferPointer { x in
            model.itemFactors.values.withUnsafeBufferPointer { y in
                for u in 0 ..< min(m.rows, model.userFactors.rows) {
                    for p in m.rowPointers[u] ..< m.rowPointers[u + 1] {
                        let i = Int(m.columnIndices[p])
                        guard i < model.itemFactors.rows else { continue }
                        var s: Float = 0
                        for f in 0 ..< k { s += x[u * k + f] * y[i * k + f] }
                        out[p] = s
                    }
                }
            }
        }
        return out
    }
}
