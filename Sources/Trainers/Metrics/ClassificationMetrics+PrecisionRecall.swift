extension ClassificationMetrics {
    /// A precision–recall curve as data: scikit-learn's `precision_recall_curve`.
    ///
    /// Element k < thresholds.count is the precision/recall of predictions `score ≥ thresholds[k]`,
    /// thresholds increasing (so recall decreasing); the last element is precision 1, recall 0,
    /// with no threshold.
    ///
    /// ```swift
    /// let pr = try ClassificationMetrics.precisionRecallCurve(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8])
    /// pr.precision  // [0.5, 0.667, 0.5, 1, 1]
    /// pr.recall     // [1, 1, 0.5, 0.5, 0]
    /// pr.thresholds // [0.1, 0.35, 0.4, 0.8]
    /// ```
    public struct PrecisionRecallCurve: Codable, Sendable, Hashable {
        public var precision: [Double]
        public var recall: [Double]
        public var thresholds: [Double]

        public init(precision: [Double], recall: [Double], thresholds: [Double]) {
            self.precision = precision
            self.recall = recall
            self.thresholds = thresholds
        }

        /// Average precision over this curve: Σₙ (Rₙ − Rₙ₊₁)·Pₙ (the step integral, no interpolation).
        public var averagePrecision: Double {
            var s = 0.0
            for k in 0 ..< max(min(recall.count - 1, precision.count), 0) { s += (recall[k] - recall[k + 1]) * precision[k] }
            return max(0, s)
        }
    }

    /// The precision–recall curve; `dropIntermediate` (scikit-learn's default false) keeps only the
    /// first and last threshold of each run of equal true-positive counts. Needs a positive label.
    public static func precisionRecallCurve(labels: [Double], scores: [Double], sampleWeights: [Double]? = nil,
                                            dropIntermediate: Bool = false) throws -> PrecisionRecallCurve {
        let c = try thresholdCounts(labels: labels, scores: scores, sampleWeights: sampleWeights)
        guard let positives = c.truePositives.last else {
            throw ClassificationMetricError.undefined("precision/recall is undefined for no rows (or all weights zero)")
        }
        if positives <= 0 {
            throw ClassificationMetricError.undefined("recall is undefined: no positive label is present")
        }
        var keep = Array(c.thresholds.indices)
        if dropIntermediate, c.thresholds.count > 2 {
            let t = c.truePositives
            keep = [0]
            for k in 1 ..< c.thresholds.count - 1 where t[k] != t[k - 1] || t[k + 1] != t[k] { keep.append(k) }
            keep.append(c.thresholds.count - 1)
        }
        var precision: [Double] = [], recall: [Double] = [], thresholds: [Double] = []
        for k in keep.reversed() {
            let tp = c.truePositives[k], predicted = tp + c.falsePositives[k]
            precision.append(predicted != 0 ? tp / predicted : 0)
            recall.append(tp / positives)
            thresholds.append(c.thresholds[k])
        }
        precision.append(1)
        recall.append(0)
        return PrecisionRecallCurve(precision: precision, recall: recall, thresholds: thresholds)
    }

    /// PR AUC as scikit-learn's `average_precision_score`: AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct
    /// thresholds (no interpolation). Needs a positive label.
    public static func averagePrecision(labels: [Double], scores: [Double], sampleWeights: [Double]? = nil) throws -> Double {
        try precisionRecallCurve(labels: labels, scores: scores, sampleWeights: sampleWeights).averagePrecision
    }
}
