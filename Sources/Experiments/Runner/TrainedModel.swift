import Features
import Foundation
import GoldTables
import ModelPackage
import Trainers

/// One fitted spec: the workflow's result, the metrics to log (test metrics under their plain
/// names, `train_*` on the training rows where the workflow gives them, `baseline_*` for the
/// popularity baseline of a recommender), the training progress and the fit time. It saves its
/// model package and produces its report files.
///
/// ```swift
/// let trained = try TrainedModel.fit(spec, source: try RunSource.load(spec))
/// trained.metrics["roc_auc"]; trained.losses.count; try trained.savePackage(to: dir, runId: id, source: source)
/// ```
public struct TrainedModel: Sendable {
    public enum Fitted: Sendable {
        case logistic(LogisticTrainingRun.Result)
        case als(ALSTrainingRun.Result)
    }

    public var fitted: Fitted
    /// Final metrics, in logging order.
    public var metrics: [(key: String, value: Double)]
    /// Every progress point of the trainer (losses as `train_loss` with steps).
    public var progress: [TrainingProgress]
    public var fitSeconds: Double
    /// Why some metrics are missing (a test part with one class, no held-out interactions).
    public var metricsNote: String?
    public var k: Int

    /// Fits `spec` on `source.table` with its workflow and computes the metrics it names.
    public static func fit(_ spec: ExperimentSpec, source: RunSource, progress: ProgressHandler? = nil) throws -> TrainedModel {
        let log = ProgressLog(forward: progress)
        let wanted = Set(spec.metrics.compute + [spec.metrics.primary])
        let k = spec.metrics.k ?? MetricsSpec.defaultK
        let start = Date()
        switch spec.task {
        case .binaryClassification:
            let job = try spec.logisticTrainingRun()
            let result = try job.run(source.table, progress: log.handler)
            let seconds = Date().timeIntervalSince(start)
            let threshold = spec.metrics.threshold ?? 0.5
            var metrics: [(key: String, value: Double)] = []
            var note = result.metricsNote
            if !result.testLabels.isEmpty {
                do {
                    let test = try ClassificationScores.metrics(labels: result.testLabels, probabilities: result.testProbabilities,
                                                                threshold: threshold)
                    metrics += test.filter { wanted.contains($0.key) }
                } catch {
                    note = note ?? "test metrics undefined: \(error)"
                }
            }
            let labels = try BinaryLabels.values(of: source.table, column: job.label)
            let trainRows = try source.table.rows(at: result.split.train)
            let trainProbabilities = try result.model.predictProbabilities(try result.pipeline.transform(trainRows))
            if let train = try? ClassificationScores.metrics(labels: result.split.train.map { labels[$0] },
                                                             probabilities: trainProbabilities, threshold: threshold) {
                metrics += train.filter { wanted.contains($0.key) }.map { ("train_" + $0.key, $0.value) }
            }
            metrics += [("train_rows", Double(result.split.train.count)), ("test_rows", Double(result.split.test.count))]
            return TrainedModel(fitted: .logistic(result), metrics: metrics, progress: log.points, fitSeconds: seconds,
                                metricsNote: note, k: k)
        case .recommendation:
            let job = try spec.alsTrainingRun()
            let result = try job.run(source.table, progress: log.handler)
            let seconds = Date().timeIntervalSince(start)
            var metrics: [(key: String, value: Double)] = []
            if let r = result.ranking {
                metrics += RankingScores.metrics(r).filter { wanted.contains($0.key) }
            }
            if let b = result.popularityBaseline {
                metrics += RankingScores.metrics(b).filter { wanted.contains($0.key) }.map { ("baseline_" + $0.key, $0.value) }
            }
            if let rmse = result.rmse { metrics.append(("rmse", rmse)) }
            if let mae = result.mae { metrics.append(("mae", mae)) }
            metrics += [("train_interactions", Double(result.train.nonZeros)), ("test_interactions", Double(result.test.nonZeros)),
                        ("evaluated_users", Double(result.ranking?.users ?? 0))]
            return TrainedModel(fitted: .als(result), metrics: metrics, progress: log.points, fitSeconds: seconds,
                                metricsNote: result.ranking == nil ? "no held-out interactions" : nil, k: k)
        }
    }

    /// The `train_loss` points: (iteration, loss, seconds since training started) for every
    /// progress point with a finite loss.
    public var losses: [(step: Int, loss: Double, elapsed: Double)] {
        progress.compactMap { p in p.loss.flatMap { $0.isFinite ? (p.iteration, $0, p.elapsed) : nil } }
    }

    /// Saves the model package (model, pipeline, signature, lineage naming `runId`, an input
    /// example) to the new directory `url`.
    @discardableResult
    public func savePackage(to url: URL, runId: String, source: RunSource) throws -> ModelManifest {
        var lineage = TrainingLineage(source.lineage, trainingRunId: runId)
        lineage.tablePath = lineage.tablePath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        switch fitted {
        case .logistic(let r):
            let inputs = r.pipeline.inputs.map(\.name)
            let example = try InputExample(table: source.table.rows(at: Array(r.split.train.prefix(5))), columns: inputs)
            return try ModelPackage.save(model: r.model, pipeline: r.pipeline,
                                         signature: try ModelSignature.logistic(pipeline: r.pipeline, schema: source.gold.schema),
                                         lineage: lineage, to: url,
                                         options: .init(artifactPath: "model", inputExample: example))
        case .als(let r):
            let example = InputExample(columns: ["user_id", "k"],
                                       data: r.model.users.ids.prefix(3).map { [.string($0), .int(Int64(k))] })
            return try ModelPackage.save(model: r.model, pipeline: nil, signature: .als, lineage: lineage, to: url,
                                         options: .init(artifactPath: "model", inputExample: example))
        }
    }

    /// The report artifacts (plots, drivers or top items).
    public func reportFiles() throws -> [ReportArtifacts.File] {
        switch fitted {
        case .logistic(let r): try ReportArtifacts.logistic(r, progress: progress)
        case .als(let r): try ReportArtifacts.als(r, progress: progress, k: k)
        }
    }
}
