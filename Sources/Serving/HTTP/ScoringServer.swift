import HTTPService
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The real-time scoring server behind `mltrack serve`: MLflow's scoring protocol, the Open
/// Inference Protocol v2 and recommendation routes over the models of a ``ModelHost``, with
/// Prometheus `/metrics`, one log line per request, hot swap through an ``AliasFollower`` and a
/// graceful shutdown on SIGTERM/SIGINT that drains in-flight requests.
///
/// ```swift
/// let metrics = ServingMetrics()
/// let host = try await ModelHost.load(specs, resolver: resolver, observer: metrics)
/// let server = ScoringServer(host: host, metrics: metrics, configuration: .init(port: 0))
/// try await server.run { port in print("listening on http://127.0.0.1:\(port)") }
/// ```
public struct ScoringServer: Sendable {
    public let host: ModelHost
    public let metrics: ServingMetrics
    public let configuration: ScoringServerConfiguration
    public let logger: Logger

    public init(host: ModelHost, metrics: ServingMetrics, configuration: ScoringServerConfiguration = .init(),
                logger: Logger = Logger(label: "mltrack.serve")) {
        self.host = host
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
    }

    /// Every route, behind the scoring ``ObservingMiddleware``.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ObservingMiddleware.scoring(metrics: metrics, logger: logger, logRequests: configuration.logRequests))
        let endpoint = ScoringEndpoint(host: host, metrics: metrics, maxBodyBytes: configuration.maxBodyBytes)
        var routes = MethodGuard(router: router)
        InvocationRoutes(endpoint: endpoint, serverVersion: configuration.serverVersion).register(on: &routes)
        OpenInferenceRoutes(endpoint: endpoint, serverVersion: configuration.serverVersion).register(on: &routes)
        RecommendationRoutes(endpoint: endpoint).register(on: &routes)
        let metrics = metrics
        routes.on("/metrics", .get) { _, _ in
            ServingResponses.bytes(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        routes.finish()
        return router
    }

    /// The Hummingbird application: the router, plus the ``AliasFollower`` as a service when a
    /// hosted reference follows an alias and `pollInterval` is set. `onListening` gets the bound port.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        var services: [any Service] = []
        if let interval = configuration.pollInterval, host.followsAny {
            services.append(AliasFollower(host: host, pollInterval: interval))
        }
        var frameworkLogger = logger
        frameworkLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "mltrack"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: frameworkLogger)
    }

    /// Runs until SIGTERM or SIGINT, then logs "shutting down", stops following aliases, lets the
    /// requests in flight finish and returns.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await GracefulServer.run([makeApplication(onListening: onListening)], logger: logger)
    }
}
