import Features

/// How rows (classification) or each user's interactions (recommendation) are divided into train
/// and test. Defaults: `random` for classification, `per_user` for recommendation; `test_fraction`
/// 0.2; `seed` the spec's global `seed`; `min_interactions` 2.
///
/// ```yaml
/// split: {type: random, test_fraction: 0.2, seed: 42}
/// split: {type: time, column: signup_date, cutoff: 2024-06-01}
/// split: {type: per_user, test_fraction: 0.2, seed: 42, min_interactions: 2}
/// ```
public enum SplitSpec: Sendable, Hashable, Codable {
    case random(testFraction: Double, seed: UInt64)
    /// Rows strictly before `cutoff` (a date or ISO-8601 timestamp) in `column` train.
    case time(column: String, cutoff: String)
    case perUser(testFraction: Double, seed: UInt64, minInteractions: Int)

    public static let defaultTestFraction = 0.2
    public static let defaultMinInteractions = 2

    public var typeName: String {
        switch self {
        case .random: "random"
        case .time: "time"
        case .perUser: "per_user"
        }
    }

    /// The default split of `task`.
    public static func `default`(for task: ExperimentTask, seed: UInt64) -> SplitSpec {
        switch task {
        case .binaryClassification: .random(testFraction: defaultTestFraction, seed: seed)
        case .recommendation: .perUser(testFraction: defaultTestFraction, seed: seed, minInteractions: defaultMinInteractions)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        let task = decoder.experimentTask
        let defaultType = task == .binaryClassification ? "random" : "per_user"
        let type = try c.keyword("type", ["random", "time", "per_user"]) ?? defaultType
        func fraction() throws -> Double {
            let f = try c.optional(Double.self, "test_fraction") ?? Self.defaultTestFraction
            guard f >= 0, f < 1 else { throw c.bad("test_fraction", "must be in [0, 1), got \(f)") }
            return f
        }
        switch type {
        case "random":
            try c.rejectUnknownKeys(["type", "test_fraction", "seed"])
            self = .random(testFraction: try fraction(), seed: try c.optional(UInt64.self, "seed") ?? decoder.experimentSeed)
        case "time":
            try c.rejectUnknownKeys(["type", "column", "cutoff"])
            let column = try c.required(String.self, "column")
            guard !column.isEmpty else { throw c.bad("column", "empty column name") }
            let cutoff = try c.required(String.self, "cutoff")
            guard TimeText.instant(cutoff) != nil else {
                throw c.bad("cutoff", "'\(cutoff)' is not a date (YYYY-MM-DD) or an ISO-8601 timestamp")
            }
            self = .time(column: column, cutoff: cutoff)
        default:
            try c.rejectUnknownKeys(["type", "test_fraction", "seed", "min_interactions"])
            let m = try c.optional(Int.self, "min_interactions") ?? Self.defaultMinInteractions
            guard m >= 2 else { throw c.bad("min_interactions", "must be ≥ 2 (a user keeps at least one interaction), got \(m)") }
            self = .perUser(testFraction: try fraction(), seed: try c.optional(UInt64.self, "seed") ?? decoder.experimentSeed,
                            minInteractions: m)
        }
        switch (task, self) {
        case (.binaryClassification, .perUser):
            throw c.bad("type", "per_user splits interactions; a binary_classification task splits rows (random or time)")
        case (.recommendation, .random), (.recommendation, .time):
            throw c.bad("type", "a recommendation task holds out part of each user's interactions: use per_user")
        default: break
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(typeName, "type")
        switch self {
        case .random(let f, let seed):
            try c.put(f, "test_fraction")
            try c.put(seed, "seed")
        case .time(let column, let cutoff):
            try c.put(column, "column")
            try c.put(cutoff, "cutoff")
        case .perUser(let f, let seed, let m):
            try c.put(f, "test_fraction")
            try c.put(seed, "seed")
            try c.put(m, "min_interactions")
        }
    }
}
