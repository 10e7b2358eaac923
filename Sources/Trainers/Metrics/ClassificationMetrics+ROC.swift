extension ClassificationMetrics {
    /// A receiver operating characteristic curve as data: scikit-learn's `roc_curve`.
    ///
    /// Point 0 is (0, 0) at threshold +∞; point k > 0 is the false/true positive rate of
    /// predictions `score ≥ thresholds[k]`, thresholds decreasing.
    ///
    /// ```swift
    /// let roc = try ClassificationMetrics.rocCurve(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8])
    /// roc.falsePositiveRates // [0, 0, 0.5, 0.5, 1]
    /// roc.truePositiveRates  // [0, 0.5, 0.5, 1, 1]
    /// roc.thresholds         // [inf, 0.8, 0.4, 0.35, 0.1]
    /// ```
    public struct ROCCurve: Codable, Sendable, Hashable {
        public var falsePositiveRates: [Double]
        public var truePositiveRates: [Double]
        public var thresholds: [Double]

        public init(falsePositiveRates: [Double], truePositiveRates: [Double], thresholds: [Double]) {
            self.falsePositiveRates = falsePositiveRates
            self.truePositiveRates = truePositiveRates
            self.thresholds = thresholds
        }

        /// The trapezoidal area under the curve (scikit-learn's `auc(fpr, tpr)`).
        public var area: Double {
            var a = 0.0
            for k in 1 ..< max(min(falsePositiveRates.count, truePositiveRates.count), 1) {
                a += (falsePositiveRates[k] - falsePositiveRates[k - 1])
                    * (truePositiveRates[k] + truePositiveRates[k - 1]) / 2
            }
            return a
        }
    }

    /// The ROC curve. `dropIntermediate` (scikit-learn's default true) drops thresholds whose
    /// point is collinear with its neighbours (no effect on the area); false keeps one point per
    /// distinct score. Needs both classes (with positive weight).
    public static func rocCurve(labels: [Double], scores: [Double], sampleWeights: [Double]? = nil,
                                dropIntermediate: Bool = true) throws -> ROCCurve {
        let c = try thresholdCounts(labels: labels, scores: scores, sampleWeights: sampleWeights)
        guard let positives = c.truePositives.last, let negatives = c.falsePositives.last else {
            throw ClassificationMetricError.undefined("ROC is undefined for no rows (or all weights zero)")
        }
        if positives <= 0 { throw ClassificationMetricError.undefined("ROC is undefined: only label 0 is present") }
        if negatives <= 0 { throw ClassificationMetricError.undefined("ROC is undefined: only label 1 is present") }
        var keep = Array(c.thresholds.indices)
        if dropIntermediate, c.thresholds.count > 2 {
            // Keep k when the second difference of fps or tps at k is non-zero (a corner).
            let f = c.falsePositives, t = c.truePositives
            keep = [0]
            for k in 1 ..< c.thresholds.count - 1
            where (f[k + 1] - f[k]) - (f[k] - f[k - 1]) != 0 || (t[k + 1] - t[k]) - (t[k] - t[k - 1]) != 0 {
                keep.append(k)
            }
            keep.append(c.thresholds.count - 1)
        }
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        for k in keep {
            fpr.append(c.falsePositives[k] / negatives)
            tpr.append(c.truePositives[k] / positives)
            thresholds.append(c.thresholds[k])
        }
        return ROCCurve(falsePositiveRates: fpr, truePositiveRates: tpr, thresholds: thresholds)
    }

    /// Area under the ROC curve: scikit-learn's `roc_auc_score` (trapezoids between distinct
    /// scores, so tied scores count half). Needs both classes.
    public static func rocAUC(labels: [Double], scores: [Double], sampleWeights: [Double]? = nil) throws -> Double {
        try rocCurve(labels: labels, scores: scores, sampleWeights: sampleWeights, dropIntermediate: true).area
    }
}
