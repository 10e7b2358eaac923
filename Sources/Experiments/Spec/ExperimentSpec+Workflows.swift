import Features
import Trainers

extension ExperimentSpec {
    /// The columns a run reads from the table (projection), in a stable order: the features and the
    /// label (and a time split's column), or the user, item and weight columns; then the filter's.
    public var requiredColumns: [String] {
        var out: [String] = []
        func add(_ c: String) { if !out.contains(where: { $0.lowercased() == c.lowercased() }) { out.append(c) } }
        switch task {
        case .binaryClassification:
            features?.usedColumns.forEach(add)
            if let label { add(label) }
            if case .time(let column, _) = split { add(column) }
        case .recommendation:
            if let i = interactions {
                add(i.user)
                add(i.item)
                if case .column(let w) = i.weight { add(w) }
            }
        }
        source.filter?.columns.forEach(add)
        return out
    }

    /// The ``LogisticTrainingRun`` this spec describes (binary classification with logistic
    /// regression); throws naming the field otherwise.
    public func logisticTrainingRun() throws -> LogisticTrainingRun {
        guard task == .binaryClassification, let features, let label else {
            throw ExperimentError(field: "task", "a logistic training run needs a binary_classification spec")
        }
        guard case .logisticRegression(let p) = trainer else {
            throw ExperimentError(field: "trainer.type", "not logistic_regression")
        }
        let rule: LogisticTrainingRun.SplitRule
        switch split {
        case .random(let f, let seed): rule = .random(testFraction: f, seed: seed)
        case .time(let column, let cutoff): rule = .byTime(column: column, cutoff: cutoff)
        case .perUser: throw ExperimentError(field: "split.type", "per_user does not split rows")
        }
        return LogisticTrainingRun(spec: features, label: label, split: rule, parameters: p)
    }

    /// The ``ALSTrainingRun`` this spec describes (recommendation with ALS). That workflow seeds its
    /// split with the ALS seed and uses `min_interactions` 2, so a spec whose `split.seed` differs
    /// from `trainer.params.seed`, or with another `min_interactions`, is refused naming the field.
    public func alsTrainingRun() throws -> ALSTrainingRun {
        guard task == .recommendation, let interactions else {
            throw ExperimentError(field: "task", "an ALS training run needs a recommendation spec")
        }
        guard case .als(let p) = trainer else { throw ExperimentError(field: "trainer.type", "not als") }
        guard case .perUser(let f, let seed, let m) = split else {
            throw ExperimentError(field: "split.type", "an ALS run splits per user")
        }
        guard seed == p.seed else {
            throw ExperimentError(field: "split.seed", "ALSTrainingRun seeds its split with trainer.params.seed (\(p.seed)), not \(seed)")
        }
        guard m == SplitSpec.defaultMinInteractions else {
            throw ExperimentError(field: "split.min_interactions", "ALSTrainingRun holds out from users with at least 2 interactions")
        }
        return ALSTrainingRun(user: interactions.user, item: interactions.item, weight: interactions.weight,
                              parameters: p, testFraction: f, k: metrics.k ?? MetricsSpec.defaultK)
    }
}
