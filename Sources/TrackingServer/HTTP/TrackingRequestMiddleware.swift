import HTTPTypes
import Hummingbird
import Logging

/// Wraps every route of the tracking server: an unknown path (or a method a path does not take) is
/// 404 `ENDPOINT_NOT_FOUND` as MLflow's JSON error, so the client's route fallbacks work; any other
/// thrown error becomes MLflow's error JSON with its status. Then counts the request in
/// ``TrackingServerMetrics`` and logs one line (method, path, status, duration_us).
///
/// ```swift
/// router.add(middleware: TrackingRequestMiddleware(metrics: metrics, logger: logger, logRequests: true))
/// ```
public struct TrackingRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    public let metrics: TrackingServerMetrics
    public let logger: Logger
    public let logRequests: Bool

    public init(metrics: TrackingServerMetrics, logger: Logger, logRequests: Bool) {
        self.metrics = metrics
        self.logger = logger
        self.logRequests = logRequests
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            response = APIEndpoint.error(MLflowAPIError(code: "ENDPOINT_NOT_FOUND",
                                                        message: "No API endpoint \(request.method.rawValue) \(request.uri.path)"))
        } catch let error as any HTTPResponseError {
            let code = error.status.code < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR"
            response = APIEndpoint.error(MLflowAPIError(code: code, message: "\(error)", status: error.status.code))
        } catch {
            logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = APIEndpoint.error(MLflowAPIError(error))
        }
        let duration = ContinuousClock.now - start
        let status = response.status.code
        metrics.recordRequest(route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status, duration: duration)
        if logRequests {
            let (seconds, atto) = duration.components
            logger.info("request", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
                "duration_us": "\(seconds * 1_000_000 + atto / 1_000_000_000_000)",
            ])
        }
        return response
    }
}
