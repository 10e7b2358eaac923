import Logging
import ServiceLifecycle

/// Runs a server's services until SIGTERM or SIGINT, then shuts down gracefully: logs
/// "shutting down" at once, lets the requests in flight finish, logs "stopped" and returns.
///
/// ```swift
/// try await GracefulServer.run([application], logger: logger)
/// ```
public enum GracefulServer {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        var configured = services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        // Last in the list, so it hears of the shutdown first and says so at once.
        configured.append(.init(service: ShutdownAnnouncer(logger: logger), successTerminationBehavior: .ignore))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: configured, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}

/// Logs "shutting down" when graceful shutdown begins.
struct ShutdownAnnouncer: Service {
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
            logger.notice("shutting down")
        } catch {
            // Cancelled without a graceful shutdown: nothing to announce.
        }
    }
}
