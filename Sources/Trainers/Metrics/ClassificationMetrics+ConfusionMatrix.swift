extension ClassificationMetrics {
    /// Binary confusion matrix of predictions `score ≥ threshold` (weighted counts), with the
    /// rates derived from it (scikit-learn's `confusion_matrix`, `precision_score`, `recall_score`,
    /// `f1_score` and `accuracy_score`, zero_division = 0).
    ///
    /// ```swift
    /// let cm = try ClassificationMetrics.confusionMatrix(labels: [0, 1, 1], scores: [0.7, 0.8, 0.1])
    /// (cm.trueNegatives, cm.falsePositives, cm.falseNegatives, cm.truePositives) // (0, 1, 1, 1)
    /// cm.precision // 0.5
    /// ```
    public struct ConfusionMatrix: Codable, Sendable, Hashable {
        public var threshold: Double
        public var trueNegatives: Double
        public var falsePositives: Double
        public var falseNegatives: Double
        public var truePositives: Double

        public init(threshold: Double, trueNegatives: Double, falsePositives: Double, falseNegatives: Double,
                    truePositives: Double) {
            self.threshold = threshold
            self.trueNegatives = trueNegatives
            self.falsePositives = falsePositives
            self.falseNegatives = falseNegatives
            self.truePositives = truePositives
        }

        public var total: Double { trueNegatives + falsePositives + falseNegatives + truePositives }
        /// (TP + TN) / total; 0 for an empty matrix.
        public var accuracy: Double { total > 0 ? (truePositives + trueNegatives) / total : 0 }
        /// TP / (TP + FP); 0 when nothing is predicted positive.
        public var precision: Double {
            let d = truePositives + falsePositives
            return d > 0 ? truePositives / d : 0
        }
        /// TP / (TP + FN); 0 when there are no positives.
        public var recall: Double {
            let d = truePositives + falseNegatives
            return d > 0 ? truePositives / d : 0
        }
        /// 2·TP / (2·TP + FP + FN); 0 when the denominator is 0.
        public var f1: Double {
            let d = 2 * truePositives + falsePositives + falseNegatives
            return d > 0 ? 2 * truePositives / d : 0
        }
        /// TN / (TN + FP); 0 when there are no negatives.
        public var specificity: Double {
            let d = trueNegatives + falsePositives
            return d > 0 ? trueNegatives / d : 0
        }
        /// [[TN, FP], [FN, TP]]: scikit-learn's `confusion_matrix` layout (rows true, columns predicted).
        public var matrix: [[Double]] { [[trueNegatives, falsePositives], [falseNegatives, truePositives]] }
    }

    /// The confusion matrix of predictions `score ≥ threshold`.
    public static func confusionMatrix(labels: [Double], scores: [Double], threshold: Double = 0.5,
                                       sampleWeights: [Double]? = nil) throws -> ConfusionMatrix {
        guard !threshold.isNaN else { throw ClassificationMetricError.invalidArgument("threshold is NaN") }
        try validate(labels: labels, values: scores, what: "score", sampleWeights: sampleWeights)
        var tn = 0.0, fp = 0.0, fn = 0.0, tp = 0.0
        for i in labels.indices {
            let w = weight(sampleWeights, i)
            switch (labels[i] == 1, scores[i] >= threshold) {
            case (false, false): tn += w
            case (false, true): fp += w
            case (true, false): fn += w
            case (true, true): tp += w
            }
        }
        return ConfusionMatrix(threshold: threshold, trueNegatives: tn, falsePositives: fp, falseNegatives: fn,
                               truePositives: tp)
    }
}
