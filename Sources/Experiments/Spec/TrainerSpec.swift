import Features
import Trainers

/// The model to fit and its hyper-parameters, under `trainer.params` in snake_case. Absent
/// parameters take the trainer's defaults; unknown ones are errors naming `trainer.params.<key>`.
///
/// `logistic_regression` (binary classification; the default there): `c` (1.0, scikit-learn's C) or
/// `l2` (λ = 1/C) — one of the two —, `fit_intercept` (true), `class_weight` (`none` | `balanced` |
/// `{negative: W0, positive: W1}`), `solver` (`auto` | `newton` | `lbfgs`), `tolerance` (1e-4),
/// `max_iterations` (100).
///
/// `als` (recommendation; the default there): `factors` (64), `regularization` (0.01), `feedback`
/// (`implicit` | `explicit`), `alpha` (1.0), `iterations` (15), `cg_steps` (3), `seed` (the spec's
/// global `seed`), `threads` (0 = all configured), `compute_loss` (true).
///
/// ```yaml
/// trainer:
///   type: als
///   params: {factors: 16, iterations: 10, alpha: 5, regularization: 0.05}
/// ```
public enum TrainerSpec: Sendable, Hashable, Codable {
    case logisticRegression(LogisticRegression.Parameters)
    case als(ALS.Parameters)

    public var typeName: String {
        switch self {
        case .logisticRegression: "logistic_regression"
        case .als: "als"
        }
    }

    public static let logisticKeys = ["c", "l2", "fit_intercept", "class_weight", "solver", "tolerance", "max_iterations"]
    public static let alsKeys = ["factors", "regularization", "feedback", "alpha", "iterations", "cg_steps", "seed",
                                 "threads", "compute_loss"]

    /// The default trainer of `task` (default parameters; ALS seeded with `seed`).
    public static func `default`(for task: ExperimentTask, seed: UInt64) -> TrainerSpec {
        switch task {
        case .binaryClassification: .logisticRegression(.init())
        case .recommendation: .als(.init(seed: seed))
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(["type", "params"])
        let task = decoder.experimentTask
        let type = try c.keyword("type", ["logistic_regression", "als"])
            ?? (task == .binaryClassification ? "logistic_regression" : "als")
        switch (task, type) {
        case (.binaryClassification, "als"):
            throw c.bad("type", "als is a recommendation trainer; binary_classification uses logistic_regression")
        case (.recommendation, "logistic_regression"):
            throw c.bad("type", "logistic_regression is a classification trainer; recommendation uses als")
        default: break
        }
        let p: KeyedDecodingContainer<SpecKey>? = c.has("params")
            ? try c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("params")) : nil
        if type == "als" {
            self = .als(try Self.decodeALS(p, seed: decoder.experimentSeed))
        } else {
            self = .logisticRegression(try Self.decodeLogistic(p))
        }
    }

