import Foundation
import Linalg
import Synchronization
import Testing
@testable import Trainers

/// Logistic regression against independent scalar computations (no Python needed).
@Suite("LogisticRegression")
struct LogisticRegressionTests {
    /// The C-convention objective and its gradient, by plain loops: C·Σ sᵢℓᵢ + ½‖w‖².
    static func naive(_ x: Matrix<Double>, _ y: [Double], _ s: [Double], w: [Double], b: Double, c: Double)
        -> (loss: Double, gradient: [Double], hessian: [[Double]]) {
        let (n, p) = (x.rows, x.columns)
        var loss = 0.0
        var g = [Double](repeating: 0, count: p + 1)
        var h = [[Double]](repeating: [Double](repeating: 0, count: p + 1), count: p + 1)
        for i in 0 ..< n {
            var z = b
            for j in 0 ..< p { z += x[i, j] * w[j] }
            let prob = 1 / (1 + exp(-z))
            loss += s[i] * (y[i] == 1 ? -log(prob) : -log(1 - prob))
            var row = (0 ..< p).map { x[i, $0] }
            row.append(1)
            for j in 0 ... p {
                g[j] += s[i] * (prob - y[i]) * row[j]
                for k in 0 ... p { h[j][k] += s[i] * prob * (1 - prob) * row[j] * row[k] }
            }
        }
        var total = c * loss
        for j in 0 ..< p { total += 0.5 * w[j] * w[j] }
        for j in 0 ... p { g[j] *= c }
        for j in 0 ..< p { g[j] += w[j] }
        for j in 0 ... p { for k in 0 ... p { h[j][k] *= c } }
        for j in 0 ..< p { h[j][j] += 1 }
        return (total, g, h)
    }

