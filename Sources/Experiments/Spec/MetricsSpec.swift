import Features

/// Which metrics a run computes (on train and test) and which one is primary (sweeps and gates
/// compare it). Defaults: every metric of the task, primary `roc_auc` (classification) or
/// `precision_at_k` (recommendation), `k` 10 (recommendation only), `threshold` 0.5 (classification
/// only: the cut-off of accuracy, precision, recall and F1). The primary metric is always computed.
///
/// ```yaml
/// metrics:
///   compute: [roc_auc, pr_auc, log_loss]
///   primary: roc_auc
/// ```
public struct MetricsSpec: Sendable, Hashable, Codable {
    public var compute: [String]
    public var primary: String
    /// k of the ranking metrics (recommendation), nil for classification.
    public var k: Int?
    /// Probability cut-off of the thresholded metrics (classification), nil for recommendation.
    public var threshold: Double?

    public static let classification = ["roc_auc", "pr_auc", "log_loss", "accuracy", "precision", "recall", "f1"]
    public static let ranking = ["precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "coverage"]
    public static let defaultK = 10

    /// The metric names valid for `task`.
    public static func names(for task: ExperimentTask) -> [String] {
        task == .binaryClassification ? classification : ranking
    }

    /// Whether larger is better (`log_loss` is the one metric where smaller is).
    public static func higherIsBetter(_ metric: String) -> Bool { metric != "log_loss" }

    public static func `default`(for task: ExperimentTask) -> MetricsSpec {
        switch task {
        case .binaryClassification: MetricsSpec(compute: classification, primary: "roc_auc", k: nil, threshold: 0.5)
        case .recommendation: MetricsSpec(compute: ranking, primary: "precision_at_k", k: defaultK, threshold: nil)
        }
    }

    public init(compute: [String], primary: String, k: Int?, threshold: Double?) {
        self.compute = compute
        self.primary = primary
        self.k = k
        self.threshold = threshold
    }

    public init(from decoder: any Decoder) throws {
        let task = decoder.experimentTask
        let c = try decoder.container(keyedBy: SpecKey.self)
        let valid = Self.names(for: task)
        try c.rejectUnknownKeys(task == .binaryClassification ? ["compute", "primary", "threshold"] : ["compute", "primary", "k"])
        func check(_ name: String, _ key: String) throws {
            guard valid.contains(name) else {
                let other = Self.names(for: task == .binaryClassification ? .recommendation : .binaryClassification)
                let why = other.contains(name) ? "is not a \(task.rawValue) metric" : "is not a metric"
                throw c.bad(key, "'\(name)' \(why) (expected one of: \(valid.joined(separator: ", ")))")
            }
        }
        var list = valid
        if let given = try c.optional([String].self, "compute") {
            guard !given.isEmpty else { throw c.bad("compute", "list at least one metric") }
            list = []
            for (i, name) in given.enumerated() {
                try check(name, "compute[\(i)]")
                if !list.contains(name) { list.append(name) }
            }
        }
        let d = Self.default(for: task)
        let primary = try c.optional(String.self, "primary") ?? d.primary
        try check(primary, "primary")
        if !list.contains(primary) { list.insert(primary, at: 0) }
        self.compute = list
        self.primary = primary
        if task == .recommendation {
            let k = try c.optional(Int.self, "k") ?? Self.defaultK
            guard k >= 1 else { throw c.bad("k", "must be ≥ 1, got \(k)") }
            self.k = k
            self.threshold = nil
        } else {
            let t = try c.optional(Double.self, "threshold") ?? 0.5
            guard t > 0, t < 1 else { throw c.bad("threshold", "must be in (0, 1), got \(t)") }
            self.k = nil
            self.threshold = t
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(compute, "compute")
        try c.put(primary, "primary")
        try c.put(ifPresent: k, "k")
        try c.put(ifPresent: threshold, "threshold")
    }
}
