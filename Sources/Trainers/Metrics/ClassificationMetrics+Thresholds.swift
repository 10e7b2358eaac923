extension ClassificationMetrics {
    /// Weighted true/false positive counts at each distinct score, scores decreasing: scikit-learn's
    /// `confusion_matrix_at_thresholds` (zero-weight rows dropped first, ties grouped at one threshold).
    struct ThresholdCounts: Sendable {
        /// Cumulative positive weight with score ≥ thresholds[k].
        var truePositives: [Double]
        /// Cumulative negative weight with score ≥ thresholds[k].
        var falsePositives: [Double]
        /// Distinct scores, decreasing.
        var thresholds: [Double]
    }

    static func thresholdCounts(labels: [Double], scores: [Double], sampleWeights: [Double]?) throws -> ThresholdCounts {
        try validate(labels: labels, values: scores, what: "score", sampleWeights: sampleWeights)
        var order = [Int]()
        order.reserveCapacity(labels.count)
        for i in labels.indices where weight(sampleWeights, i) != 0 { order.append(i) }
        scores.withUnsafeBufferPointer { s in
            order.sort { s[$0] > s[$1] || (s[$0] == s[$1] && $0 < $1) }
        }
        var tps: [Double] = [], fps: [Double] = [], thresholds: [Double] = []
        var tp = 0.0, fp = 0.0
        for (k, i) in order.enumerated() {
            let w = weight(sampleWeights, i)
            if labels[i] == 1 { tp += w } else { fp += w }
            if k == order.count - 1 || scores[order[k + 1]] != scores[i] {
                tps.append(tp)
                // Unweighted, scikit-learn counts false positives as (rank + 1) − tps: the same integers.
                fps.append(fp)
                thresholds.append(scores[i])
            }
        }
        return ThresholdCounts(truePositives: tps, falsePositives: fps, thresholds: thresholds)
    }
}
