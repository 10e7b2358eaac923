import Trainers

/// Binary-classification metrics under the names runs log and policies gate on.
///
/// ```swift
/// let m = try ClassificationScores.metrics(labels: [0, 1, 1], probabilities: [0.2, 0.7, 0.4], threshold: 0.5)
/// m.first { $0.key == "roc_auc" }?.value   // 1.0
/// ```
public enum ClassificationScores {
    public static func metrics(labels: [Double], probabilities: [Double], threshold: Double) throws -> [(key: String, value: Double)] {
        let s = try ClassificationMetrics.summary(labels: labels, probabilities: probabilities, threshold: threshold)
        return [("roc_auc", s.rocAUC), ("pr_auc", s.averagePrecision), ("log_loss", s.logLoss),
                ("accuracy", s.confusion.accuracy), ("precision", s.confusion.precision), ("recall", s.confusion.recall),
                ("f1", s.confusion.f1)]
    }
}
