import Trainers

/// `LogisticModel` in a model package: kind `logistic_regression`; the coefficients are a float64
/// tensor, everything else JSON state.
extension LogisticModel: PackageableModel {
    public static let flavor = "logistic_regression"
    public static let formatVersion = 1

    /// Everything but the coefficients, as `model.json` (`model.packageState().featureNames`).
    public struct PackageState: Codable, Sendable {
        public var featureNames: [String]
        public var intercept: Double
        public var parameters: LogisticRegression.Parameters
        public var solver: LogisticRegression.Solver
        public var iterations: Int
        public var converged: Bool
        public var loss: Double
        public var gradientNorm: Double
    }

    public func packageState() -> PackageState {
        PackageState(featureNames: featureNames, intercept: intercept, parameters: parameters, solver: solver,
                     iterations: iterations, converged: converged, loss: loss, gradientNorm: gradientNorm)
    }

    public func packageTensors() -> [String: TensorData] {
        ["coefficients": TensorData(vector: coefficients)]
    }

    public init(packageState s: PackageState, tensors: [String: TensorData], formatVersion: Int) throws {
        let w = try tensors.vector("coefficients", of: Double.self)
        guard w.count == s.featureNames.count else {
            throw ModelPackageError(path: "coefficients", "\(w.count) coefficients for \(s.featureNames.count) feature names")
        }
        self.init(featureNames: s.featureNames, coefficients: w, intercept: s.intercept, parameters: s.parameters,
                  solver: s.solver, iterations: s.iterations, converged: s.converged, loss: s.loss,
                  gradientNorm: s.gradientNorm)
    }
}
