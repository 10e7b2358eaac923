import Tracking
import Trainers

/// The SVG plots `mltrack run` logs as artifacts, from the curve data of `Trainers/Metrics`:
/// ROC (AUC in the title, the chance diagonal), precision–recall (average precision in the title,
/// a step curve as scikit-learn draws it), calibration (binned mean prediction against observed
/// rate, with each bin's count) and a per-iteration training loss curve. 640×480, deterministic.
///
/// ```swift
/// let roc = try ClassificationMetrics.rocCurve(labels: y, scores: p)
/// try ReportPlots.roc(roc).write(toFile: "roc.svg", atomically: true, encoding: .utf8)
/// let cal = try ClassificationMetrics.calibrationCurve(labels: y, probabilities: p, bins: 10)
/// let svg = try ReportPlots.calibration(cal)
/// ```
///
/// Curves with mismatched arrays or non-finite values throw an ``ExperimentError`` naming the plot.
public enum ReportPlots {
    static let unitTicks: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1]

    static func unitChart(_ title: String, x: String, y: String) -> SVGChart {
        SVGChart(title: title, xLabel: x, yLabel: y, xDomain: 0 ... 1, yDomain: 0 ... 1, xTicks: unitTicks, yTicks: unitTicks)
    }

    static func check(_ field: String, _ xs: [Double], _ ys: [Double], _ names: (String, String)) throws {
        guard xs.count == ys.count else {
            throw ExperimentError(field: field, "\(xs.count) \(names.0) but \(ys.count) \(names.1)")
        }
        guard !xs.isEmpty else { throw ExperimentError(field: field, "the curve has no points") }
        for (i, v) in zip(xs, ys).enumerated() where !(v.0.isFinite && v.1.isFinite) {
            throw ExperimentError(field: field, "point \(i) is not finite (\(v.0), \(v.1))")
        }
    }

    /// ROC curve: false positive rate against true positive rate through every curve point
    /// (`M` + one `L` per further point), the chance diagonal dashed; title `ROC curve (AUC = 0.875)`.
    public static func roc(_ curve: ClassificationMetrics.ROCCurve, title: String = "ROC curve") throws -> String {
        try check("reports.roc", curve.falsePositiveRates, curve.truePositiveRates, ("false positive rates", "true positive rates"))
        var chart = unitChart("\(title) (AUC = \(ReportFormat.fixed(curve.area)))", x: "False positive rate", y: "True positive rate")
        chart.addLine([(0, 0), (1, 1)], cssClass: "reference", stroke: "#888888", width: 1, dashed: true, legend: "chance (AUC = 0.5)")
        chart.addLine(Array(zip(curve.falsePositiveRates, curve.truePositiveRates)), cssClass: "curve",
                      legend: "model (AUC = \(ReportFormat.fixed(curve.area)))")
        return chart.render()
    }

    /// Precision–recall curve as a step line in the curve's order (recall decreasing: `M` then
    /// `H`/`V` per further point), with the positive rate as a dashed no-skill line when given;
    /// title `Precision–recall curve (AP = 0.833)`.
    public static func precisionRecall(_ curve: ClassificationMetrics.PrecisionRecallCurve, positiveRate: Double? = nil,
                                       title: String = "Precision–recall curve") throws -> String {
        try check("reports.precision_recall", curve.recall, curve.precision, ("recalls", "precisions"))
        var chart = unitChart("\(title) (AP = \(ReportFormat.fixed(curve.averagePrecision)))", x: "Recall", y: "Precision")
        chart.legendCorner = .topRight
        if let r = positiveRate, r.isFinite {
            chart.addLine([(0, r), (1, r)], cssClass: "reference", stroke: "#888888", width: 1, dashed: true,
                          legend: "no skill (\(ReportFormat.fixed(r)))")
        }
        chart.addSteps(Array(zip(curve.recall, curve.precision)), cssClass: "curve",
                       legend: "model (AP = \(ReportFormat.fixed(curve.averagePrecision)))")
        return chart.render()
    }

    /// Calibration (reliability) plot: the non-empty bins' mean predicted probability against
    /// their observed positive rate, joined by a line, a circle per bin labelled `n=<count>`, and
    /// the perfectly calibrated diagonal.
    public static func calibration(_ curve: ClassificationMetrics.CalibrationCurve, title: String = "Calibration") throws -> String {
        let bins = curve.bins.filter { $0.count > 0 }
        try check("reports.calibration", bins.map(\.meanPredicted), bins.map(\.fractionPositive), ("predictions", "rates"))
        let rows = bins.reduce(0) { $0 + $1.count }
        var chart = unitChart("\(title) (\(curve.bins.count) bins, \(rows) rows)", x: "Mean predicted probability",
                              y: "Observed fraction of positives")
        chart.legendCorner = .bottomRight
        chart.addLine([(0, 0), (1, 1)], cssClass: "reference", stroke: "#888888", width: 1, dashed: true, legend: "perfectly calibrated")
        chart.addLine(bins.map { ($0.meanPredicted, $0.fractionPositive) }, cssClass: "curve", legend: "model")
        for b in bins {
            chart.addCircle(b.meanPredicted, b.fractionPositive, cssClass: "point")
            // Near the right edge the label goes left of its point so it stays inside 640 px.
            let right = b.meanPredicted > 0.9
            chart.addText("n=\(b.count)", at: b.meanPredicted, b.fractionPositive, dx: right ? -6 : 6, dy: -6, cssClass: "count",
                          anchor: right ? "end" : "start")
        }
        return chart.render()
    }

    /// Training loss per iteration (ALS sweeps, solver steps): a line through the finite losses
    /// with a circle at each, nice ticks on both axes. Non-finite losses are skipped and counted in
    /// the title; no finite loss is an error.
    public static func loss(iterations: [Int], losses: [Double], title: String = "Training loss") throws -> String {
        guard iterations.count == losses.count else {
            throw ExperimentError(field: "reports.loss", "\(iterations.count) iterations but \(losses.count) losses")
        }
        let points = zip(iterations, losses).filter { $0.1.isFinite }.map { (Double($0.0), $0.1) }
        guard let first = points.first else { throw ExperimentError(field: "reports.loss", "no finite loss to plot") }
        let xs = points.map(\.0), ys = points.map(\.1)
        let x = SVGChart.niceTicks(xs.min() ?? first.0, xs.max() ?? first.0, count: min(10, max(points.count - 1, 1)), integer: true)
        let y = SVGChart.niceTicks(ys.min() ?? first.1, ys.max() ?? first.1)
        let skipped = losses.count - points.count
        var chart = SVGChart(title: title + (skipped > 0 ? " (\(skipped) non-finite skipped)" : ""), xLabel: "Iteration",
                             yLabel: "Loss", xDomain: x.domain, yDomain: y.domain, xTicks: x.ticks, yTicks: y.ticks)
        chart.legendCorner = .topRight
        chart.addLine(points, cssClass: "curve", legend: "loss (last \(ReportFormat.tick(ys.last ?? first.1)))")
        for p in points { chart.addCircle(p.0, p.1, radius: 3, cssClass: "point") }
        return chart.render()
    }

    /// ``loss(iterations:losses:title:)`` from the progress a trainer reported (entries without a
    /// loss are left out).
    public static func loss(_ progress: [TrainingProgress], title: String = "Training loss") throws -> String {
        let withLoss = progress.compactMap { p in p.loss.map { (p.iteration, $0) } }
        return try loss(iterations: withLoss.map(\.0), losses: withLoss.map(\.1), title: title)
    }
}
