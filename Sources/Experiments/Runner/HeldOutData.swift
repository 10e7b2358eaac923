import Features
import Foundation
import GoldTables
import Linalg
import ModelPackage
import Trainers

/// A run's held-out test split, rebuilt from its spec exactly as the training workflow made it
/// (same table snapshot, filter, split rule and seed), so any packaged model can be scored on it:
/// the test rows (every column) and labels of a classification run, or each evaluated user's
/// held-out items of a recommendation run.
///
/// ```swift
/// let data = try HeldOutData.make(recorded.spec)
/// let metrics = try data.score(try ModelPackage.load(from: packageURL))   // ["roc_auc": 0.79, …]
/// ```
public enum HeldOutData: Sendable {
    case rows(Table, labels: [Double], threshold: Double)
    /// Evaluated users (those with held-out interactions) and their held-out item ids.
    case interactions(users: [String], relevant: [[String]], k: Int)

    public static func make(_ spec: ExperimentSpec) throws -> HeldOutData {
        try make(spec, source: try RunSource.load(spec))
    }

    public static func make(_ spec: ExperimentSpec, source: RunSource) throws -> HeldOutData {
        let table = source.table
        switch spec.task {
        case .binaryClassification:
            let job = try spec.logisticTrainingRun()
            let y = try BinaryLabels.values(of: table, column: job.label)
            let split: RowSplit
            switch job.split {
            case .random(let f, let seed): split = try Split.random(rowCount: table.rowCount, testFraction: f, seed: seed)
            case .byTime(let column, let cutoff): split = try Split.byTime(table, column: column, cutoff: cutoff)
            }
            return .rows(try table.rows(at: split.test), labels: split.test.map { y[$0] },
                         threshold: spec.metrics.threshold ?? 0.5)
        case .recommendation:
            let job = try spec.alsTrainingRun()
            let all = try Interactions.build(from: table, user: job.user, item: job.item, weight: job.weight)
            let (_, test) = try Split.perUser(all.matrix, testFraction: job.testFraction, seed: job.parameters.seed)
            var users: [String] = [], relevant: [[String]] = []
            for u in 0 ..< test.rows where test.rowPointers[u + 1] > test.rowPointers[u] {
                users.append(all.users.ids[u])
                relevant.append(test.row(u).columns.map { all.items.ids[Int($0)] })
            }
            return .interactions(users: users, relevant: relevant, k: job.k)
        }
    }

    /// The metrics of a packaged model on this split, under the names runs log: the
    /// classification metrics of a logistic package (its own pipeline transforms the rows), or the
    /// ranking metrics at k of an ALS package (a user or item it does not know gets no
    /// recommendations / is never recommended).
    public func score(_ package: LoadedPackage) throws -> [String: Double] {
        switch self {
        case let .rows(table, labels, threshold):
            let model = try package.model(as: LogisticModel.self)
            let pipeline = try package.pipeline(as: FittedPipeline.self)
            let p = try model.predictProbabilities(try pipeline.transform(table))
            let m = try ClassificationScores.metrics(labels: labels, probabilities: p, threshold: threshold)
            return Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        case let .interactions(users, relevant, k):
            let model = try package.model(as: ALSModel.self)
            var itemIndex: [String: Int] = [:]
            func index(_ id: String) -> Int {
                if let i = itemIndex[id] { return i }
                let i = itemIndex.count
                itemIndex[id] = i
                return i
            }
            var recommended: [[Int]] = []
            for user in users {
                guard let u = model.users.index(of: user) else { recommended.append([]); continue }
                recommended.append(model.recommend(userIndex: u, k: k, excludeSeen: true).map { index(model.items.ids[$0.item]) })
            }
            let rel = relevant.map { $0.map(index) }
            let r = try RankingMetrics.evaluate(recommended: recommended, relevant: rel, k: k,
                                                catalogSize: max(model.items.count, 1))
            return Dictionary(RankingScores.metrics(r).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
