import Foundation
import Linalg

/// A fitted binary logistic regression: P(y = 1 | x) = σ(x·coefficients + intercept).
///
/// ```swift
/// let model = try LogisticRegression().fit(x: x, y: y, featureNames: ["age", "tenure"])
/// model.coefficient(named: "tenure")           // learned weight
/// try model.predictProbability([42, 3.5])      // one row, in featureNames order
/// try model.predictProbabilities(xTest)        // a matrix (gemv)
/// let json = try JSONEncoder().encode(model)   // Codable: what a model package stores
/// ```
public struct LogisticModel: Codable, Sendable, Hashable {
    /// The columns the model expects, in order.
    public var featureNames: [String]
    /// One weight per feature, in ``featureNames`` order.
    public var coefficients: [Double]
    public var intercept: Double
    /// The hyper-parameters it was fitted with.
    public var parameters: LogisticRegression.Parameters
    /// The solver that ran (``LogisticRegression/Solver/auto`` resolved).
    public var solver: LogisticRegression.Solver
    /// Newton or L-BFGS iterations over all rows (Newton's warm-start steps on subsamples are
    /// reported through the progress handler but not counted here).
    public var iterations: Int
    /// Whether the stopping criterion (see ``LogisticRegression/Parameters/tolerance``) was met.
    public var converged: Bool
    /// The final normalized objective: weighted mean log loss + ‖w‖²/(2·C·S).
    public var loss: Double
    /// ‖∇F‖∞ of that objective at the returned coefficients.
    public var gradientNorm: Double

    public init(featureNames: [String], coefficients: [Double], intercept: Double,
                parameters: LogisticRegression.Parameters, solver: LogisticRegression.Solver, iterations: Int,
                converged: Bool, loss: Double, gradientNorm: Double) {
        self.featureNames = featureNames
        self.coefficients = coefficients
        self.intercept = intercept
        self.parameters = parameters
        self.solver = solver
        self.iterations = iterations
        self.converged = converged
        self.loss = loss
        self.gradientNorm = gradientNorm
    }

    /// Decodes and validates: one finite coefficient per feature name and a finite intercept
    /// (a damaged model is a decoding error, not a width error at prediction time).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(featureNames: try c.decode([String].self, forKey: .featureNames),
                  coefficients: try c.decode([Double].self, forKey: .coefficients),
                  intercept: try c.decode(Double.self, forKey: .intercept),
                  parameters: try c.decode(LogisticRegression.Parameters.self, forKey: .parameters),
                  solver: try c.decode(LogisticRegression.Solver.self, forKey: .solver),
                  iterations: try c.decode(Int.self, forKey: .iterations),
                  converged: try c.decode(Bool.self, forKey: .converged),
                  loss: try c.decode(Double.self, forKey: .loss),
                  gradientNorm: try c.decode(Double.self, forKey: .gradientNorm))
        guard coefficients.count == featureNames.count else {
            throw DecodingError.dataCorruptedError(forKey: .coefficients, in: c, debugDescription:
                "\(coefficients.count) coefficients for \(featureNames.count) feature names")
        }
        guard coefficients.allSatisfy(\.isFinite), intercept.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .coefficients, in: c, debugDescription:
                "a coefficient or the intercept is not finite")
        }
    }

    /// The weight of a feature, nil for an unknown name (names compare byte-wise, as the feature
    /// pipeline makes them).
    public func coefficient(named name: String) -> Double? {
        featureNames.firstIndex { $0.utf8.elementsEqual(name.utf8) }.flatMap { $0 < coefficients.count ? coefficients[$0] : nil }
    }

    /// x·w + b per row (the log-odds). Each row goes through the same fixed-order dot product as
    /// the one-row form, so a row scored alone (serving) and inside a batch (batch scoring) get the
    /// same bits; BLAS gemv does not promise that (its blocking depends on the row count).
    public func decisionFunction(_ x: Matrix<Double>) throws -> [Double] {
        try checkWidth(x.columns, "x has \(x.columns) columns")
        let p = x.columns
        return x.values.withUnsafeBufferPointer { xs in
            coefficients.withUnsafeBufferPointer { w in
                (0 ..< x.rows).map { i in
                    intercept + Self.dot(UnsafeBufferPointer(rebasing: xs[i * p ..< (i + 1) * p]), w)
                }
            }
        }
    }

    /// x·w + b for one row given in ``featureNames`` order (bit-identical to the batch form).
    public func decisionFunction(_ row: [Double]) throws -> Double {
        try checkWidth(row.count, "the row has \(row.count) values")
        return row.withUnsafeBufferPointer { r in
            coefficients.withUnsafeBufferPointer { w in intercept + Self.dot(r, w) }
        }
    }

    /// Σ aᵢ·bᵢ in a fixed order (four interleaved partial sums, then the tail), independent of
    /// where the row came from.
    @inline(__always)
    static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
        let n = min(a.count, b.count)
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= n {
            s0 += a[j] * b[j]
            s1 += a[j + 1] * b[j + 1]
            s2 += a[j + 2] * b[j + 2]
            s3 += a[j + 3] * b[j + 3]
            j += 4
        }
        while j < n {
            s0 += a[j] * b[j]
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// P(y = 1) per row.
    public func predictProbabilities(_ x: Matrix<Double>) throws -> [Double] {
        var z = try decisionFunction(x)
        for i in z.indices { z[i] = Self.sigmoid(z[i]) }
        return z
    }

    /// P(y = 1) for one row given in ``featureNames`` order.
    public func predictProbability(_ row: [Double]) throws -> Double {
        Self.sigmoid(try decisionFunction(row))
    }

    /// 1 / (1 + e^{−z}) without overflow for any z.
    @inline(__always)
    public static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    private func checkWidth(_ got: Int, _ what: String) throws {
        guard got == coefficients.count else {
            throw LogisticRegressionError.shape("\(what); the model has \(coefficients.count) features (\(featureNames.prefix(5).joined(separator: ", "))\(featureNames.count > 5 ? ", …" : ""))")
        }
    }
}
