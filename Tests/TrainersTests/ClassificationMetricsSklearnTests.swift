import Foundation
import Testing
@testable import Trainers

/// Every classification metric against scikit-learn on seeded random data with many ties (scores
/// rounded to 2 decimals) and random sample weights (some zero).
@Suite("ClassificationMetrics vs scikit-learn")
struct ClassificationMetricsSklearnTests {
    static let script = #"""
import json, sys
import numpy as np
from sklearn import metrics
from sklearn.calibration import calibration_curve
d = json.load(open(sys.argv[1]))
y, p, w = np.array(d['y']), np.array(d['p']), np.array(d['w'])
pred = (p >= 0.5).astype(float)
out = {}
for tag, sw in (('', None), ('_w', w)):
    out['auc' + tag] = metrics.roc_auc_score(y, p, sample_weight=sw)
    out['ap' + tag] = metrics.average_precision_score(y, p, sample_weight=sw)
    out['logloss' + tag] = metrics.log_loss(y, p, sample_weight=sw)
    out['accuracy' + tag] = metrics.accuracy_score(y, pred, sample_weight=sw)
    out['precision' + tag] = metrics.precision_score(y, pred, sample_weight=sw, zero_division=0)
    out['recall' + tag] = metrics.recall_score(y, pred, sample_weight=sw, zero_division=0)
    out['f1' + tag] = metrics.f1_score(y, pred, sample_weight=sw, zero_division=0)
    out['cm' + tag] = metrics.confusion_matrix(y, pred, sample_weight=sw).astype(float).tolist()
    for drop in (True, False):
        fpr, tpr, thr = metrics.roc_curve(y, p, sample_weight=sw, drop_intermediate=drop)
        out['roc%s_%d' % (tag, drop)] = [fpr.tolist(), tpr.tolist(), thr[1:].tolist()]
        pr, rc, thr = metrics.precision_recall_curve(y, p, sample_weight=sw, drop_intermediate=drop)
        out['pr%s_%d' % (tag, drop)] = [pr.tolist(), rc.tolist(), thr.tolist()]
for bins in (5, 10, 13):
    t, q = calibration_curve(y, p, n_bins=bins, strategy='uniform')
    out['cal_%d' % bins] = [t.tolist(), q.tolist()]
print(json.dumps(out))
"""#

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (scikit-learn)"))
    func everyMetricAgrees() throws {
        var g = SeededGenerator(seed: 77)
        let n = 3000
        var y = [Double](), p = [Double](), w = [Double]()
        for _ in 0 ..< n {
            let label: Double = Double.random(in: 0 ..< 1, using: &g) < 0.3 ? 1 : 0
            let z = 1.2 * label - 0.6 + g.normal()
            p.append(((1 / (1 + exp(-z))) * 100).rounded() / 100)  // ties, and exact 0.5 / bin edges
            y.append(label)
            w.append(Double.random(in: 0 ..< 1, using: &g) < 0.1 ? 0 : Double.random(in: 0.1 ..< 3, using: &g))
        }
        let dir = try TestPaths.tempDir("metrics-sklearn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.json")
        try JSONSerialization.data(withJSONObject: ["y": y, "p": p, "w": w]).write(to: input)
        let peer = try #require(try PythonPeer.json(Self.script, args: [input.path]) as? [String: Any])
        func number(_ key: String) throws -> Double {
            guard let v = peer[key] as? Double else { throw PythonPeer.Failure(description: "peer output lacks \(key)") }
            return v
        }
        func arrays(_ key: String) throws -> [[Double]] {
            guard let v = peer[key] as? [[Double]] else { throw PythonPeer.Failure(description: "peer output lacks \(key)") }
            return v
        }
        func close(_ a: Double, _ b: Double, _ what: String) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(what): \(a) vs \(b)")
        }
        func closeAll(_ a: [Double], _ b: [Double], _ what: String) {
            #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) points")
            for (u, v) in zip(a, b) where !(u == v) { close(u, v, what) }
        }
        typealias M = ClassificationMetrics
        for (tag, sw) in [("", nil), ("_w", w)] as [(String, [Double]?)] {
            close(try M.rocAUC(labels: y, scores: p, sampleWeights: sw), try number("auc" + tag), "auc" + tag)
            close(try M.averagePrecision(labels: y, scores: p, sampleWeights: sw), try number("ap" + tag), "ap" + tag)
            close(try M.logLoss(labels: y, probabilities: p, sampleWeights: sw), try number("logloss" + tag), "logloss" + tag)
            let cm = try M.confusionMatrix(labels: y, scores: p, threshold: 0.5, sampleWeights: sw)
            close(cm.accuracy, try number("accuracy" + tag), "accuracy" + tag)
            close(cm.precision, try number("precision" + tag), "precision" + tag)
            close(cm.recall, try number("recall" + tag), "recall" + tag)
            close(cm.f1, try number("f1" + tag), "f1" + tag)
            closeAll(cm.matrix.flatMap { $0 }, try arrays("cm" + tag).flatMap { $0 }, "cm" + tag)
            for drop in [true, false] {
                let key = "\(tag)_\(drop ? 1 : 0)"
                let roc = try M.rocCurve(labels: y, scores: p, sampleWeights: sw, dropIntermediate: drop)
                let r = try arrays("roc" + key)
                closeAll(roc.falsePositiveRates, r[0], "roc fpr" + key)
                closeAll(roc.truePositiveRates, r[1], "roc tpr" + key)
                closeAll(Array(roc.thresholds.dropFirst()), r[2], "roc thresholds" + key)
                #expect(roc.thresholds.first == .infinity)
                let pr = try M.precisionRecallCurve(labels: y, scores: p, sampleWeights: sw, dropIntermediate: drop)
                let q = try arrays("pr" + key)
                closeAll(pr.precision, q[0], "precision curve" + key)
                closeAll(pr.recall, q[1], "recall curve" + key)
                closeAll(pr.thresholds, q[2], "pr thresholds" + key)
            }
        }
        for bins in [5, 10, 13] {
            let cal = try M.calibrationCurve(labels: y, probabilities: p, bins: bins)
            let c = try arrays("cal_\(bins)")
            closeAll(cal.fractionOfPositives, c[0], "calibration prob_true \(bins)")
            closeAll(cal.meanPredicted, c[1], "calibration prob_pred \(bins)")
            #expect(cal.bins.map(\.count).reduce(0, +) == n)
        }
    }
}
