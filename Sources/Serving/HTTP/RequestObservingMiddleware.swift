import HTTPTypes
import Hummingbird
import Logging

/// Wraps every route: turns anything thrown into a JSON answer (an unknown path: 404 with MLflow's
/// error body; anything else: 500 `INTERNAL_ERROR`), then counts the request in ``ServingMetrics``
/// and logs one line (method, path, status, duration_us, model, version). The model and version
/// come from the response's ``ServingHeaders``, so handlers need not report them.
///
/// ```swift
/// router.add(middleware: RequestObservingMiddleware(metrics: metrics, logger: logger, logRequests: true))
/// ```
public struct RequestObservingMiddleware<Context: RequestContext>: RouterMiddleware {
    public let metrics: ServingMetrics
    public let logger: Logger
    public let logRequests: Bool

    public init(metrics: ServingMetrics, logger: Logger, logRequests: Bool) {
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
        } catch let error as HTTPError where error.status == .notFound {
            response = ServingResponses.error(ServingError(.resourceDoesNotExist,
                "no such endpoint: \(request.method) \(request.uri.path)"), style: .mlflow)
        } catch let error as any HTTPResponseError {
            let code: ServingError.Code = error.status == .contentTooLarge ? .requestLimitExceeded
                : error.status.code < 500 ? .badRequest : .internalError
            response = ServingResponses.error(ServingError(code, "\(error)"), style: .mlflow)
            response.status = error.status
        } catch {
            logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = ServingResponses.error(ServingError(.internalError, "unexpected error: \(error)"), style: .mlflow)
        }
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "NotFound"
        let model = response.headers[ServingHeaders.model] ?? ""
        let version = response.headers[ServingHeaders.modelVersion] ?? ""
        let status = response.status.code
        metrics.recordRequest(route: route, model: model, version: version, status: status, duration: duration)
        if logRequests {
            logger.info("request", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
                "duration_us": "\(duration.microseconds)", "model": "\(model)", "version": "\(version)",
            ])
        }
        return response
    }
}

extension Duration {
    /// Whole microseconds.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
