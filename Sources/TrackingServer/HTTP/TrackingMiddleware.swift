import HTTPService
import HTTPTypes
import Hummingbird
import Logging

extension ObservingMiddleware {
    /// The tracking server's request wrapper: an unknown path (or a method a path does not take)
    /// is 404 `ENDPOINT_NOT_FOUND` as MLflow's JSON error, so the client's route fallbacks work;
    /// any other thrown error becomes MLflow's error JSON with its status; every request is counted
    /// in ``TrackingServerMetrics``.
    ///
    /// ```swift
    /// router.add(middleware: ObservingMiddleware.tracking(metrics: metrics, logger: logger, logRequests: true))
    /// ```
    public static func tracking(metrics: TrackingServerMetrics, logger: Logger, logRequests: Bool) -> Self {
        ObservingMiddleware(logger: logger, logRequests: logRequests, answer: { error, request in
            if let error = error as? HTTPError, error.status == .notFound || error.status == .methodNotAllowed {
                return APIEndpoint.error(MLflowAPIError(code: "ENDPOINT_NOT_FOUND",
                                                        message: "No API endpoint \(request.method.rawValue) \(request.uri.path)"))
            }
            if let error = error as? any HTTPResponseError {
                let code = error.status.code < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR"
                return APIEndpoint.error(MLflowAPIError(code: code, message: "\(error)", status: error.status.code))
            }
            return APIEndpoint.error(MLflowAPIError(error))
        }, observe: { request, route, response, duration in
            metrics.recordRequest(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
            return [:]
        })
    }
}
