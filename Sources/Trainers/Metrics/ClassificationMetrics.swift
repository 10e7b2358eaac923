import Foundation

/// Binary classification metrics with scikit-learn's definitions (labels 0/1, scores where higher
/// means more likely positive, optional non-negative sample weights where scikit-learn takes them).
///
/// ```swift
/// let auc = try ClassificationMetrics.rocAUC(labels: y, scores: p)              // roc_auc_score
/// let ap = try ClassificationMetrics.averagePrecision(labels: y, scores: p)     // average_precision_score
/// let ll = try ClassificationMetrics.logLoss(labels: y, probabilities: p)       // log_loss
/// let cm = try ClassificationMetrics.confusionMatrix(labels: y, scores: p, threshold: 0.5)
/// print(cm.precision, cm.recall, cm.f1, cm.accuracy)
/// let roc = try ClassificationMetrics.rocCurve(labels: y, scores: p)            // roc_curve
/// let cal = try ClassificationMetrics.calibrationCurve(labels: y, probabilities: p, bins: 10)
/// ```
///
/// Bad input (a label other than 0/1, NaN scores, mismatched lengths, negative weights) throws a
/// ``ClassificationMetricError`` naming the row; metrics undefined for the input (ROC AUC with one
/// class present) throw ``ClassificationMetricError/undefined(_:)`` where scikit-learn warns and
/// returns NaN.
public enum ClassificationMetrics {
    /// Checks labels are 0/1, `values` finite (named `what`), lengths equal, weights finite and ≥ 0.
    static func validate(labels: [Double], values: [Double], what: String, sampleWeights: [Double]?) throws {
        guard labels.count == values.count else {
            throw ClassificationMetricError.shape("\(labels.count) labels but \(values.count) \(what)s")
        }
        for (i, v) in labels.enumerated() where v != 0 && v != 1 {
            throw ClassificationMetricError.invalidLabel(row: i, value: v)
        }
        for (i, v) in values.enumerated() where !v.isFinite {
            throw ClassificationMetricError.nonFinite(row: i, what: what)
        }
        if let w = sampleWeights {
            guard w.count == labels.count else {
                throw ClassificationMetricError.shape("\(labels.count) labels but \(w.count) sample weights")
            }
            for (i, v) in w.enumerated() where !(v.isFinite && v >= 0) {
                throw ClassificationMetricError.invalidSampleWeight(row: i, value: v)
            }
        }
    }

    /// Σ wᵢ·[condition] / Σ wᵢ helpers: the weight of row i (1 without weights).
    @inline(__always) static func weight(_ w: [Double]?, _ i: Int) -> Double { w?[i] ?? 1 }

    /// Weighted mean of `values` (np.average).
    static func average(_ values: [Double], _ w: [Double]?) throws -> Double {
        guard !values.isEmpty else { throw ClassificationMetricError.undefined("the metric is undefined for no rows") }
        var num = 0.0, den = 0.0
        for i in values.indices {
            let wi = weight(w, i)
            num += wi * values[i]
            den += wi
        }
        guard den > 0 else { throw ClassificationMetricError.undefined("the sample weights sum to zero") }
        return num / den
    }

    /// scikit-learn's `log_loss` for binary labels: the weighted mean of
    /// −[y·log(p) + (1 − y)·log(1 − p)] with p and 1 − p clipped to [ε, 1 − ε], ε = 2.22e-16.
    public static func logLoss(labels: [Double], probabilities: [Double], sampleWeights: [Double]? = nil) throws -> Double {
        try validate(labels: labels, values: probabilities, what: "probability", sampleWeights: sampleWeights)
        let eps = Double.ulpOfOne
        var losses = [Double](repeating: 0, count: labels.count)
        for i in labels.indices {
            let p = probabilities[i]
            guard p >= 0, p <= 1 else { throw ClassificationMetricError.probabilityOutOfRange(row: i, value: p) }
            let pos = min(max(p, eps), 1 - eps), neg = min(max(1 - p, eps), 1 - eps)
            losses[i] = labels[i] == 1 ? -log(pos) : -log(neg)
        }
        return try average(losses, sampleWeights)
    }

    /// Fraction (weighted) of rows whose prediction `score ≥ threshold` matches the label
    /// (scikit-learn's `accuracy_score` on those predictions).
    public static func accuracy(labels: [Double], scores: [Double], threshold: Double = 0.5,
                                sampleWeights: [Double]? = nil) throws -> Double {
        try confusionMatrix(labels: labels, scores: scores, threshold: threshold, sampleWeights: sampleWeights).accuracy
    }

    /// Precision at `threshold` (0 when nothing is predicted positive, scikit-learn's zero_division).
    public static func precision(labels: [Double], scores: [Double], threshold: Double = 0.5,
                                 sampleWeights: [Double]? = nil) throws -> Double {
        try confusionMatrix(labels: labels, scores: scores, threshold: threshold, sampleWeights: sampleWeights).precision
    }

    /// Recall at `threshold` (0 when there are no positives).
    public static func recall(labels: [Double], scores: [Double], threshold: Double = 0.5,
                              sampleWeights: [Double]? = nil) throws -> Double {
        try confusionMatrix(labels: labels, scores: scores, threshold: threshold, sampleWeights: sampleWeights).recall
    }

    /// F1 at `threshold`: 2·TP / (2·TP + FP + FN), 0 when that denominator is 0.
    public static func f1(labels: [Double], scores: [Double], threshold: Double = 0.5,
                          sampleWeights: [Double]? = nil) throws -> Double {
        try confusionMatrix(labels: labels, scores: scores, threshold: threshold, sampleWeights: sampleWeights).f1
    }
}
