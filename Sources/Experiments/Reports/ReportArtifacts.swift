import Foundation
import Trainers

/// The report files of a finished training run, as (artifact path, bytes) pairs ready for
/// ``ArtifactStore/log(data:at:)``: what `mltrack run` logs besides the model package, the spec
/// and the dataset.
///
/// Logistic runs: `plots/roc.svg`, `plots/precision_recall.svg`, `plots/calibration.svg` (on the
/// test rows; left out when the test part has a single class), `plots/loss.svg` (when the
/// progress carried losses), `drivers.csv`, `drivers.md`. ALS runs: `plots/loss.svg`,
/// `top_items.csv`, `sample_recommendations.csv`.
///
/// ```swift
/// var progress: [TrainingProgress] = []   // collected by the run's progress handler
/// for file in try ReportArtifacts.logistic(result, progress: progress) {
///     try store.log(data: file.data, at: file.path)
/// }
/// ```
public enum ReportArtifacts {
    /// One report file.
    public struct File: Sendable, Hashable {
        public var path: String
        public var data: Data

        public init(path: String, data: Data) {
            self.path = path
            self.data = data
        }
    }

    /// The files of a logistic (churn) run; `calibrationBins` uniform bins for the calibration plot.
    public static func logistic(_ result: LogisticTrainingRun.Result, progress: [TrainingProgress] = [],
                                calibrationBins: Int = 10) throws -> [File] {
        var files: [File] = []
        let y = result.testLabels, p = result.testProbabilities
        if !y.isEmpty, y.contains(0), y.contains(1) {
            let roc = try ClassificationMetrics.rocCurve(labels: y, scores: p)
            files.append(File(path: "plots/roc.svg", data: Data(try ReportPlots.roc(roc).utf8)))
            let pr = try ClassificationMetrics.precisionRecallCurve(labels: y, scores: p)
            let rate = y.reduce(0, +) / Double(y.count)
            files.append(File(path: "plots/precision_recall.svg", data: Data(try ReportPlots.precisionRecall(pr, positiveRate: rate).utf8)))
            let cal = try ClassificationMetrics.calibrationCurve(labels: y, probabilities: p, bins: calibrationBins)
            files.append(File(path: "plots/calibration.svg", data: Data(try ReportPlots.calibration(cal).utf8)))
        }
        if progress.contains(where: { $0.loss?.isFinite == true }) {
            files.append(File(path: "plots/loss.svg", data: Data(try ReportPlots.loss(progress, title: "Logistic regression training loss").utf8)))
        }
        let drivers = ChurnDrivers(model: result.model, pipeline: result.pipeline)
        files.append(File(path: "drivers.csv", data: Data(drivers.csv().utf8)))
        files.append(File(path: "drivers.md", data: Data(drivers.markdown().utf8)))
        return files
    }

    /// The files of an ALS run: the loss curve (when the progress carried losses), the `topItems`
    /// most popular items, and `k` recommendations for the `sampleUsers` most active users.
    public static func als(_ result: ALSTrainingRun.Result, progress: [TrainingProgress] = [], topItems: Int = 20,
                           sampleUsers: Int = 5, k: Int = 10) throws -> [File] {
        var files: [File] = []
        if progress.contains(where: { $0.loss?.isFinite == true }) {
            files.append(File(path: "plots/loss.svg", data: Data(try ReportPlots.loss(progress, title: "ALS training loss").utf8)))
        }
        let report = RecommendationReport(model: result.model)
        files.append(File(path: "top_items.csv", data: Data(report.topItemsCSV(k: topItems).utf8)))
        files.append(File(path: "sample_recommendations.csv",
                          data: Data(report.recommendationsCSV(users: report.sampleUsers(count: sampleUsers), k: k).utf8)))
        return files
    }
}
