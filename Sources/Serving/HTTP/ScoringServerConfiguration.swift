/// How a ``ScoringServer`` listens and limits requests (the `mltrack serve` options).
///
/// ```swift
/// var config = ScoringServerConfiguration(port: 0)      // 0: any free port (tests, benchmarks)
/// config.maxBodyBytes = 4 << 20
/// config.pollInterval = .milliseconds(500)
/// ```
public struct ScoringServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the one bound is reported through `onListening`.
    public var port: Int
    /// Larger request bodies are refused with 413 `REQUEST_LIMIT_EXCEEDED` (default 1 MiB).
    public var maxBodyBytes: Int
    /// How often followed aliases are re-resolved; nil never (no hot swap).
    public var pollInterval: Duration?
    /// The mltrack version `/version` and `/v2` report.
    public var serverVersion: String
    /// One info line per request (method, path, status, duration_us, model, version).
    public var logRequests: Bool

    public init(host: String = "127.0.0.1", port: Int = 5001, maxBodyBytes: Int = 1 << 20,
                pollInterval: Duration? = .seconds(2), serverVersion: String = "dev", logRequests: Bool = true) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.pollInterval = pollInterval
        self.serverVersion = serverVersion
        self.logRequests = logRequests
    }
}
