import HTTPService
import Hummingbird
import Logging
import Registry
import ServiceLifecycle
import Tracking

/// The MLflow-compatible tracking server behind `mltrack server`: MLflow's REST tracking API under
/// `/api/2.0/mlflow/` and `/ajax-api/2.0/mlflow/` over a ``TrackingStore``, the model-registry API
/// over a `RegistryStore` when one is given (else those endpoints answer 404 `ENDPOINT_NOT_FOUND`), plus `/health`,
/// `/version`, `/api/3.0/mlflow/server-info` and Prometheus `/metrics`; one log line per request;
/// a graceful shutdown on SIGTERM/SIGINT that lets requests in flight finish.
///
/// Open the SQLite store with the proxied artifact root so experiments get
/// `mlflow-artifacts:/<id>` locations, as MLflow's server hands out:
///
/// ```swift
/// let store = try SQLiteTrackingStore(path: "/srv/mltrack.db", artifactRoot: TrackingServerConfiguration.proxiedArtifactRoot)
/// let server = TrackingServer(store: store, configuration: .init(port: 0))
/// try await server.run { port in print("listening on http://127.0.0.1:\(port)") }
/// ```
public struct TrackingServer: Sendable {
    public let store: any TrackingStore
    public let configuration: TrackingServerConfiguration
    public let metrics: TrackingServerMetrics
    public let logger: Logger
    /// The web UI mounted at `/` (nil: the REST API only).
    public let ui: WebUI?
    /// The registry endpoints (nil: they answer 404 `ENDPOINT_NOT_FOUND`).
    public let registry: RegistryRoutes?

    public init(store: any TrackingStore, configuration: TrackingServerConfiguration = .init(),
                metrics: TrackingServerMetrics = TrackingServerMetrics(), logger: Logger = Logger(label: "mltrack.server"),
                ui: WebUI? = nil, registry: (any RegistryStore)? = nil) {
        self.init(store: store, configuration: configuration, metrics: metrics, logger: logger, ui: ui,
                  registryRoutes: registry.map { RegistryRoutes(store: $0) })
    }

    /// With the registry routes given whole (to pass `RegistryRoutes.downloadURI`).
    public init(store: any TrackingStore, configuration: TrackingServerConfiguration = .init(),
                metrics: TrackingServerMetrics = TrackingServerMetrics(), logger: Logger = Logger(label: "mltrack.server"),
                ui: WebUI? = nil, registryRoutes: RegistryRoutes?) {
        self.ui = ui
        self.registry = registryRoutes
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Every route, behind the tracking ``ObservingMiddleware``.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ObservingMiddleware.tracking(metrics: metrics, logger: logger, logRequests: configuration.logRequests))
        let api = APIRoutes(router: router, endpoint: APIEndpoint(maxBodyBytes: configuration.maxBodyBytes))
        ExperimentRoutes(store: store).register(on: api)
        RunRoutes(store: store).register(on: api)
        if let registry { registry.register(on: api) } else { RegistryRoutes.notEnabled(on: api) }
        ServerInfoRoutes(metrics: metrics).register(on: router)
        if let ui { WebUI.register(on: router, ui: ui) }
        return router
    }

    /// The Hummingbird application; `onListening` gets the bound port.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        var frameworkLogger = logger
        frameworkLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "mltrack"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: frameworkLogger)
    }

    /// Runs until SIGTERM or SIGINT, then logs "shutting down", lets the requests in flight finish
    /// and returns.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await GracefulServer.run([makeApplication(onListening: onListening)], logger: logger)
    }
}