    private static func decodeLogistic(_ p: KeyedDecodingContainer<SpecKey>?) throws -> LogisticRegression.Parameters {
        var out = LogisticRegression.Parameters()
        guard let p else { return out }
        try p.rejectUnknownKeys(logisticKeys)
        let c = try p.optional(Double.self, "c"), l2 = try p.optional(Double.self, "l2")
        switch (c, l2) {
        case (.some, .some): throw p.bad("l2", "give c or l2 (= 1/c), not both")
        case (.some(let v), nil):
            guard v.isFinite, v > 0 else { throw p.bad("c", "must be finite and > 0, got \(v)") }
            out.regularization = .c(v)
        case (nil, .some(let v)):
            guard v.isFinite, v > 0 else { throw p.bad("l2", "must be finite and > 0, got \(v)") }
            out.regularization = .l2(v)
        case (nil, nil): break
        }
        out.fitIntercept = try p.optional(Bool.self, "fit_intercept") ?? out.fitIntercept
        if p.has("class_weight") {
            if let word = try? p.decode(String.self, forKey: SpecKey("class_weight")) {
                switch word {
                case "none": out.classWeight = .none
                case "balanced": out.classWeight = .balanced
                default: throw p.bad("class_weight", "unknown value '\(word)' (expected none, balanced or {negative: W, positive: W})")
                }
            } else {
                let w = try p.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("class_weight"))
                try w.rejectUnknownKeys(["negative", "positive"])
                let neg = try w.required(Double.self, "negative"), pos = try w.required(Double.self, "positive")
                for (k, v) in [("negative", neg), ("positive", pos)] where !(v.isFinite && v > 0) {
                    throw w.bad(k, "must be finite and > 0, got \(v)")
                }
                out.classWeight = .explicit(negative: neg, positive: pos)
            }
        }
        if let s = try p.keyword("solver", LogisticRegression.Solver.allCases.map(\.rawValue)) {
            out.solver = LogisticRegression.Solver(rawValue: s) ?? .auto
        }
        out.tolerance = try p.optional(Double.self, "tolerance") ?? out.tolerance
        guard out.tolerance.isFinite, out.tolerance > 0 else { throw p.bad("tolerance", "must be finite and > 0, got \(out.tolerance)") }
        out.maxIterations = try p.optional(Int.self, "max_iterations") ?? out.maxIterations
        guard out.maxIterations >= 1 else { throw p.bad("max_iterations", "must be ≥ 1, got \(out.maxIterations)") }
        return out
    }

    private static func decodeALS(_ p: KeyedDecodingContainer<SpecKey>?, seed: UInt64) throws -> ALS.Parameters {
        var out = ALS.Parameters(seed: seed)
        guard let p else { return out }
        try p.rejectUnknownKeys(alsKeys)
        out.factors = try p.optional(Int.self, "factors") ?? out.factors
        out.regularization = try p.optional(Float.self, "regularization") ?? out.regularization
        if let f = try p.keyword("feedback", ["implicit", "explicit"]) { out.feedback = ALS.Feedback(rawValue: f) ?? .implicit }
        out.alpha = try p.optional(Float.self, "alpha") ?? out.alpha
        out.iterations = try p.optional(Int.self, "iterations") ?? out.iterations
        out.cgSteps = try p.optional(Int.self, "cg_steps") ?? out.cgSteps
        out.seed = try p.optional(UInt64.self, "seed") ?? seed
        out.threads = try p.optional(Int.self, "threads") ?? out.threads
        out.computeLoss = try p.optional(Bool.self, "compute_loss") ?? out.computeLoss
        do {
            try out.validate()
        } catch ALSError.invalidParameter(let name, let message) {
            let key = ["cgSteps": "cg_steps", "computeLoss": "compute_loss"][name] ?? name
            throw p.bad(key, message)
        }
        return out
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(typeName, "type")
        var p = c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("params"))
        switch self {
        case .logisticRegression(let x):
            switch x.regularization {
            case .c(let v): try p.put(v, "c")
            case .l2(let v): try p.put(v, "l2")
            }
            try p.put(x.fitIntercept, "fit_intercept")
            switch x.classWeight {
            case .none: try p.put("none", "class_weight")
            case .balanced: try p.put("balanced", "class_weight")
            case .explicit(let n, let q): try p.put(["negative": n, "positive": q], "class_weight")
            }
            try p.put(x.solver.rawValue, "solver")
            try p.put(x.tolerance, "tolerance")
            try p.put(x.maxIterations, "max_iterations")
        case .als(let x):
            try p.put(x.factors, "factors")
            try p.put(Double("\(x.regularization)") ?? Double(x.regularization), "regularization")  // 0.05, not 0.0500000007
            try p.put(x.feedback.rawValue, "feedback")
            try p.put(Double("\(x.alpha)") ?? Double(x.alpha), "alpha")
            try p.put(x.iterations, "iterations")
            try p.put(x.cgSteps, "cg_steps")
            try p.put(x.seed, "seed")
            try p.put(x.threads, "threads")
            try p.put(x.computeLoss, "compute_loss")
        }
    }
}
