/// How ``TrackingServer`` listens and limits requests.
///
/// ```swift
/// let config = TrackingServerConfiguration(host: "127.0.0.1", port: 0, artifactsDestination: "/srv/mlartifacts")
/// ```
public struct TrackingServerConfiguration: Sendable, Hashable {
    public var host: String
    /// 0: any free port (reported to `onListening`).
    public var port: Int
    /// Where the artifact proxy (`/api/2.0/mlflow-artifacts/…`) will keep files. Parsed and kept;
    /// the proxy itself is the next step, so nothing reads it yet.
    public var artifactsDestination: String?
    /// The largest JSON body accepted, log-batch included (MLflow's server does not enforce its 1 MB batch rule).
    public var maxBodyBytes: Int
    /// One log line per request.
    public var logRequests: Bool

    /// The artifact root new experiments get: `mlflow-artifacts:/<experiment_id>`, so clients go
    /// through this server's artifact proxy (reference 3.2).
    public static let proxiedArtifactRoot = "mlflow-artifacts:"

    public init(host: String = "127.0.0.1", port: Int = 5000, artifactsDestination: String? = nil,
                maxBodyBytes: Int = 16 << 20, logRequests: Bool = true) {
        self.host = host
        self.port = port
        self.artifactsDestination = artifactsDestination
        self.maxBodyBytes = maxBodyBytes
        self.logRequests = logRequests
    }
}
