extension ClassificationMetrics {
    /// A binned reliability diagram: for each of `bins` equal-width bins of [0, 1], how many rows
    /// fell in it, their mean predicted probability and their observed fraction of positives.
    /// ``fractionOfPositives`` and ``meanPredicted`` over the non-empty bins are scikit-learn's
    /// `calibration_curve(y, p, n_bins=bins, strategy='uniform')` (`prob_true`, `prob_pred`).
    ///
    /// ```swift
    /// let cal = try ClassificationMetrics.calibrationCurve(labels: y, probabilities: p, bins: 10)
    /// for b in cal.bins where b.count > 0 { print(b.lower, b.upper, b.meanPredicted, b.fractionPositive) }
    /// ```
    public struct CalibrationCurve: Codable, Sendable, Hashable {
        /// One probability bin: its edges, how many rows fell in it and their mean prediction and
        /// observed positive rate (`cal.bins[0].fractionPositive`).
        public struct Bin: Codable, Sendable, Hashable {
            /// Bin edges: a probability p belongs to the first bin whose `upper ≥ p` (the first bin
            /// also takes 0; an edge value goes to the lower bin, as numpy's searchsorted does).
            public var lower: Double
            public var upper: Double
            public var count: Int
            /// Mean predicted probability of the bin's rows (0 when empty).
            public var meanPredicted: Double
            /// Fraction of the bin's rows with label 1 (0 when empty).
            public var fractionPositive: Double

            public init(lower: Double, upper: Double, count: Int, meanPredicted: Double, fractionPositive: Double) {
                self.lower = lower
                self.upper = upper
                self.count = count
                self.meanPredicted = meanPredicted
                self.fractionPositive = fractionPositive
            }
        }

        /// Every bin, empty ones included, from [0, 1/bins] upwards.
        public var bins: [Bin]

        public init(bins: [Bin]) { self.bins = bins }

        /// Observed fraction of positives per non-empty bin (scikit-learn's `prob_true`).
        public var fractionOfPositives: [Double] { bins.filter { $0.count > 0 }.map(\.fractionPositive) }
        /// Mean predicted probability per non-empty bin (scikit-learn's `prob_pred`).
        public var meanPredicted: [Double] { bins.filter { $0.count > 0 }.map(\.meanPredicted) }
    }

    /// The calibration curve with `bins` uniform bins (scikit-learn's default is 5).
    public static func calibrationCurve(labels: [Double], probabilities: [Double], bins: Int = 5) throws -> CalibrationCurve {
        guard bins >= 1, bins <= 1 << 20 else {
            throw ClassificationMetricError.invalidArgument("bins must be between 1 and 1048576 (got \(bins))")
        }
        try validate(labels: labels, values: probabilities, what: "probability", sampleWeights: nil)
        // Edges as numpy's linspace(0, 1, bins + 1) computes them: k · (1/bins), the last exactly 1.
        let step = 1.0 / Double(bins)
        let edges = (0 ... bins).map { $0 == bins ? 1.0 : Double($0) * step }
        var sums = [Double](repeating: 0, count: bins), positives = [Double](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        for i in labels.indices {
            let p = probabilities[i]
            guard p >= 0, p <= 1 else { throw ClassificationMetricError.probabilityOutOfRange(row: i, value: p) }
            // searchsorted(edges[1..<bins], p, side='left'): the number of inner edges < p.
            var lo = 1, hi = bins
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] < p { lo = mid + 1 } else { hi = mid }
            }
            let b = lo - 1
            sums[b] += p
            positives[b] += labels[i]
            counts[b] += 1
        }
        return CalibrationCurve(bins: (0 ..< bins).map { b in
            let n = Double(counts[b])
            return .init(lower: edges[b], upper: edges[b + 1], count: counts[b],
                         meanPredicted: counts[b] > 0 ? sums[b] / n : 0,
                         fractionPositive: counts[b] > 0 ? positives[b] / n : 0)
        })
    }
}
