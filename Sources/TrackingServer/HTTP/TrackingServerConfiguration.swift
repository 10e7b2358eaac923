/// How ``TrackingServer`` listens and limits requests.
///
/// ```swift
/// let config = TrackingServerConfiguration(host: "127.0.0.1", port: 0, artifactsDestination: "/srv/mlartifacts",
///                                          maxArtifactBytes: 1 << 30)
/// ```
public struct TrackingServerConfiguration: Sendable, Hashable {
    public var host: String
    /// 0: any free port (reported to `onListening`).
    public var port: Int
    /// Where the artifact proxy (`/api/2.0/mlflow-artifacts/…`) keeps files (created on the first
    /// upload); nil serves no artifact proxy.
    public var artifactsDestination: String?
    /// The largest artifact file the proxy accepts, in bytes (checked while streaming: a larger
    /// upload is refused and nothing is stored).
    public var maxArtifactBytes: Int64
    /// The largest JSON body accepted, log-batch included (MLflow's server does not enforce its 1 MB batch rule).
    public var maxBodyBytes: Int
    /// One log line per request.
    public var logRequests: Bool

    /// The artifact root new experiments get: `mlflow-artifacts:/<experiment_id>`, so clients go
    /// through this server's artifact proxy (reference 3.2).
    public static let proxiedArtifactRoot = "mlflow-artifacts:"

    public init(host: String = "127.0.0.1", port: Int = 5000, artifactsDestination: String? = nil,
                maxBodyBytes: Int = 16 << 20, maxArtifactBytes: Int64 = 5 << 30, logRequests: Bool = true) {
        self.maxArtifactBytes = maxArtifactBytes
        self.host = host
        self.port = port
        self.artifactsDestination = artifactsDestination
        self.maxBodyBytes = maxBodyBytes
        self.logRequests = logRequests
    }
}