    @Test func objectiveMatchesNaiveLoops() throws {
        // Odd sizes, sample weights, a strided view: value, gradient and Hessian on the normalized scale.
        let data = LogisticTestData.make(rows: 1003, features: 7, seed: 11, correlation: 0.3)
        var g = SeededGenerator(seed: 12)
        let s = (0 ..< 1003).map { _ in Double.random(in: 0 ..< 2, using: &g) }
        let sum = s.reduce(0, +)
        let c = 0.7
        let theta = (0 ..< 8).map { _ in 0.3 * g.normal() }
        let f = LogisticObjective(x: data.x, y: data.y, weights: s, weightSum: sum, penalty: 1 / (c * sum), fitIntercept: true)
        let e = f.evaluate(theta, gradient: true, hessian: true)
        let ref = Self.naive(data.x, data.y, s, w: Array(theta[0 ..< 7]), b: theta[7], c: c)
        #expect(abs(e.loss - ref.loss / (c * sum)) <= 1e-12 * abs(e.loss))
        for j in 0 ..< 8 { #expect(abs(e.gradient[j] - ref.gradient[j] / (c * sum)) <= 1e-12) }
        let h = try #require(e.hessian)
        for j in 0 ..< 8 { for k in 0 ..< 8 { #expect(abs(h[j, k] - ref.hessian[j][k] / (c * sum)) <= 1e-12) } }

        // Class-constant weights take the per-class log-product path: same value.
        let cw = data.y.map { $0 == 1 ? 2.5 : 0.5 }
        let cwSum = cw.reduce(0, +)
        let f2 = LogisticObjective(x: data.x, y: data.y, weights: cw, weightSum: cwSum, penalty: 1 / (c * cwSum),
                                   fitIntercept: true, classWeights: (0.5, 2.5))
        let ref2 = Self.naive(data.x, data.y, cw, w: Array(theta[0 ..< 7]), b: theta[7], c: c)
        #expect(abs(f2.evaluate(theta, gradient: false, hessian: false).loss - ref2.loss / (c * cwSum)) <= 1e-12)

        // Every 7th row, read in place.
        let sub = try #require(f.subsample(stride: 7, minimumPerClass: 1))
        let rows = Array(stride(from: 0, to: 1003, by: 7))
        var values: [Double] = []
        for i in rows { values += data.x.row(i) }
        let xs = try Matrix(rows: rows.count, columns: 7, values: values)
        let ys = rows.map { data.y[$0] }, ss = rows.map { s[$0] }
        let ref3 = Self.naive(xs, ys, ss, w: Array(theta[0 ..< 7]), b: theta[7], c: c)
        let e3 = sub.evaluate(theta, gradient: true, hessian: false)
        // Same penalty coefficient as the parent: rebuild the naive value on that scale.
        let subSum = ss.reduce(0, +)
        var norm2 = 0.0
        for j in 0 ..< 7 { norm2 += theta[j] * theta[j] }
        let expected = (ref3.loss - 0.5 * norm2) / (c * subSum) + 0.5 * norm2 / (c * sum)
        #expect(abs(e3.loss - expected) <= 1e-12)
    }

    @Test func manyTasksAgreeWithOneBlock() throws {
        // Enough rows for several tasks and blocks: the sums must equal a direct computation.
        let data = LogisticTestData.make(rows: 20_001, features: 60, seed: 13, scale: 0.2)
        let ones = [Double](repeating: 1, count: data.y.count)
        let f = LogisticObjective(x: data.x, y: data.y, weights: ones, weightSum: Double(data.y.count),
                                  penalty: 1 / Double(data.y.count), fitIntercept: true, classWeights: (1, 1))
        #expect(f.tasks > 1)
        var g = SeededGenerator(seed: 14)
        let theta = (0 ..< 61).map { _ in 0.1 * g.normal() }
        let e = f.evaluate(theta, gradient: true, hessian: false)
        let ref = Self.naive(data.x, data.y, ones, w: Array(theta[0 ..< 60]), b: theta[60], c: 1)
        let n = Double(data.y.count)
        #expect(abs(e.loss - ref.loss / n) <= 1e-12)
        for j in 0 ..< 61 { #expect(abs(e.gradient[j] - ref.gradient[j] / n) <= 1e-12) }
    }

    /// Tasks depend on the shape only, so the objective and a whole fit are bit-identical on one
    /// thread and on two (the thread budget is restored afterwards; other tests' results do not
    /// depend on it either, by the same property).
    @Test func identicalWhateverTheThreadCount() throws {
        let data = LogisticTestData.make(rows: 20_001, features: 60, seed: 15, scale: 0.2)
        let ones = [Double](repeating: 1, count: data.y.count)
        let f = LogisticObjective(x: data.x, y: data.y, weights: ones, weightSum: Double(data.y.count),
                                  penalty: 1 / Double(data.y.count), fitIntercept: true)
        #expect(f.tasks > 1)
        var g = SeededGenerator(seed: 16)
        let theta = (0 ..< 61).map { _ in 0.1 * g.normal() }
        let before = Parallel.threads
        defer { Parallel.configure(threads: before) }
        var runs: [(LogisticObjective.Evaluation, LogisticModel, LogisticModel)] = []
        for threads in [1, 2] {
            Parallel.configure(threads: threads)
            let e = f.evaluate(theta, gradient: true, hessian: true)
            let newton = try LogisticRegression(.init(solver: .newton)).fit(x: data.x, y: data.y, featureNames: data.names)
            let lbfgs = try LogisticRegression(.init(solver: .lbfgs)).fit(x: data.x, y: data.y, featureNames: data.names)
            runs.append((e, newton, lbfgs))
        }
        #expect(runs[0].0.loss == runs[1].0.loss)
        #expect(runs[0].0.gradient == runs[1].0.gradient)
        #expect(runs[0].0.hessian == runs[1].0.hessian)
        #expect(runs[0].1 == runs[1].1)
        #expect(runs[0].2 == runs[1].2)
    }

    @Test func optimumHasZeroGradientAndSolversAgree() throws {
        let data = LogisticTestData.make(rows: 300, features: 4, seed: 21, correlation: 0.5)
        var p = LogisticRegression.Parameters(regularization: .c(0.3), tolerance: 1e-12)
        let newton = try LogisticRegression(p).fit(x: data.x, y: data.y, featureNames: data.names)
        p.solver = .lbfgs
        p.tolerance = 1e-9
        p.maxIterations = 1000
        let lbfgs = try LogisticRegression(p).fit(x: data.x, y: data.y, featureNames: data.names)
        #expect(newton.converged && lbfgs.converged)
        #expect(newton.solver == .newton && lbfgs.solver == .lbfgs)
        let ref = Self.naive(data.x, data.y, [Double](repeating: 1, count: 300), w: newton.coefficients,
                             b: newton.intercept, c: 0.3)
        for v in ref.gradient { #expect(abs(v) <= 1e-8) }
        for (a, b) in zip(newton.coefficients + [newton.intercept], lbfgs.coefficients + [lbfgs.intercept]) {
            #expect(abs(a - b) <= 1e-6)
        }
    }

    @Test func warmStartGivesTheSameOptimum() throws {
        // 120k rows: solve() warm-starts on every 10th row; minimize() from zero does not.
        let data = LogisticTestData.make(rows: 120_000, features: 4, seed: 22, bias: -0.5)
        let ones = [Double](repeating: 1, count: data.y.count)
        let n = Double(data.y.count)
        let f = LogisticObjective(x: data.x, y: data.y, weights: ones, weightSum: n, penalty: 1 / n, fitIntercept: true,
                                  classWeights: (1, 1))
        let reports = Mutex([String]())
        let warm = try NewtonSolver.solve(f, tolerance: 1e-10, maxIterations: 100, clock: TrainingStopwatch(),
                                          progress: { p in reports.withLock { $0.append(p.detail) } })
        var counter = 0
        let cold = try NewtonSolver.minimize(f, start: f.initialTheta(), tolerance: 1e-10, maxIterations: 100,
                                             clock: TrainingStopwatch(), progress: nil, counter: &counter)
        #expect(warm.converged && cold.converged)
        #expect(reports.withLock { $0.contains { $0.contains("warm start on 12000 rows") } })
        for (a, b) in zip(warm.theta, cold.theta) { #expect(abs(a - b) <= 1e-8) }

        // So few positives that the subsample would hold fewer than 50: no warm start, same answer.
        let rare = LogisticTestData.make(rows: 120_000, features: 3, seed: 27, bias: -7.5)
        let positives = rare.y.filter { $0 == 1 }.count
        #expect(positives > 0 && positives < 500)
        let fr = LogisticObjective(x: rare.x, y: rare.y, weights: ones, weightSum: n, penalty: 1 / n, fitIntercept: true,
                                   classWeights: (1, 1))
        #expect(fr.subsample(stride: 10, minimumPerClass: 50) == nil)
        let rareReports = Mutex(0)
        let viaSolve = try NewtonSolver.solve(fr, tolerance: 1e-10, maxIterations: 100, clock: TrainingStopwatch(),
                                              progress: { p in if p.detail.contains("warm start") { rareReports.withLock { $0 += 1 } } })
        counter = 0
        let direct = try NewtonSolver.minimize(fr, start: fr.initialTheta(), tolerance: 1e-10, maxIterations: 100,
                                               clock: TrainingStopwatch(), progress: nil, counter: &counter)
        #expect(rareReports.withLock { $0 } == 0)
        // Same path, so the same optimum; not compared bit for bit: other suites running in parallel
        // change OpenBLAS's (process-wide) thread count, and with it the summation order.
        #expect(viaSolve.converged && viaSolve.theta.count == direct.theta.count)
        for (a, b) in zip(viaSolve.theta, direct.theta) { #expect(abs(a - b) <= 1e-9 * max(1, abs(b))) }
    }

    @Test func progressEveryIterationWithDecreasingLoss() throws {
        let data = LogisticTestData.make(rows: 500, features: 3, seed: 23)
        let seen = Mutex([TrainingProgress]())
        let model = try LogisticRegression(.init(tolerance: 1e-10)).fit(x: data.x, y: data.y, featureNames: data.names) { p in
            seen.withLock { $0.append(p) }
        }
        let reports = seen.withLock { $0 }
        #expect(reports.count == model.iterations)
        #expect(reports.map(\.iteration) == Array(1 ... model.iterations))
        for (a, b) in zip(reports, reports.dropFirst()) { #expect((b.loss ?? .nan) <= (a.loss ?? .nan) + 1e-15) }
        #expect(reports.last?.loss == model.loss)
        #expect(reports.allSatisfy { $0.detail.contains("‖∇F‖∞") })
    }

    @Test func separableDataStaysFinite() throws {
        // Perfectly separable: the L2 term keeps the optimum finite, even with a huge C.
        let x = try Matrix(rows: 6, columns: 1, values: [-3, -2, -1, 1, 2, 3])
        let y: [Double] = [0, 0, 0, 1, 1, 1]
        for c in [1.0, 1e6] {
            let model = try LogisticRegression(.init(regularization: .c(c), tolerance: 1e-8, maxIterations: 200))
                .fit(x: x, y: y, featureNames: ["a"])
            #expect(model.coefficients[0].isFinite && model.coefficients[0] > 0)
            #expect(model.intercept.isFinite && model.loss.isFinite)
            let probs = try model.predictProbabilities(x)
            #expect(probs.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            #expect(probs[0] < 0.5 && probs[5] > 0.5)
        }
        // Symmetric data: the intercept is 0 and the stationarity condition w = C·Σ(y − σ)x holds.
        let m = try LogisticRegression(.init(regularization: .c(1), tolerance: 1e-12)).fit(x: x, y: y, featureNames: ["a"])
        #expect(abs(m.intercept) <= 1e-10)
        var rhs = 0.0
        for i in 0 ..< 6 { rhs += (y[i] - LogisticModel.sigmoid(m.coefficients[0] * x[i, 0])) * x[i, 0] }
        #expect(abs(m.coefficients[0] - rhs) <= 1e-9)
    }

    @Test func classWeightsAreRowWeightsAndL2IsInverseC() throws {
        let data = LogisticTestData.make(rows: 400, features: 3, seed: 24, bias: -1)
        let fit = { (p: LogisticRegression.Parameters, w: [Double]?) in
            try LogisticRegression(p).fit(x: data.x, y: data.y, sampleWeights: w, featureNames: data.names)
        }
        let explicit = try fit(.init(classWeight: .explicit(negative: 0.4, positive: 2.5), tolerance: 1e-12), nil)
        let rows = try fit(.init(tolerance: 1e-12), data.y.map { $0 == 1 ? 2.5 : 0.4 })
        for (a, b) in zip(explicit.coefficients + [explicit.intercept], rows.coefficients + [rows.intercept]) {
            #expect(abs(a - b) <= 1e-9)
        }
        // balanced = n / (2·count_c)
        let positives = data.y.filter { $0 == 1 }.count, n = data.y.count
        let balanced = try fit(.init(classWeight: .balanced, tolerance: 1e-12), nil)
        let byHand = try fit(.init(classWeight: .explicit(negative: Double(n) / Double(2 * (n - positives)),
                                                          positive: Double(n) / Double(2 * positives)), tolerance: 1e-12), nil)
        for (a, b) in zip(balanced.coefficients, byHand.coefficients) { #expect(abs(a - b) <= 1e-9) }
        let l2 = try fit(.init(regularization: .l2(4), tolerance: 1e-12), nil)
        let c = try fit(.init(regularization: .c(0.25), tolerance: 1e-12), nil)
        for (a, b) in zip(l2.coefficients, c.coefficients) { #expect(abs(a - b) <= 1e-12) }
    }

    @Test func predictionsAgreeAcrossEntryPoints() throws {
        let data = LogisticTestData.make(rows: 200, features: 3, seed: 25)
        let model = try LogisticRegression().fit(x: data.x, y: data.y, featureNames: data.names)
        let probs = try model.predictProbabilities(data.x)
        let z = try model.decisionFunction(data.x)
        for i in [0, 17, 199] {
            let row = Array(data.x.row(i))
            var manual = model.intercept
            for j in 0 ..< 3 { manual += row[j] * model.coefficients[j] }
            #expect(abs(z[i] - manual) <= 1e-12)
            #expect(abs(try model.decisionFunction(row) - manual) <= 1e-12)
            #expect(abs(try model.predictProbability(row) - 1 / (1 + exp(-manual))) <= 1e-15)
            #expect(abs(probs[i] - 1 / (1 + exp(-manual))) <= 1e-15)
        }
        #expect(model.coefficient(named: "f1") == model.coefficients[1])
        #expect(model.coefficient(named: "nope") == nil)
        #expect(LogisticModel.sigmoid(-800) == 0 && LogisticModel.sigmoid(800) == 1)
        #expect(throws: LogisticRegressionError.self) { try model.predictProbability([1, 2]) }
        #expect(throws: LogisticRegressionError.self) { try model.predictProbabilities(Matrix(rows: 2, columns: 4)) }
    }

    @Test func modelAndParametersRoundTripThroughJSON() throws {
        let data = LogisticTestData.make(rows: 100, features: 2, seed: 26)
        let p = LogisticRegression.Parameters(regularization: .l2(2), fitIntercept: false,
                                              classWeight: .explicit(negative: 1, positive: 3), solver: .lbfgs)
        let model = try LogisticRegression(p).fit(x: data.x, y: data.y, featureNames: ["a", "b"])
        let back = try JSONDecoder().decode(LogisticModel.self, from: JSONEncoder().encode(model))
        #expect(back == model)
        #expect(model.intercept == 0)
        // A damaged model (a coefficient dropped, or a NaN one) is a decoding error.
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        object["coefficients"] = model.coefficients.dropLast().map { $0 }
        let short = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LogisticModel.self, from: short) }
        var nonFinite = model
        nonFinite.coefficients[0] = .infinity
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        #expect(try decoder.decode(LogisticModel.self, from: encoder.encode(model)) == model)
        #expect(throws: DecodingError.self) { try decoder.decode(LogisticModel.self, from: encoder.encode(nonFinite)) }
        let json = #"{"regularization":{"C":0.5},"fitIntercept":true,"classWeight":"balanced","solver":"newton","tolerance":1e-6,"maxIterations":50}"#
        let decoded = try JSONDecoder().decode(LogisticRegression.Parameters.self, from: Data(json.utf8))
        #expect(decoded == .init(regularization: .c(0.5), classWeight: .balanced, solver: .newton, tolerance: 1e-6,
                                 maxIterations: 50))
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(encoded.contains(#""C":0.5"#) && encoded.contains(#""classWeight":"balanced""#))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LogisticRegression.Parameters.self, from: Data(json.replacingOccurrences(of: "balanced", with: "fair").utf8))
        }
    }

    /// Finite features whose squares overflow: Newton's Hessian is infinite at the start, so no
    /// step can be taken; an error, not a model left at its starting point (converged: false).
    @Test func featuresOverflowingTheHessianAreAnError() throws {
        let x = try Matrix<Double>(rows: 4, columns: 1, values: [1e200, -1e200, 2e200, -3e200])
        #expect(throws: LogisticRegressionError.self) {
            try LogisticRegression(.init(solver: .newton)).fit(x: x, y: [0, 1, 0, 1], featureNames: ["a"])
        }
        // Large but representable squares are no error (the step is taken; an absolute gradient
        // tolerance of 1e-4 is beyond double precision at this scale, so it need not converge).
        let big = try Matrix<Double>(rows: 4, columns: 1, values: [1e100, -1e100, 2e100, -3e100])
        let m = try LogisticRegression(.init(solver: .newton)).fit(x: big, y: [0, 1, 0, 1], featureNames: ["a"])
        #expect(m.coefficients[0].isFinite && m.coefficients[0] != 0)
    }

    /// Feature names are compared byte-wise: a categorical column with both the composed and the
    /// decomposed spelling of "é" has two distinct one-hot features, which must fit and be found.
    @Test func canonicallyEquivalentFeatureNamesAreDistinct() throws {
        let data = LogisticTestData.make(rows: 200, features: 2, seed: 27)
        let names = ["c=\u{E9}", "c=e\u{301}"]
        #expect(names[0] == names[1])  // Swift's String equality: canonical equivalence
        let model = try LogisticRegression().fit(x: data.x, y: data.y, featureNames: names)
        #expect(model.coefficient(named: names[0]) == model.coefficients[0])
        #expect(model.coefficient(named: names[1]) == model.coefficients[1])
        #expect(throws: LogisticRegressionError.self) {
            try LogisticRegression().fit(x: data.x, y: data.y, featureNames: [names[0], names[0]])
        }
    }

    @Test func badInputThrowsNamingTheCulprit() throws {
        let x = try Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let lr = LogisticRegression()
        #expect(throws: LogisticRegressionError.invalidLabel(row: 1, value: 2)) {
            try lr.fit(x: x, y: [0, 2, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.singleClass(label: 1, rows: 3)) {
            try lr.fit(x: x, y: [1, 1, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.singleClass(label: 0, rows: 2)) {
            try lr.fit(x: x, y: [0, 0, 1], sampleWeights: [1, 1, 0], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.invalidSampleWeight(row: 2, value: -1)) {
            try lr.fit(x: x, y: [0, 1, 1], sampleWeights: [1, 1, -1], featureNames: ["a", "b"])
        }
        var bad = x
        bad[2, 1] = .nan
        #expect(throws: LogisticRegressionError.nonFiniteFeature(row: 2, column: "b")) {
            try lr.fit(x: bad, y: [0, 1, 1], featureNames: ["a", "b"])
        }
        bad[2, 1] = .infinity
        #expect(throws: LogisticRegressionError.nonFiniteFeature(row: 2, column: "b")) {
            try LogisticRegression(.init(solver: .lbfgs)).fit(x: bad, y: [0, 1, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.shape("x has 3 rows but y has 2 labels")) {
            try lr.fit(x: x, y: [0, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.self) { try lr.fit(x: x, y: [0, 1, 1], featureNames: ["a"]) }
        #expect(throws: LogisticRegressionError.self) { try lr.fit(x: x, y: [0, 1, 1], featureNames: ["a", "a"]) }
        #expect(throws: LogisticRegressionError.invalidParameter("C", "must be finite and > 0 (got 0.0)")) {
            try LogisticRegression(.init(regularization: .c(0))).fit(x: x, y: [0, 1, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.self) {
            try LogisticRegression(.init(tolerance: -1)).fit(x: x, y: [0, 1, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.self) {
            try LogisticRegression(.init(classWeight: .explicit(negative: 0, positive: 1))).fit(x: x, y: [0, 1, 1], featureNames: ["a", "b"])
        }
        #expect(throws: LogisticRegressionError.self) {
            try lr.fit(x: Matrix(rows: 0, columns: 2), y: [], featureNames: ["a", "b"])
        }
        #expect("\(LogisticRegressionError.invalidLabel(row: 1, value: 2))".contains("row 1"))
    }
}
