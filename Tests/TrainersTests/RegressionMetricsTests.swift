import Foundation
import Testing
import Trainers

@Suite struct RegressionMetricsTests {
    @Test func handComputed() throws {
        let p: [Double] = [3, 4, 1.5, 0]
        let a: [Double] = [2, 4, 2.5, -2]
        // errors 1, 0, −1, 2: squared mean (1 + 0 + 1 + 4) / 4 = 1.5; absolute mean 4 / 4 = 1
        #expect(abs(try RegressionMetrics.rmse(predicted: p, actual: a) - 1.5.squareRoot()) < 1e-15)
        #expect(try RegressionMetrics.mae(predicted: p, actual: a) == 1)
        let pf: [Float] = [1, 2], af: [Float] = [1, 2]
        #expect(try RegressionMetrics.rmse(predicted: pf, actual: af) == 0)
    }

    @Test func badInputsThrow() {
        #expect(throws: MetricError.self) { try RegressionMetrics.rmse(predicted: [1.0], actual: []) }
        #expect(throws: MetricError.self) { try RegressionMetrics.mae(predicted: [Double](), actual: []) }
        #expect(throws: MetricError.self) { try RegressionMetrics.mae(predicted: [Double.nan], actual: [1]) }
    }

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (scikit-learn)"))
    func agreesWithScikitLearn() throws {
        var g = SeededGenerator(seed: 11)
        let actual = (0 ..< 500).map { _ in g.normal() * 2 + 3 }
        let predicted = actual.map { $0 + g.normal() * 0.7 }
        let dir = try TestPaths.tempDir("regression-metrics")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values.txt")
        let text = zip(predicted, actual).map { "\($0.0.description) \($0.1.description)" }.joined(separator: "\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let out = try PythonPeer.json("""
            import sys, json, numpy as np
            from sklearn.metrics import mean_squared_error, mean_absolute_error
            d = np.loadtxt(sys.argv[1])
            print(json.dumps({"rmse": float(np.sqrt(mean_squared_error(d[:, 1], d[:, 0]))),
                              "mae": float(mean_absolute_error(d[:, 1], d[:, 0]))}))
            """, args: [file.path]) as? [String: Double]
        let rmse = try RegressionMetrics.rmse(predicted: predicted, actual: actual)
        let mae = try RegressionMetrics.mae(predicted: predicted, actual: actual)
        #expect(abs(rmse - (out?["rmse"] ?? .nan)) < 1e-12)
        #expect(abs(mae - (out?["mae"] ?? .nan)) < 1e-12)
    }
}
