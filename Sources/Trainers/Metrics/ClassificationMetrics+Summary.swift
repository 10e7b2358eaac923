extension ClassificationMetrics {
    /// The usual binary-classification figures in one Codable value (what a run logs).
    ///
    /// ```swift
    /// let s = try ClassificationMetrics.summary(labels: y, probabilities: p)
    /// s.rocAUC; s.averagePrecision; s.logLoss; s.confusion.f1
    /// ```
    public struct Summary: Codable, Sendable, Hashable {
        public var rows: Int
        public var positiveRate: Double
        public var rocAUC: Double
        public var averagePrecision: Double
        public var logLoss: Double
        /// At ``ConfusionMatrix/threshold``.
        public var confusion: ConfusionMatrix

        public init(rows: Int, positiveRate: Double, rocAUC: Double, averagePrecision: Double, logLoss: Double,
                    confusion: ConfusionMatrix) {
            self.rows = rows
            self.positiveRate = positiveRate
            self.rocAUC = rocAUC
            self.averagePrecision = averagePrecision
            self.logLoss = logLoss
            self.confusion = confusion
        }
    }

    /// ROC AUC, average precision, log loss and the confusion matrix at `threshold` of predicted
    /// probabilities (all weighted when `sampleWeights` is given). Needs both classes.
    public static func summary(labels: [Double], probabilities: [Double], threshold: Double = 0.5,
                               sampleWeights: [Double]? = nil) throws -> Summary {
        let confusion = try confusionMatrix(labels: labels, scores: probabilities, threshold: threshold,
                                            sampleWeights: sampleWeights)
        let positives = confusion.truePositives + confusion.falseNegatives
        return Summary(rows: labels.count, positiveRate: confusion.total > 0 ? positives / confusion.total : 0,
                       rocAUC: try rocAUC(labels: labels, scores: probabilities, sampleWeights: sampleWeights),
                       averagePrecision: try averagePrecision(labels: labels, scores: probabilities, sampleWeights: sampleWeights),
                       logLoss: try logLoss(labels: labels, probabilities: probabilities, sampleWeights: sampleWeights),
                       confusion: confusion)
    }
}
