import Linalg

/// What a solver returns: the parameters (w…, b) and how it stopped.
struct LogisticSolverResult: Sendable {
    var theta: [Double]
    var iterations: Int
    var converged: Bool
    var loss: Double
    var gradientNorm: Double
    /// The latest Hessian computed (Newton only), to seed a finer level.
    var hessian: Matrix<Double>? = nil
}

extension Array where Element == Double {
    /// max |vᵢ| (0 when empty).
    var infinityNorm: Double {
        var m = 0.0
        for x in self { m = Swift.max(m, abs(x)) }
        return m
    }
}

/// The objective is NaN or infinite at the start: some feature value is (the caller locates it).
struct LogisticNonFiniteObjective: Error {}

