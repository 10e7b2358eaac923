import Foundation
import Testing
@testable import Trainers

/// Classification metrics on cases small enough to compute by hand (ties included).
@Suite("ClassificationMetrics")
struct ClassificationMetricsTests {
    typealias M = ClassificationMetrics

    static func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || abs($0 - $1) <= tol }
    }

    @Test func rocAUCByPairCounting() throws {
        // AUC = P(score_pos > score_neg) + ½·P(tie).
        #expect(try M.rocAUC(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8]) == 0.75)
        #expect(try M.rocAUC(labels: [0, 1, 0, 1], scores: [0.5, 0.5, 0.5, 0.5]) == 0.5)
        // positives {0.5, 0.9, 0.3}, negatives {0.1, 0.5}: wins 1 + ½ + 2 + 1 = 4.5 of 6 pairs.
        #expect(abs(try M.rocAUC(labels: [0, 0, 1, 1, 1], scores: [0.1, 0.5, 0.5, 0.9, 0.3]) - 0.75) <= 1e-15)
        #expect(try M.rocAUC(labels: [1, 1, 0], scores: [3, 2, 1]) == 1)
        #expect(try M.rocAUC(labels: [1, 1, 0], scores: [1, 2, 3]) == 0)
        // Weight 2 on a row equals the row twice; weight 0 removes it.
        let weighted = try M.rocAUC(labels: [0, 0, 1, 1, 1], scores: [0.1, 0.5, 0.5, 0.9, 0.3], sampleWeights: [2, 1, 1, 1, 0])
        let duplicated = try M.rocAUC(labels: [0, 0, 0, 1, 1], scores: [0.1, 0.1, 0.5, 0.5, 0.9])
        #expect(abs(weighted - duplicated) <= 1e-15)
        // positives {0.5, 0.9}, negatives {0.1, 0.1, 0.5}: wins 2 + ½ + 3 = 5.5 of 6.
        #expect(abs(duplicated - 5.5 / 6) <= 1e-15)
    }

    @Test func rocCurveAsScikitLearnDocuments() throws {
        let roc = try M.rocCurve(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8])
        #expect(roc.falsePositiveRates == [0, 0, 0.5, 0.5, 1])
        #expect(roc.truePositiveRates == [0, 0.5, 0.5, 1, 1])
        #expect(roc.thresholds == [.infinity, 0.8, 0.4, 0.35, 0.1])
        // Collinear points are dropped by default, kept with dropIntermediate: false.
        let y: [Double] = [1, 1, 1, 0, 0], s = [0.9, 0.8, 0.7, 0.2, 0.1]
        let dropped = try M.rocCurve(labels: y, scores: s)
        #expect(dropped.thresholds == [.infinity, 0.9, 0.7, 0.1])
        #expect(Self.close(dropped.truePositiveRates, [0, 1.0 / 3, 1, 1]))
        #expect(dropped.falsePositiveRates == [0, 0, 0, 1])
        let full = try M.rocCurve(labels: y, scores: s, dropIntermediate: false)
        #expect(full.thresholds == [.infinity, 0.9, 0.8, 0.7, 0.2, 0.1])
        #expect(full.falsePositiveRates == [0, 0, 0, 0, 0.5, 1])
        #expect(full.area == dropped.area && full.area == 1)
    }

    @Test func precisionRecallAndAveragePrecision() throws {
        let pr = try M.precisionRecallCurve(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8])
        #expect(Self.close(pr.precision, [0.5, 2.0 / 3, 0.5, 1, 1]))
        #expect(pr.recall == [1, 1, 0.5, 0.5, 0])
        #expect(pr.thresholds == [0.1, 0.35, 0.4, 0.8])
        // AP = Σ (Rₙ − Rₙ₊₁)·Pₙ = 0.5·(2/3) + 0.5·1.
        #expect(abs(try M.averagePrecision(labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8]) - (1.0 / 3 + 0.5)) <= 1e-15)
        // Ties: one threshold for the three rows at 0.5 (precision 2/3 there).
        let tied = try M.precisionRecallCurve(labels: [1, 0, 1, 1], scores: [0.5, 0.5, 0.5, 0.9])
        #expect(tied.thresholds == [0.5, 0.9])
        #expect(Self.close(tied.precision, [0.75, 1, 1]))
        #expect(Self.close(tied.recall, [1, 1.0 / 3, 0]))
        // dropIntermediate keeps the first and last of each run of equal true-positive counts.
        let y: [Double] = [1, 0, 0, 0, 1], s = [0.9, 0.8, 0.7, 0.6, 0.5]
        #expect(try M.precisionRecallCurve(labels: y, scores: s, dropIntermediate: true).thresholds == [0.5, 0.6, 0.9])
        #expect(try M.precisionRecallCurve(labels: y, scores: s).thresholds == [0.5, 0.6, 0.7, 0.8, 0.9])
    }

    @Test func logLossClipsLikeScikitLearn() throws {
        let expected = -(log(0.8) + log(0.7)) / 2
        #expect(abs(try M.logLoss(labels: [1, 0], probabilities: [0.8, 0.3]) - expected) <= 1e-15)
        // Weighted: (3·(−log 0.8) + 1·(−log 0.7)) / 4.
        let w = try M.logLoss(labels: [1, 0], probabilities: [0.8, 0.3], sampleWeights: [3, 1])
        #expect(abs(w - (-3 * log(0.8) - log(0.7)) / 4) <= 1e-15)
        // Certain and wrong: clipped at ε = 2.22e-16, so −log ε each.
        #expect(abs(try M.logLoss(labels: [0, 1], probabilities: [1, 0]) - -log(Double.ulpOfOne)) <= 1e-12)
        #expect(try M.logLoss(labels: [1, 0], probabilities: [1, 0]) == -log(1 - Double.ulpOfOne))
        #expect(throws: ClassificationMetricError.probabilityOutOfRange(row: 1, value: 1.5)) {
            try M.logLoss(labels: [1, 0], probabilities: [0.5, 1.5])
        }
    }

    @Test func confusionMatrixAndRatesAtAThreshold() throws {
        let y: [Double] = [0, 1, 1, 0, 1, 0], s = [0.7, 0.8, 0.1, 0.2, 0.5, 0.5]
        let cm = try M.confusionMatrix(labels: y, scores: s)  // ≥ 0.5 is positive
        #expect(cm.matrix == [[1, 2], [1, 2]])
        #expect(cm.precision == 0.5 && cm.recall == 2.0 / 3 && cm.accuracy == 0.5)
        #expect(abs(cm.f1 - 4.0 / 7) <= 1e-15)
        #expect(try M.f1(labels: y, scores: s) == cm.f1)
        #expect(try M.accuracy(labels: y, scores: s, threshold: 0.75) == 4.0 / 6)
        #expect(try M.precision(labels: y, scores: s, threshold: 0.95) == 0)  // nothing predicted positive
        #expect(try M.recall(labels: y, scores: s, threshold: 0.0) == 1)
        let w = try M.confusionMatrix(labels: y, scores: s, sampleWeights: [1, 2, 3, 4, 5, 6])
        #expect(w.matrix == [[4, 7], [3, 7]])
        #expect(w.accuracy == 11.0 / 21)
    }

    @Test func calibrationBinsLikeNumpySearchsorted() throws {
        let y: [Double] = [0, 0, 1, 0, 1, 1, 1]
        let p = [0.1, 0.2, 0.5, 0.3, 0.6, 0.9, 1.0]
        let cal = try M.calibrationCurve(labels: y, probabilities: p, bins: 2)
        // 0.5 sits on the inner edge and goes to the lower bin.
        #expect(cal.bins.map(\.count) == [4, 3])
        #expect(Self.close(cal.meanPredicted, [1.1 / 4, 2.5 / 3]))
        #expect(cal.fractionOfPositives == [0.25, 1])
        let ten = try M.calibrationCurve(labels: y, probabilities: p, bins: 10)
        #expect(ten.bins.count == 10 && ten.bins.map(\.count) == [1, 1, 1, 0, 1, 1, 0, 0, 1, 1])
        #expect(ten.fractionOfPositives.count == 7)
        #expect(ten.bins[3].lower == 3 * 0.1 && ten.bins[9].upper == 1)
        #expect(throws: ClassificationMetricError.self) { try M.calibrationCurve(labels: y, probabilities: p, bins: 0) }
    }

    @Test func summaryGathersTheMetrics() throws {
        let y: [Double] = [0, 0, 1, 1], p = [0.1, 0.4, 0.35, 0.8]
        let s = try M.summary(labels: y, probabilities: p)
        #expect(s.rows == 4 && s.positiveRate == 0.5 && s.rocAUC == 0.75)
        #expect(s.averagePrecision == (try M.averagePrecision(labels: y, scores: p)))
        #expect(s.logLoss == (try M.logLoss(labels: y, probabilities: p)))
        #expect(s.confusion == (try M.confusionMatrix(labels: y, scores: p)))
        let json = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(M.Summary.self, from: json) == s)
    }

    @Test func badInputAndUndefinedMetricsThrow() throws {
        #expect(throws: ClassificationMetricError.invalidLabel(row: 1, value: 2)) {
            try M.rocAUC(labels: [0, 2], scores: [0.1, 0.2])
        }
        #expect(throws: ClassificationMetricError.nonFinite(row: 0, what: "score")) {
            try M.rocAUC(labels: [0, 1], scores: [.nan, 0.2])
        }
        #expect(throws: ClassificationMetricError.shape("2 labels but 1 scores")) {
            try M.rocAUC(labels: [0, 1], scores: [0.2])
        }
        #expect(throws: ClassificationMetricError.invalidSampleWeight(row: 1, value: -1)) {
            try M.rocAUC(labels: [0, 1], scores: [0.1, 0.2], sampleWeights: [1, -1])
        }
        #expect(throws: ClassificationMetricError.undefined("ROC is undefined: only label 1 is present")) {
            try M.rocAUC(labels: [1, 1], scores: [0.1, 0.2])
        }
        #expect(throws: ClassificationMetricError.self) { try M.rocAUC(labels: [0, 1], scores: [0.1, 0.2], sampleWeights: [1, 0]) }
        #expect(throws: ClassificationMetricError.self) { try M.averagePrecision(labels: [0, 0], scores: [0.1, 0.2]) }
        #expect(throws: ClassificationMetricError.self) { try M.logLoss(labels: [], probabilities: []) }
    }
}
