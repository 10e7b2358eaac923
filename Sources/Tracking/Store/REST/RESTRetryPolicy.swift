import Foundation

/// When and how long the REST store retries: connection errors and HTTP 408, 429, 500, 502, 503 and
/// 504, up to `maxRetries` times, waiting `initialBackoff × factor^attempt` (capped at `maxBackoff`)
/// plus up to `jitter` of that at random. Like MLflow's client it retries POSTs too, so a create
/// whose answer was lost may be applied twice (a second `createExperiment` then fails with
/// `RESOURCE_ALREADY_EXISTS`; a second `createRun` makes a second run).
///
/// From the environment: `MLTRACK_HTTP_REQUEST_MAX_RETRIES`, `MLTRACK_HTTP_REQUEST_BACKOFF_FACTOR`,
/// `MLTRACK_HTTP_REQUEST_TIMEOUT` (seconds), with MLflow's `MLFLOW_HTTP_REQUEST_*` as fallback.
///
/// ```swift
/// let policy = RESTRetryPolicy(maxRetries: 3, initialBackoff: 0.1)
/// policy.delay(attempt: 2, random: 0.5)   // 0.1 × 2² × (1 + 0.5 × jitter)
/// ```
public struct RESTRetryPolicy: Sendable, Hashable {
    public var maxRetries: Int
    /// Seconds before the first retry.
    public var initialBackoff: Double
    public var factor: Double
    /// Seconds; no wait is longer (before jitter).
    public var maxBackoff: Double
    /// Fraction of the wait added at random (0…1).
    public var jitter: Double
    /// Seconds per request.
    public var timeout: Double

    public static let retriedStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    public init(maxRetries: Int = 5, initialBackoff: Double = 0.5, factor: Double = 2, maxBackoff: Double = 30,
                jitter: Double = 0.5, timeout: Double = 120) {
        self.maxRetries = max(0, maxRetries)
        self.initialBackoff = max(0, initialBackoff)
        self.factor = max(1, factor)
        self.maxBackoff = max(0, maxBackoff)
        self.jitter = min(max(0, jitter), 1)
        self.timeout = timeout > 0 ? timeout : 120
    }

    /// The policy the environment asks for (defaults otherwise; unparsable values are ignored).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> RESTRetryPolicy {
        func value(_ suffix: String) -> Double? {
            (env["MLTRACK_HTTP_REQUEST_" + suffix] ?? env["MLFLOW_HTTP_REQUEST_" + suffix]).flatMap { Double($0) }
        }
        var p = RESTRetryPolicy()
        if let r = value("MAX_RETRIES") { p.maxRetries = max(0, Int(r)) }
        if let f = value("BACKOFF_FACTOR") { p.initialBackoff = max(0, f) }
        if let t = value("TIMEOUT"), t > 0 { p.timeout = t }
        return p
    }

    /// Seconds to wait before retry number `attempt` (0-based); `random` in 0…1 scales the jitter.
    public func delay(attempt: Int, random: Double) -> Double {
        let base = min(maxBackoff, initialBackoff * pow(factor, Double(min(attempt, 60))))
        return base * (1 + jitter * min(max(random, 0), 1))
    }

    public func shouldRetry(status: Int) -> Bool { Self.retriedStatuses.contains(status) }
}
