import Features
import GoldTables
import Linalg

/// The whole churn-style training job on one table, as `mltrack train logistic` runs it: split the
/// rows, fit the feature pipeline on the training rows only, transform both parts, read the 0/1
/// label, fit a ``LogisticRegression`` and score the test rows. The caller saves the result.
///
/// ```swift
/// let job = LogisticTrainingRun(spec: try FeatureSpec.load(path: "Experiments/features/churn.yaml"),
///                               label: "churned", split: .random(testFraction: 0.2, seed: 42))
/// let result = try job.run(try GoldTable.open("Experiments/gold/customers").read())
/// result.metrics?.rocAUC
/// ```
public struct LogisticTrainingRun: Sendable, Hashable {
    /// How the rows are split into train and test.
    public enum SplitRule: Sendable, Hashable {
        /// ``Split/random(rowCount:testFraction:seed:)``.
        case random(testFraction: Double, seed: UInt64)
        /// ``Split/byTime(_:column:cutoff:)-(_,_,String)``: rows before `cutoff` train.
        case byTime(column: String, cutoff: String)
    }

    public var spec: FeatureSpec
    public var label: String
    public var split: SplitRule
    public var parameters: LogisticRegression.Parameters

    public init(spec: FeatureSpec, label: String, split: SplitRule = .random(testFraction: 0.2, seed: 42),
                parameters: LogisticRegression.Parameters = .init()) {
        self.spec = spec
        self.label = label
        self.split = split
        self.parameters = parameters
    }

    /// What ``run(_:progress:)`` produced.
    public struct Result: Sendable {
        public var pipeline: FittedPipeline
        public var model: LogisticModel
        /// Row indexes of the table in each part.
        public var split: RowSplit
        /// The test rows' labels (0/1) and predicted probabilities, in ``RowSplit/test`` order.
        public var testLabels: [Double]
        public var testProbabilities: [Double]
        /// Test-set metrics at threshold 0.5; nil when they are undefined (see ``metricsNote``).
        public var metrics: ClassificationMetrics.Summary?
        /// Why ``metrics`` is nil (no test rows, a single class among them).
        public var metricsNote: String?
    }

    /// Runs the job on `table` (all columns the spec uses, the label and a time-split column).
    /// Errors name the column or field: a missing or non-binary label (with its row), a label the
    /// spec also uses as a feature, a bad split, a feature column the pipeline cannot use.
    public func run(_ table: Table, progress: ProgressHandler? = nil) throws -> Result {
        let used = spec.usedColumns.map { $0.lowercased() }
        if used.contains(label.lowercased()) {
            throw FeatureError(column: label, "the label column is also a feature in the spec (add it to drop instead)")
        }
        let y = try BinaryLabels.values(of: table, column: label)
        let rows: RowSplit
        switch split {
        case .random(let f, let seed): rows = try Split.random(rowCount: table.rowCount, testFraction: f, seed: seed)
        case .byTime(let column, let cutoff): rows = try Split.byTime(table, column: column, cutoff: cutoff)
        }
        guard !rows.train.isEmpty else { throw SplitError(field: "split", "no training rows") }
        let train = try table.rows(at: rows.train), test = try table.rows(at: rows.test)
        let pipeline = try FeaturePipeline(spec).fit(train)
        let x = try pipeline.transform(train)
        let model = try LogisticRegression(parameters).fit(x: x, y: rows.train.map { y[$0] },
                                                          featureNames: pipeline.featureNames, progress: progress)
        let testLabels = rows.test.map { y[$0] }
        var probabilities: [Double] = []
        var metrics: ClassificationMetrics.Summary?
        var note: String?
        if rows.test.isEmpty {
            note = "no test rows"
        } else {
            probabilities = try model.predictProbabilities(try pipeline.transform(test))
            do {
                metrics = try ClassificationMetrics.summary(labels: testLabels, probabilities: probabilities)
            } catch let e as ClassificationMetricError {
                note = "test metrics undefined: \(e)"
            }
        }
        return Result(pipeline: pipeline, model: model, split: rows, testLabels: testLabels,
                      testProbabilities: probabilities, metrics: metrics, metricsNote: note)
    }
}
