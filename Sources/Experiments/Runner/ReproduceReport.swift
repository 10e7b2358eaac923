/// The outcome of ``ExperimentRunner/reproduce(runId:progress:)``: the new run and, per metric of
/// the original run, both values and whether they agree to a relative 1e-9.
///
/// ```swift
/// let report = try await runner.reproduce(runId: id)
/// print(report.matches ? "reproduced" : report.comparisons.filter { !$0.matches }.map(\.key))
/// ```
public struct ReproduceReport: Sendable, Codable {
    public struct Comparison: Sendable, Codable, Hashable {
        public var key: String
        public var original: Double?
        public var reproduced: Double?
        public var matches: Bool
    }

    public var originalRunId: String
    public var newRunId: String
    public var comparisons: [Comparison]
    /// Every compared metric matches.
    public var matches: Bool { comparisons.allSatisfy(\.matches) }

    /// Relative tolerance of a match.
    public static let tolerance = 1e-9
    /// Metrics of the machine, not of the model: not compared.
    public static let ignored: Set<String> = ["fit_seconds", "peak_rss_mb"]

    public static func agree(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return false }
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    enum CodingKeys: String, CodingKey {
        case originalRunId = "original_run_id", newRunId = "new_run_id", comparisons, matches
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(originalRunId, forKey: .originalRunId)
        try c.encode(newRunId, forKey: .newRunId)
        try c.encode(comparisons, forKey: .comparisons)
        try c.encode(matches, forKey: .matches)
    }

    public init(originalRunId: String, newRunId: String, comparisons: [Comparison]) {
        self.originalRunId = originalRunId
        self.newRunId = newRunId
        self.comparisons = comparisons
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        originalRunId = try c.decode(String.self, forKey: .originalRunId)
        newRunId = try c.decode(String.self, forKey: .newRunId)
        comparisons = try c.decode([Comparison].self, forKey: .comparisons)
    }
}
