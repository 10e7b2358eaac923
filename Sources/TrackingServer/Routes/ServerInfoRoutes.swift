import Hummingbird

/// The plain endpoints: `GET /health` (`OK`), `GET /version`, `GET /api/3.0/mlflow/server-info`
/// (also under `/ajax-api/3.0/`), and `GET /metrics` (Prometheus text).
///
/// ```swift
/// ServerInfoRoutes(metrics: metrics).register(on: router)
/// ```
public struct ServerInfoRoutes: Sendable {
    public let metrics: TrackingServerMetrics

    /// What `GET /version` answers: the MLflow version whose protocol this server speaks, not
    /// mltrack's own version. The client reads it to decide which server features exist, and
    /// MLflow tooling compares it with MLflow release numbers; "0.1.0" would read as an ancient
    /// MLflow. mltrack's version is in the `Server` header and `mltrack --version`.
    public static let mlflowCompatibleVersion = "3.17.2"

    public init(metrics: TrackingServerMetrics) {
        self.metrics = metrics
    }

    /// Reference 3.4, with our capabilities: no multipart, no presigned uploads, no workspaces.
    public static let serverInfo = WireValue.object([
        ("workspaces_enabled", .bool(false)), ("trace_archival_enabled", .bool(false)),
        ("multipart_uploads_enabled", .bool(false)), ("multipart_downloads_enabled", .bool(false)),
        ("presigned_upload_run_id_supported", .bool(false)), ("presigned_upload_model_id_supported", .bool(false)),
        ("features_enabled", .object([("gateway", .bool(false))])),
    ])

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let metrics = metrics
        router.get("/health") { _, _ in APIEndpoint.text("OK") }
        router.get("/version") { _, _ in APIEndpoint.text(Self.mlflowCompatibleVersion) }
        for prefix in ["/api/3.0/mlflow", "/ajax-api/3.0/mlflow"] {
            router.get(RouterPath(prefix + "/server-info")) { _, _ in APIEndpoint.json(Self.serverInfo.bytes()) }
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: .init(bytes: metrics.exposition())))
        }
    }
}
