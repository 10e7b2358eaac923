extension LogisticRegression {
    /// Hyper-parameters of ``LogisticRegression``.
    ///
    /// The objective, with sᵢ the per-row weight (sample weight × class weight), ℓᵢ the log loss of
    /// row i and w the coefficients (the intercept b is never penalized):
    ///
    ///     minimize over (w, b):   C · Σᵢ sᵢ·ℓᵢ(w, b) + ½‖w‖²          (scikit-learn's convention)
    ///                       ⇔    Σᵢ sᵢ·ℓᵢ(w, b) + (λ/2)‖w‖²,  λ = 1/C    (the `l2` convention)
    ///
    /// Both give the same minimizer. Internally (and in every reported loss) the objective is divided
    /// by C·S, S = Σᵢ sᵢ, giving the weighted mean log loss plus ‖w‖²/(2·C·S): that is the scale of
    /// scikit-learn's lbfgs objective, so `tolerance` means what its `tol` means for lbfgs.
    ///
    /// ```swift
    /// var p = LogisticRegression.Parameters(regularization: .c(0.5))
    /// p.classWeight = .balanced
    /// p.solver = .newton
    /// let model = try LogisticRegression(p).fit(x: x, y: y, featureNames: names)
    /// ```
    public struct Parameters: Codable, Sendable, Hashable {
        /// L2 strength: scikit-learn's `C` (larger = weaker penalty) or `l2` = λ = 1/C.
        public var regularization: Regularization
        /// Fit an unpenalized intercept (default true).
        public var fitIntercept: Bool
        /// Per-class multipliers of the row weights.
        public var classWeight: ClassWeight
        /// The optimizer (``Solver/auto`` picks Newton up to ``Solver/newtonMaximumFeatures`` features).
        public var solver: Solver
        /// Stop when the largest absolute gradient component of the normalized objective (weighted mean
        /// log loss + ‖w‖²/(2·C·S)) is at most this: scikit-learn's `tol` for lbfgs (its `gtol`).
        /// Newton also requires ½λ² ≤ tolerance, λ² = ∇Fᵀ∇²F⁻¹∇F (the predicted remaining decrease,
        /// newton-cholesky's second test), so flat near-separable objectives do not stop early;
        /// L-BFGS also stops, like scipy, when F's relative decrease falls to 64·ε.
        public var tolerance: Double
        /// At most this many Newton or L-BFGS iterations (scikit-learn's `max_iter`).
        public var maxIterations: Int

        public init(regularization: Regularization = .c(1), fitIntercept: Bool = true, classWeight: ClassWeight = .none,
                    solver: Solver = .auto, tolerance: Double = 1e-4, maxIterations: Int = 100) {
            self.regularization = regularization
            self.fitIntercept = fitIntercept
            self.classWeight = classWeight
            self.solver = solver
            self.tolerance = tolerance
            self.maxIterations = maxIterations
        }

        /// scikit-learn's `C` for either convention.
        public var c: Double {
            switch regularization {
            case .c(let c): c
            case .l2(let l): 1 / l
            }
        }

        /// Throws ``LogisticRegressionError/invalidParameter(_:_:)`` naming the first bad field.
        public func validate() throws {
            switch regularization {
            case .c(let c):
                guard c.isFinite, c > 0 else { throw LogisticRegressionError.invalidParameter("C", "must be finite and > 0 (got \(c))") }
            case .l2(let l):
                guard l.isFinite, l > 0 else { throw LogisticRegressionError.invalidParameter("l2", "must be finite and > 0 (got \(l))") }
            }
            guard tolerance.isFinite, tolerance > 0 else {
                throw LogisticRegressionError.invalidParameter("tolerance", "must be finite and > 0 (got \(tolerance))")
            }
            guard maxIterations >= 1 else {
                throw LogisticRegressionError.invalidParameter("maxIterations", "must be ≥ 1 (got \(maxIterations))")
            }
            if case .explicit(let neg, let pos) = classWeight {
                for (name, v) in [("negative", neg), ("positive", pos)] where !(v.isFinite && v > 0) {
                    throw LogisticRegressionError.invalidParameter("classWeight.\(name)", "must be finite and > 0 (got \(v))")
                }
            }
        }
    }

    /// The L2 penalty strength. Codable as `{"C": 1.0}` or `{"l2": 1.0}`.
    public enum Regularization: Codable, Sendable, Hashable {
        /// scikit-learn's inverse strength: minimize C·Σ sᵢℓᵢ + ½‖w‖².
        case c(Double)
        /// λ: minimize Σ sᵢℓᵢ + (λ/2)‖w‖²; identical to `.c(1/λ)`.
        case l2(Double)

        private enum Keys: String, CodingKey { case c = "C", l2 }

        public init(from decoder: any Decoder) throws {
            let k = try decoder.container(keyedBy: Keys.self)
            if let c = try k.decodeIfPresent(Double.self, forKey: .c) {
                self = .c(c)
            } else if let l = try k.decodeIfPresent(Double.self, forKey: .l2) {
                self = .l2(l)
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "regularization needs a \"C\" or an \"l2\" field"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var k = encoder.container(keyedBy: Keys.self)
            switch self {
            case .c(let c): try k.encode(c, forKey: .c)
            case .l2(let l): try k.encode(l, forKey: .l2)
            }
        }
    }

    /// Per-class row-weight multipliers. Codable as `"none"`, `"balanced"` or
    /// `{"negative": 1.0, "positive": 3.0}`.
    public enum ClassWeight: Codable, Sendable, Hashable {
        /// Every class weighs 1.
        case none
        /// scikit-learn's `'balanced'`: class c weighs S / (2·S_c), S the total row weight and S_c
        /// that of class c (row counts without sample weights: n_samples / (2·count_c)).
        case balanced
        /// Explicit multipliers for label 0 and label 1.
        case explicit(negative: Double, positive: Double)

        private enum Keys: String, CodingKey { case negative, positive }

        public init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) {
                switch s {
                case "none": self = .none
                case "balanced": self = .balanced
                default:
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                            debugDescription: "class weight '\(s)' is not none, balanced or {negative, positive}"))
                }
                return
            }
            let k = try decoder.container(keyedBy: Keys.self)
            self = .explicit(negative: try k.decode(Double.self, forKey: .negative),
                             positive: try k.decode(Double.self, forKey: .positive))
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .none:
                var c = encoder.singleValueContainer()
                try c.encode("none")
            case .balanced:
                var c = encoder.singleValueContainer()
                try c.encode("balanced")
            case .explicit(let neg, let pos):
                var k = encoder.container(keyedBy: Keys.self)
                try k.encode(neg, forKey: .negative)
                try k.encode(pos, forKey: .positive)
            }
        }
    }

    /// The optimizer.
    public enum Solver: String, Codable, Sendable, Hashable, CaseIterable {
        /// Newton up to ``newtonMaximumFeatures`` features, L-BFGS above.
        case auto
        /// Newton–Raphson (IRLS): the Hessian XᵀDX through BLAS syrk, a Cholesky solve (LAPACK
        /// posv), Armijo backtracking; quadratic convergence in a handful of iterations. On large n
        /// it warm-starts on a subsample (every 10th row, recursively) and reuses a Hessian while
        /// that converges fast enough, so few of the O(n·p²) Hessian passes are needed.
        case newton
        /// Limited-memory BFGS (10 pairs) with a strong-Wolfe line search; O(n·p) per evaluation.
        case lbfgs

        /// Widest input for which ``auto`` picks Newton.
        public static let newtonMaximumFeatures = 500

        /// The concrete solver for `features` columns.
        public func resolved(features: Int) -> Solver {
            switch self {
            case .auto: features <= Solver.newtonMaximumFeatures ? .newton : .lbfgs
            default: self
            }
        }
    }
}
