extension ALS {
    /// How interaction values are read.
    public enum Feedback: String, Sendable, Hashable, Codable {
        /// Values are ratings; only observed entries are fitted, with weighted-λ regularization
        /// (Zhou et al. 2008).
        case explicit
        /// Values are counts/strengths r ≥ 0: preference p = [r > 0] with confidence 1 + α·|r| on
        /// observed entries and p = 0, confidence 1 everywhere else (Hu, Koren & Volinsky 2008).
        case implicit
    }

    /// ALS hyper-parameters. Decoding fills absent fields with the defaults, so a spec may name
    /// only what it changes.
    ///
    /// ```swift
    /// let p = ALS.Parameters(factors: 64, regularization: 0.05, alpha: 40, iterations: 15, seed: 7)
    /// ```
    public struct Parameters: Sendable, Hashable, Codable {
        /// Latent dimension k.
        public var factors: Int
        /// λ: added to the diagonal (implicit) or λ·n_u per row (explicit, weighted-λ).
        public var regularization: Float
        public var feedback: Feedback
        /// α in the implicit confidence 1 + α·r (ignored for explicit feedback).
        public var alpha: Float
        /// Full sweeps (users, then items).
        public var iterations: Int
        /// Conjugate-gradient steps per row and sweep (implicit feedback), warm-started.
        public var cgSteps: Int
        /// Seeds the initial factors (uniform in [0, 0.01), like implicit).
        public var seed: UInt64
        /// Threads for the per-row loops; 0 means `Parallel.threads`.
        public var threads: Int
        /// Compute the training loss after each iteration for the progress handler (off for
        /// benchmarks: it costs about one more half-sweep).
        public var computeLoss: Bool

        public init(factors: Int = 64, regularization: Float = 0.01, feedback: Feedback = .implicit, alpha: Float = 1,
                    iterations: Int = 15, cgSteps: Int = 3, seed: UInt64 = 0, threads: Int = 0, computeLoss: Bool = true) {
            self.factors = factors
            self.regularization = regularization
            self.feedback = feedback
            self.alpha = alpha
            self.iterations = iterations
            self.cgSteps = cgSteps
            self.seed = seed
            self.threads = threads
            self.computeLoss = computeLoss
        }

        enum CodingKeys: String, CodingKey {
            case factors, regularization, feedback, alpha, iterations, cgSteps, seed, threads, computeLoss
        }

        public init(from decoder: any Decoder) throws {
            let d = Parameters()
            let c = try decoder.container(keyedBy: CodingKeys.self)
            factors = try c.decodeIfPresent(Int.self, forKey: .factors) ?? d.factors
            regularization = try c.decodeIfPresent(Float.self, forKey: .regularization) ?? d.regularization
            feedback = try c.decodeIfPresent(Feedback.self, forKey: .feedback) ?? d.feedback
            alpha = try c.decodeIfPresent(Float.self, forKey: .alpha) ?? d.alpha
            iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? d.iterations
            cgSteps = try c.decodeIfPresent(Int.self, forKey: .cgSteps) ?? d.cgSteps
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
            threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
            computeLoss = try c.decodeIfPresent(Bool.self, forKey: .computeLoss) ?? d.computeLoss
        }

        /// Throws ``ALSError/invalidParameter(_:_:)`` naming the first field out of range.
        public func validate() throws {
            guard factors >= 1, factors <= 4096 else { throw ALSError.invalidParameter("factors", "\(factors) is outside 1...4096") }
            guard regularization.isFinite, regularization >= 0 else {
                throw ALSError.invalidParameter("regularization", "\(regularization) must be finite and ≥ 0")
            }
            guard alpha.isFinite, alpha >= 0 else { throw ALSError.invalidParameter("alpha", "\(alpha) must be finite and ≥ 0") }
            guard iterations >= 0 else { throw ALSError.invalidParameter("iterations", "\(iterations) must be ≥ 0") }
            guard cgSteps >= 1 else { throw ALSError.invalidParameter("cgSteps", "\(cgSteps) must be ≥ 1") }
            guard threads >= 0 else { throw ALSError.invalidParameter("threads", "\(threads) must be ≥ 0 (0: all configured)") }
        }
    }
}
