import Features

/// How a server serves a registered model, read from the optional `serving:` section of its
/// promotion policy (`Models/<model>.yaml`). Every field is optional; absent, the section is all
/// defaults. Decoded strictly like the rest of the policy: an unknown key or a bad value is an
/// error naming the field (`Models/churn.yaml: serving.default_k: must be in 1...10000, got 0`).
///
/// - `unknown_categories` (`bucket` | `reject`, default `bucket`): what scoring does with a
///   categorical value never seen when the model was trained (see `UnknownCategoryPolicy`).
/// - `default_k` (1...10000, default 10): recommendations per user when a request gives no `k`.
/// - `max_body_bytes` (1...1073741824, default 1048576): the largest request body accepted.
/// - `poll_interval_seconds` (0.1...3600, default 2): how often a server re-resolves an alias to
///   follow promotions.
///
/// ```yaml
/// serving:
///   unknown_categories: reject
///   max_body_bytes: 262144
/// ```
/// ```swift
/// let serving = try PromotionPolicy.load(path: "Models/churn.yaml").serving
/// serving.unknownCategories   // .reject
/// ```
public struct ServingDefaults: Sendable, Hashable, Codable {
    public static let defaultK = 10
    public static let defaultMaxBodyBytes = 1_048_576
    public static let defaultPollIntervalSeconds = 2.0
    public static let kRange = 1 ... 10_000
    public static let maxBodyBytesRange = 1 ... 1 << 30
    public static let pollIntervalRange = 0.1 ... 3600.0

    public private(set) var unknownCategories: UnknownCategoryPolicy
    public private(set) var defaultK: Int
    public private(set) var maxBodyBytes: Int
    public private(set) var pollIntervalSeconds: Double

    /// All defaults: bucket, 10, 1 MiB, 2 s.
    public init() {
        unknownCategories = .bucket
        defaultK = Self.defaultK
        maxBodyBytes = Self.defaultMaxBodyBytes
        pollIntervalSeconds = Self.defaultPollIntervalSeconds
    }

    /// Checks each value against its range; throws `INVALID_PARAMETER_VALUE` naming the field.
    public init(unknownCategories: UnknownCategoryPolicy, defaultK: Int = Self.defaultK,
                maxBodyBytes: Int = Self.defaultMaxBodyBytes,
                pollIntervalSeconds: Double = Self.defaultPollIntervalSeconds) throws {
        if let (field, problem) = Self.problem(defaultK: defaultK, maxBodyBytes: maxBodyBytes, pollIntervalSeconds: pollIntervalSeconds) {
            throw RegistryError(policyFile: nil, field: "serving.\(field)", problem)
        }
        self.unknownCategories = unknownCategories
        self.defaultK = defaultK
        self.maxBodyBytes = maxBodyBytes
        self.pollIntervalSeconds = pollIntervalSeconds
    }

    /// The first out-of-range value as (YAML field, message), or nil.
    private static func problem(defaultK: Int, maxBodyBytes: Int, pollIntervalSeconds: Double) -> (String, String)? {
        if !kRange.contains(defaultK) { return ("default_k", "must be in 1...10000, got \(defaultK)") }
        if !maxBodyBytesRange.contains(maxBodyBytes) {
            return ("max_body_bytes", "must be in 1...\(maxBodyBytesRange.upperBound) (1 GiB), got \(maxBodyBytes)")
        }
        if !pollIntervalRange.contains(pollIntervalSeconds) {
            return ("poll_interval_seconds", "must be a number of seconds in 0.1...3600, got \(pollIntervalSeconds)")
        }
        return nil
    }

    private static let keys = ["unknown_categories", "default_k", "max_body_bytes", "poll_interval_seconds"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(Self.keys, sortedByName: true)
        let word = try c.keyword("unknown_categories", UnknownCategoryPolicy.allCases.map(\.rawValue))
        unknownCategories = word.flatMap(UnknownCategoryPolicy.init(rawValue:)) ?? .bucket
        defaultK = try c.optional(Int.self, "default_k") ?? Self.defaultK
        maxBodyBytes = try c.optional(Int.self, "max_body_bytes") ?? Self.defaultMaxBodyBytes
        // A non-finite number fails the range check below with its own message.
        pollIntervalSeconds = try c.optional(Double.self, "poll_interval_seconds") ?? Self.defaultPollIntervalSeconds
        if let (field, problem) = Self.problem(defaultK: defaultK, maxBodyBytes: maxBodyBytes, pollIntervalSeconds: pollIntervalSeconds) {
            throw c.bad(field, problem)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(unknownCategories.rawValue, "unknown_categories")
        try c.put(defaultK, "default_k")
        try c.put(maxBodyBytes, "max_body_bytes")
        try c.put(pollIntervalSeconds, "poll_interval_seconds")
    }
}
