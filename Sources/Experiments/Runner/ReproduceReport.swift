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
    /// The digests of the dataset inputs (the snapshot read: version, files, schema, filter).
    public var originalDigest: String?
    public var newDigest: String?
    /// Both runs read the same data.
    public var datasetMatches: Bool { originalDigest == newDigest }
    /// Every compared metric matches and the data read was the same.
    public var matches: Bool { datasetMatches && comparisons.allSatisfy(\.matches) }

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
        case originalDigest = "original_dataset_digest", newDigest = "new_dataset_digest", datasetMatches = "dataset_matches"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(originalRunId, forKey: .originalRunId)
        try c.encode(newRunId, forKey: .newRunId)
        try c.encode(comparisons, forKey: .comparisons)
        try c.encode(matches, forKey: .matches)
        try c.encodeIfPresent(originalDigest, forKey: .originalDigest)
        try c.encodeIfPresent(newDigest, forKey: .newDigest)
        try c.encode(datasetMatches, forKey: .datasetMatches)
    }

    public init(originalRunId: String, newRunId: String, comparisons: [Comparison], originalDigest: String? = nil,
                newDigest: String? = nil) {
        self.originalRunId = originalRunId
        self.newRunId = newRunId
        self.comparisons = comparisons
        self.originalDigest = originalDigest
        self.newDigest = newDigest
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        originalRunId = try c.decode(String.self, forKey: .originalRunId)
        newRunId = try c.decode(String.self, forKey: .newRunId)
        comparisons = try c.decode([Comparison].self, forKey: .comparisons)
        originalDigest = try c.decodeIfPresent(String.self, forKey: .originalDigest)
        newDigest = try c.decodeIfPresent(String.self, forKey: .newDigest)
    }
}
