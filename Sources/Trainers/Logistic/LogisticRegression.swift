import Linalg

/// Binary L2-regularized logistic regression, scikit-learn's `LogisticRegression` objective
/// (see ``Parameters`` for the exact formula and the `C` / `l2` conventions), fitted by Newton (IRLS
/// with a Cholesky solve) or L-BFGS. Hyper-parameters at construction, data in `fit`, a Codable
/// ``LogisticModel`` out.
///
/// ```swift
/// let lr = LogisticRegression(.init(regularization: .c(1), classWeight: .balanced))
/// let model = try lr.fit(x: x, y: labels, featureNames: names) { p in
///     print(p.iteration, p.loss ?? .nan, p.detail)
/// }
/// let probabilities = try model.predictProbabilities(xTest)
/// ```
///
/// Labels must be 0 or 1 and both classes must carry weight; features must be finite. Separable
/// data stays finite (the L2 term bounds the coefficients). Work is spread over ``Parallel/threads``
/// in row blocks of ~256 KB; memory beyond `x` is the row weights (n doubles) plus, per task (at most
/// 16), a block's scratch and a p × p Hessian: no n × p copy, subsamples included.
public struct LogisticRegression: Sendable, Hashable {
    public var parameters: Parameters

    public init(_ parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Widest input the Newton solver accepts (its Hessian is features² doubles).
    public static let newtonFeatureLimit = 10_000

    /// Fits on `x` (rows × features) and `y` (0/1 per row), optionally weighting rows by
    /// `sampleWeights` (≥ 0; multiplied by the class weights). `progress` receives every iteration.
    public func fit(x: Matrix<Double>, y: [Double], sampleWeights: [Double]? = nil, featureNames: [String],
                    progress: ProgressHandler? = nil) throws -> LogisticModel {
        try parameters.validate()
        let clock = TrainingStopwatch()
        let (n, p) = (x.rows, x.columns)
        guard n > 0 else { throw LogisticRegressionError.empty("x has no rows") }
        guard p > 0 else { throw LogisticRegressionError.empty("x has no feature columns") }
        guard y.count == n else { throw LogisticRegressionError.shape("x has \(n) rows but y has \(y.count) labels") }
        guard featureNames.count == p else {
            throw LogisticRegressionError.shape("x has \(p) columns but \(featureNames.count) feature names were given")
        }
        // Byte-wise, as the feature pipeline names them: Swift's String equality would merge
        // canonically equivalent spellings ("é", "e\u{301}") that are distinct categories.
        var seen = Set<[UInt8]>()
        for name in featureNames where !seen.insert(Array(name.utf8)).inserted {
            throw LogisticRegressionError.shape("feature name '\(name)' appears more than once")
        }
        guard p < Int(Int32.max) else { throw LogisticRegressionError.shape("\(p) features exceed BLAS's 32-bit range") }
        let solver = parameters.solver.resolved(features: p)
        if solver == .newton, p > Self.newtonFeatureLimit {
            throw LogisticRegressionError.invalidParameter(
                "solver", "newton needs a \(p) × \(p) Hessian; above \(Self.newtonFeatureLimit) features use lbfgs")
        }
        // Labels: 0/1, counted per class (one branch-light pass).
        let positives: Int = try y.withUnsafeBufferPointer { py in
            var count = 0
            for i in 0 ..< n {
                let v = py[i]
                if v == 1 { count += 1 } else if v != 0 { throw LogisticRegressionError.invalidLabel(row: i, value: v) }
            }
            return count
        }
        // Row weights sᵢ = sample weight × class weight, and per-class sums.
        var classSums = (Double(n - positives), Double(positives)), classRows = (n - positives, positives)
        if let sw = sampleWeights {
            guard sw.count == n else { throw LogisticRegressionError.shape("x has \(n) rows but \(sw.count) sample weights were given") }
            classSums = (0, 0)
            classRows = (0, 0)
            for i in 0 ..< n {
                let v = sw[i]
                guard v.isFinite, v >= 0 else { throw LogisticRegressionError.invalidSampleWeight(row: i, value: v) }
                if v > 0 {
                    if y[i] == 1 { classSums.1 += v; classRows.1 += 1 } else { classSums.0 += v; classRows.0 += 1 }
                }
            }
        }
        if classRows.0 + classRows.1 == 0 { throw LogisticRegressionError.empty("every sample weight is zero") }
        if classRows.1 == 0 { throw LogisticRegressionError.singleClass(label: 0, rows: classRows.0) }
        if classRows.0 == 0 { throw LogisticRegressionError.singleClass(label: 1, rows: classRows.1) }
        let (m0, m1): (Double, Double) = switch parameters.classWeight {
        case .none: (1, 1)
        case .balanced:
            ((classSums.0 + classSums.1) / (2 * classSums.0), (classSums.0 + classSums.1) / (2 * classSums.1))
        case .explicit(let neg, let pos): (neg, pos)
        }
        var weights = [Double](repeating: 0, count: n)
        weights.withUnsafeMutableBufferPointer { pw in
            y.withUnsafeBufferPointer { py in
                if let sw = sampleWeights {
                    for i in 0 ..< n { pw[i] = sw[i] * (py[i] == 1 ? m1 : m0) }
                } else {
                    for i in 0 ..< n { pw[i] = py[i] == 1 ? m1 : m0 }
                }
            }
        }
        let weightSum = m0 * classSums.0 + m1 * classSums.1
        guard weightSum.isFinite, weightSum > 0 else {
            throw LogisticRegressionError.empty("the row weights sum to \(weightSum)")
        }

        let objective = LogisticObjective(x: x, y: y, weights: weights, weightSum: weightSum,
                                          penalty: 1 / (parameters.c * weightSum), fitIntercept: parameters.fitIntercept,
                                          classWeights: sampleWeights == nil ? (m0, m1) : nil)
        // Features are checked for NaN/±∞ through the objective: its first value over all rows is
        // finite exactly when they are (see LogisticObjective.evaluate), so a clean matrix costs no
        // extra pass; a dirty one is then scanned to name the row and column.
        let result: LogisticSolverResult
        do {
            result = switch solver {
            case .lbfgs:
                try LBFGSSolver.minimize(objective, tolerance: parameters.tolerance, maxIterations: parameters.maxIterations,
                                         clock: clock, progress: progress)
            default:
                try NewtonSolver.solve(objective, tolerance: parameters.tolerance, maxIterations: parameters.maxIterations,
                                       clock: clock, progress: progress)
            }
        } catch is LogisticNonFiniteObjective {
            try Self.checkFinite(x, featureNames: featureNames)
            throw LogisticRegressionError.shape("the log loss or its Hessian overflowed at the starting point: feature values too large (rescale them)")
        }
        return LogisticModel(featureNames: featureNames, coefficients: Array(result.theta[0 ..< p]),
                             intercept: parameters.fitIntercept ? result.theta[p] : 0, parameters: parameters,
                             solver: solver, iterations: result.iterations, converged: result.converged,
                             loss: result.loss, gradientNorm: result.gradientNorm)
    }

    /// Throws naming the first NaN/infinite value.
    static func checkFinite(_ x: Matrix<Double>, featureNames: [String]) throws {
        let bad = x.values.firstIndex { !$0.isFinite }
        if let k = bad {
            throw LogisticRegressionError.nonFiniteFeature(row: k / x.columns, column: featureNames[k % x.columns])
        }
    }
}
